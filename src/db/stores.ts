// Everything the app and the seeders may do with the database, as narrow functions: each module's
// stores (src/modules.ts), plus what spans them all — transactions, ping, counts, reset — and the
// storage state that turns every call into a 503 while the file is gone or read-only.
import { StorageUnavailableError } from '../domain-errors.js'
import { modules } from '../modules.js'
import type { CountSpec } from '../modules/module.js'
import { TABLES } from './migrations.js'
import type { Db } from './open.js'
import { createFreshness } from './read-cache.js'

/**
 * Every module's stores, by name: each module adds its own to this interface from its store
 * file (`declare module '../../db/stores.js' { interface ModuleStores { clients: ClientsStore } }`).
 */

export interface ModuleStores {}

/** Row counts by CountSpec key (merchants, apiKeys, clients…), in registry order. */
export type Counts = Record<string, number>

export interface CoreStores {
  /** Runs fn in one SQLite transaction (nested calls become savepoints). */
  transaction: <T>(fn: () => T) => T
  /** Throws when the database cannot answer (for /health). */
  ping: () => void
  /** Deletes every row of every module (reset). */
  clear: () => void
  /** Row counts, for summaries. */
  counts: () => Counts
  /** The per-merchant counts (CountSpec.perMerchant), by merchant id. */
  countsPerMerchant: () => Map<number, Counts>
  close: () => void
  /**
   * Storage faults: while suspended every call throws StorageUnavailableError (503);
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

export type Stores = ModuleStores & CoreStores

type Bound = Record<string, object> & Omit<CoreStores, 'storage'>

/** Every count the modules declare, in registry order. */
export const COUNTS: readonly CountSpec[] = modules.flatMap((m) => m.counts ?? [])

/** "3 merchants, 1 key, 1,042 clients": a summary in words (`adjectives` go before some nouns: "1 new merchant"). */
export function describeCounts (counts: Counts, format: (n: number) => string = String, adjectives: Readonly<Record<string, string>> = {}): string {
  return COUNTS.map((c) => {
    const n = counts[c.key] ?? 0
    const adjective = adjectives[c.key]
    return `${format(n)} ${adjective === undefined ? '' : `${adjective} `}${n === 1 ? c.one : c.noun}`
  }).join(', ')
}

// The store methods that change data, by store name: refused while the file is read-only.
const WRITES = new Map<string, ReadonlySet<string>>(modules.flatMap((m) =>
  Object.entries(m.writes as Record<string, readonly string[]>).map(([store, names]) => [store, new Set(names)] as const)))
const CORE_WRITES: ReadonlySet<string> = new Set(['transaction', 'clear'])
const CORE = ['transaction', 'ping', 'clear', 'counts', 'countsPerMerchant'] as const

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
  function forward (pick: (b: Bound) => object, writes: ReadonlySet<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const name of Object.keys(pick(current))) {
      const write = writes.has(name)
      out[name] = (...args: unknown[]) => {
        guard(write)
        return (pick(current) as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args)
      }
    }
    return out
  }
  const stores: Record<string, unknown> = {}
  for (const name of Object.keys(current)) {
    if ((CORE as readonly string[]).includes(name) || name === 'close') continue
    stores[name] = forward((b) => b[name] as object, WRITES.get(name) ?? new Set())
  }
  const core = forward((b) => Object.fromEntries(CORE.map((name) => [name, b[name]])), CORE_WRITES)
  const storage: CoreStores['storage'] = {
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
  }
  return {
    ...stores,
    ...core,
    close: () => {
      shutDown = true
      closeAtRest(db)
    },
    storage,
  } as unknown as Stores
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
  const ping = db.prepare(`SELECT ${TABLES.map((t) => `(SELECT 1 FROM ${t} LIMIT 1)`).join(', ')}`)
  const counts = db.prepare<[], Counts>(`SELECT ${COUNTS.map((c) => `(SELECT COUNT(*) FROM ${c.table}) AS ${c.key}`).join(', ')}`)
  // One grouped count per table: the (merchant_id, …) indexes answer them without touching rows.
  const perMerchant = COUNTS.filter((c) => c.perMerchant === true).map((c) => ({
    key: c.key,
    statement: db.prepare<[], { merchantId: number, n: number }>(`SELECT merchant_id AS merchantId, COUNT(*) AS n FROM ${c.table} GROUP BY merchant_id`),
  }))
  const clear = [...TABLES].reverse().map((t) => `DELETE FROM ${t};`).join(' ')
  // data_version changes when another connection (the CLI, sqlite3) commits to the file.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const freshness = createFreshness(() => dataVersion.get() as number)
  const bound: Record<string, object> = {}
  for (const m of modules) Object.assign(bound, m.createStores(db, freshness))
  return {
    ...bound,
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
      db.exec(clear)
      freshness.changed()
    },
    counts: () => counts.get() as Counts,
    countsPerMerchant () {
      const out = new Map<number, Counts>()
      for (const { key, statement } of perMerchant) {
        for (const r of statement.all()) {
          const entry = out.get(r.merchantId) ?? {}
          entry[key] = r.n
          out.set(r.merchantId, entry)
        }
      }
      return out
    },
    close: () => { db.close() },
  }
}
