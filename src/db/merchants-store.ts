// Merchants: inserts for seeding. Every client and key hangs off one merchant.
import type { Db } from './open.js'

export interface MerchantRecord {
  id: number
  name: string
}

export interface MerchantsStore {
  insert: (merchant: MerchantRecord) => void
}

export function createMerchantsStore (db: Db): MerchantsStore {
  const insert = db.prepare<[number, string]>('INSERT INTO merchants (id, name) VALUES (?, ?)')
  return {
    insert (m) { insert.run(m.id, m.name) },
  }
}
