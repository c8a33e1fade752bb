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
  /**
   * Storage faults (issue 8): while suspended every call throws StorageUnavailableError (503);
   * read-only, every write does. `replace` swaps in another open database (the file came back).
   */
  storage: {
    suspend: () => void
    resume: () => void
    setReadOnly: (readOnly: boolean) => void
    /**
     * Closes the current database (checkpointing its WAL first, so a file now at the same path
     * never inherits its pages) and opens `open()` instead; stays suspended when that fails.
     */
    replace: (open: () => Db) => void
    readonly state: 'ok' | 'suspended' | 'read-only'
    /** The connection was closed by a failed replace: the next good file reopens it. */
    readonly closed: boolean
    /** The open connection itself is read-only (the file was read-only when opened). */
    readonly connectionReadOnly: boolean
  }
}

/** The database cannot be used right now (file gone, replaced, read-only); the API answers 503. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError'
  // A SQLite-style code, so errors.ts maps it to 503 like any storage failure.
  readonly code = 'SQLITE_CANTOPEN'
}

type Bound = Omit<Stores, 'storage'>

// The methods that change data: refused while the file is read-only.
const WRITES: Record<string, ReadonlySet<string>> = {
  merchants: new Set(['insert']),
  keys: new Set(['insert', 'setStatus']),
  clients: new Set(['insert', 'create', 'update', 'remove', 'withoutEmailIndex']),
  '': new Set(['transaction', 'clear']),
}

/**
 * The stores the app holds for its whole life: each method forwards to the stores of the
 * current database, after a check of the storage state (one comparison per call).
 */
export function createStores (initial: Db): Stores {
  let current: Bound = bindStores(initial)
  let db = initial
  let state: 'ok' | 'suspended' | 'read-only' = initial.readonly ? 'read-only' : 'ok'
  let shutDown = false
  const guard = (write: boolean): void => {
    if (state === 'ok') return
    if (state === 'suspended' || write) throw new StorageUnavailableError('storage unavailable')
  }
  function forward<T extends object> (pick: (b: Bound) => T, writes: ReadonlySet<string>): T {
    const out: Record<string, unknown> = {}
    for (const name of Object.keys(pick(current))) {
      const write = writes.has(name)
      out[name] = (...args: unknown[]) => {
        guard(write)
        return (pick(current) as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args)
      }
    }
    return out as T
  }
  const top = forward((b) => ({ transaction: b.transaction, ping: b.ping, clear: b.clear, counts: b.counts }), WRITES[''] as ReadonlySet<string>)
  return {
    merchants: forward((b) => b.merchants, WRITES.merchants as ReadonlySet<string>),
    keys: forward((b) => b.keys, WRITES.keys as ReadonlySet<string>),
    clients: forward((b) => b.clients, WRITES.clients as ReadonlySet<string>),
    transaction: top.transaction,
    ping: top.ping,
    clear: top.clear,
    counts: top.counts,
    close: () => {
      shutDown = true
      closeAtRest(db)
    },
    storage: {
      suspend: () => { state = 'suspended' },
      resume: () => { state = 'ok' },
      setReadOnly: (readOnly) => { state = readOnly ? 'read-only' : 'ok' },
      replace (open) {
        // After close() nothing may reopen the file (a watchdog tick racing the shutdown).
        if (shutDown) return
        state = 'suspended'
        if (db.open) {
          try { if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)') } catch {}
          try { db.close() } catch {}
        }
        const next = open()
        db = next
        current = bindStores(next)
        state = next.readonly ? 'read-only' : 'ok'
      },
      get closed () { return !shutDown && !db.open },
      get state () { return state },
      get connectionReadOnly () { return db.readonly },
    },
  }
}

/** Closes the database left in rollback-journal mode, so a read-only mount can open it later. */
function closeAtRest (db: Db): void {
  if (!db.open) return
  if (!db.readonly && db.name !== ':memory:') {
    try { db.pragma('journal_mode = DELETE') } catch { /* busy or read-only now: WAL stays, still valid */ }
  }
  db.close()
}

function bindStores (db: Db): Bound {
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
