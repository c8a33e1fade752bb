// Everything the app and the seeders may do with the database, as narrow functions.
import { createClientsStore, type ClientsStore } from './clients-store.js'
import { createKeysStore, type KeysStore } from './keys-store.js'
import { createMerchantsStore, type MerchantsStore } from './merchants-store.js'
import type { Db } from './open.js'
import { createFreshness } from './read-cache.js'

export interface Stores {
  merchants: MerchantsStore
  keys: KeysStore
  clients: ClientsStore
  /** Runs fn in one SQLite transaction (nested calls become savepoints). */
  transaction: <T>(fn: () => T) => T
  /** Throws when the database cannot answer (for /health). */
  ping: () => void
  /** Deletes every merchant, key and client (reset). */
  clear: () => void
  /** Row counts, for summaries. */
  counts: () => { merchants: number, apiKeys: number, clients: number }
  close: () => void
}

export function createStores (db: Db): Stores {
  // Touches every table, so /health fails when any of them is gone, as the API would.
  const ping = db.prepare('SELECT (SELECT 1 FROM merchants LIMIT 1), (SELECT 1 FROM api_keys LIMIT 1), (SELECT 1 FROM clients LIMIT 1)')
  const counts = db.prepare<[], { merchants: number, apiKeys: number, clients: number }>(
    'SELECT (SELECT COUNT(*) FROM merchants) AS merchants, (SELECT COUNT(*) FROM api_keys) AS apiKeys, (SELECT COUNT(*) FROM clients) AS clients')
  // data_version changes when another connection (the CLI, sqlite3) commits to the file.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const freshness = createFreshness(() => dataVersion.get() as number)
  return {
    merchants: createMerchantsStore(db),
    keys: createKeysStore(db, freshness),
    clients: createClientsStore(db, freshness),
    transaction: (fn) => {
      try {
        return db.transaction(fn)()
      } finally {
        // A rolled-back transaction may have cached rows it wrote: forget everything either way.
        freshness.changed()
      }
    },
    ping: () => { ping.get() },
    clear: () => {
      db.exec('DELETE FROM clients; DELETE FROM api_keys; DELETE FROM merchants;')
      freshness.changed()
    },
    counts: () => counts.get() as { merchants: number, apiKeys: number, clients: number },
    close: () => { db.close() },
  }
}
