// Merchants: create, look up and list. Every other family's rows hang off one merchant.
import { createFreeIds, insertWithFreeId, MAX_ID } from '../../db/free-ids.js'
import type { Db } from '../../db/open.js'
import { ConflictError } from '../../domain-errors.js'
import { merchantMessages } from './messages.js'
import type { KeysStore } from './keys-store.js'

export interface MerchantRecord {
  id: number
  name: string
}

export interface MerchantsStore {
  /** Inserts a merchant; without an id it takes the next free one (db/free-ids.ts). Returns the row. */
  insert: (merchant: { id?: number | undefined, name: string }) => MerchantRecord
  find: (id: number) => MerchantRecord | undefined
  /** Every merchant, by id. */
  list: () => MerchantRecord[]
}

declare module '../../db/stores.js' {
  interface ModuleStores {
    merchants: MerchantsStore
    keys: KeysStore
  }
}

export function createMerchantsStore (db: Db): MerchantsStore {
  const insert = db.prepare<[number, string], MerchantRecord>('INSERT INTO merchants (id, name) VALUES (?, ?) RETURNING id, name')
  const find = db.prepare<[number], MerchantRecord>('SELECT id, name FROM merchants WHERE id = ?')
  const list = db.prepare<[], MerchantRecord>('SELECT id, name FROM merchants ORDER BY id')
  const freeIds = createFreeIds(db, 'merchants')
  return {
    insert (m) {
      return insertWithFreeId(m.id, freeIds, (id) => insert.get(id, m.name) as MerchantRecord, () => new ConflictError(merchantMessages.idsExhausted(MAX_ID)))
    },
    find: (id) => find.get(id),
    list: () => list.all(),
  }
}
