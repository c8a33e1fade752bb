// The schema's versions, assembled from the modules' migrations (CONTRACT §3). The table and
// column names are part of the contract (users open the file with sqlite3): never rename them.
// PRAGMA user_version counts the migrations applied.
import { modules } from '../modules.js'

/** PRAGMA application_id of every fatora-mock database ("FTMK"), so we never adopt a stranger's file. */
export const APPLICATION_ID = 0x46544d4b

/**
 * Migration n (1-based) takes the schema from user_version n−1 to n: the parts the modules
 * declare for version n, in registry order. Versions are shared by all modules and append only:
 * a new family's tables are the next version, never an edit of an old one.
 */
function collect (): readonly string[] {
  const versions = modules.flatMap((m) => Object.keys(m.migrations).map(Number))
  const last = Math.max(0, ...versions)
  const out: string[] = []
  for (let v = 1; v <= last; v++) {
    const parts = modules.map((m) => (m.migrations as Readonly<Record<number, string>>)[v]).filter((sql): sql is string => sql !== undefined)
    if (parts.length === 0) throw new Error(`schema version ${v} has no migration: versions must be contiguous`)
    out.push(parts.join(''))
  }
  return out
}

export const MIGRATIONS: readonly string[] = collect()

export const SCHEMA_VERSION = MIGRATIONS.length

/** Every module's tables, in creation order. */
export const TABLES: readonly string[] = modules.flatMap((m) => m.tables)
