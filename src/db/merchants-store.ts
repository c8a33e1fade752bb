// Merchants: create, look up and count. Every client and key hangs off one merchant.
import type { Db } from './open.js'

export interface MerchantRecord {
  id: number
  name: string
}

export interface MerchantSummary extends MerchantRecord {
  clients: number
  apiKeys: Array<{ key: string, status: string }>
}

export interface MerchantsStore {
  /** Inserts a merchant; without an id SQLite picks the next one. Returns the row. */
  insert: (merchant: { id?: number | undefined, name: string }) => MerchantRecord
  find: (id: number) => MerchantRecord | undefined
  /** Every merchant with its client count and keys, by id (for /__admin/state and the CLI). */
  summaries: () => MerchantSummary[]
}

export function createMerchantsStore (db: Db): MerchantsStore {
  const insert = db.prepare<[number | null, string], MerchantRecord>('INSERT INTO merchants (id, name) VALUES (?, ?) RETURNING id, name')
  const find = db.prepare<[number], MerchantRecord>('SELECT id, name FROM merchants WHERE id = ?')
  const merchants = db.prepare<[], MerchantRecord>('SELECT id, name FROM merchants ORDER BY id')
  // One grouped count: the (merchant_id, id) index answers it without touching the rows.
  const counts = db.prepare<[], { merchantId: number, n: number }>('SELECT merchant_id AS merchantId, COUNT(*) AS n FROM clients GROUP BY merchant_id')
  const keys = db.prepare<[], { merchantId: number, key: string, status: string }>(
    'SELECT merchant_id AS merchantId, key, status FROM api_keys ORDER BY merchant_id, rowid')
  return {
    insert: (m) => insert.get(m.id ?? null, m.name) as MerchantRecord,
    find: (id) => find.get(id),
    summaries () {
      const n = new Map(counts.all().map((r) => [r.merchantId, r.n]))
      const k = new Map<number, Array<{ key: string, status: string }>>()
      for (const r of keys.all()) {
        const list = k.get(r.merchantId) ?? []
        list.push({ key: r.key, status: r.status })
        k.set(r.merchantId, list)
      }
      return merchants.all().map((m) => ({ ...m, clients: n.get(m.id) ?? 0, apiKeys: k.get(m.id) ?? [] }))
    },
  }
}
