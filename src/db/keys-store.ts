// API keys: lookup for the auth hook and inserts for seeding. Keys compare exactly (BINARY collation).
import type { Db } from './open.js'

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
}

export function createKeysStore (db: Db): KeysStore {
  const find = db.prepare<[string], { merchantId: number, status: KeyStatus }>(
    'SELECT merchant_id AS merchantId, status FROM api_keys WHERE key = ?')
  const insert = db.prepare<[string, number, KeyStatus]>(
    'INSERT INTO api_keys (key, merchant_id, status) VALUES (?, ?, ?)')
  return {
    find (key) {
      const row = find.get(key)
      return row === undefined ? undefined : { key, merchantId: row.merchantId, status: row.status }
    },
    insert (r) { insert.run(r.key, r.merchantId, r.status) },
  }
}
