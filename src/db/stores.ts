// Everything the app and the seeders may do with the database, as narrow functions.
import { createClientsStore, type ClientsStore } from './clients-store.js'
import { createKeysStore, type KeysStore } from './keys-store.js'
import { createMerchantsStore, type MerchantsStore } from './merchants-store.js'
import type { Db } from './open.js'

export interface Stores {
  merchants: MerchantsStore
  keys: KeysStore
  clients: ClientsStore
  /** Runs fn in one SQLite transaction (nested calls become savepoints). */
  transaction: <T>(fn: () => T) => T
  /** Throws when the database cannot answer (for /health). */
  ping: () => void
  close: () => void
}

export function createStores (db: Db): Stores {
  const ping = db.prepare('SELECT 1')
  return {
    merchants: createMerchantsStore(db),
    keys: createKeysStore(db),
    clients: createClientsStore(db),
    transaction: (fn) => db.transaction(fn)(),
    ping: () => { ping.get() },
    close: () => { db.close() },
  }
}
