// API keys: lookup for the auth hook, and create / list / (de)activate for seeding and admin.
// Keys compare exactly (BINARY collation).
import type { Db } from '../../db/open.js'
import type { Freshness } from '../../db/read-cache.js'

export type KeyStatus = 'active' | 'inactive'

export interface ApiKeyRecord {
  key: string
  merchantId: number
  status: KeyStatus
}

export interface KeysStore {
  /** The key's merchant and status, or undefined for an unknown key. */
  find: (key: string) => ApiKeyRecord | undefined
  insert: (record: ApiKeyRecord) => void
  list: () => ApiKeyRecord[]
  /** The merchant's keys (for a bearer token, which names its key only by a hash). */
  listForMerchant: (merchantId: number) => ApiKeyRecord[]
  /** Sets a key's status; returns the updated record, or undefined for an unknown key. */
  setStatus: (key: string, status: KeyStatus) => ApiKeyRecord | undefined
}

export function createKeysStore (db: Db, freshness: Freshness): KeysStore {
  // key → record, or null for an unknown key (read-cache.ts: cleared by any write).
  const cache = freshness.cache<string, ApiKeyRecord | null>()
  const find = db.prepare<[string], { merchantId: number, status: KeyStatus }>(
    'SELECT merchant_id AS merchantId, status FROM api_keys WHERE key = ?')
  const insert = db.prepare<[string, number, KeyStatus]>(
    'INSERT INTO api_keys (key, merchant_id, status) VALUES (?, ?, ?)')
  const list = db.prepare<[], ApiKeyRecord>(
    'SELECT key, merchant_id AS merchantId, status FROM api_keys ORDER BY merchant_id, rowid')
  const listForMerchant = db.prepare<[number], ApiKeyRecord>(
    'SELECT key, merchant_id AS merchantId, status FROM api_keys WHERE merchant_id = ?')
  const setStatus = db.prepare<[KeyStatus, string], ApiKeyRecord>(
    'UPDATE api_keys SET status = ? WHERE key = ? RETURNING key, merchant_id AS merchantId, status')
  return {
    find (key) {
      freshness.check()
      const cached = cache.get(key)
      if (cached !== undefined) return cached ?? undefined
      const row = find.get(key)
      const record = row === undefined ? null : { key, merchantId: row.merchantId, status: row.status }
      cache.set(key, record)
      return record ?? undefined
    },
    insert (r) {
      insert.run(r.key, r.merchantId, r.status)
      freshness.changed()
    },
    list: () => list.all(),
    listForMerchant: (merchantId) => listForMerchant.all(merchantId),
    setStatus (key, status) {
      const record = setStatus.get(status, key)
      freshness.changed()
      return record
    },
  }
}
