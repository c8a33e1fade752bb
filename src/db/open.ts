// openDatabase: opens or creates the SQLite file and applies migrations. It never overwrites,
// re-seeds or "repairs" an existing file: anything that is not ours stops the start (CONTRACT §3).
import Database from 'better-sqlite3'
import { accessSync, closeSync, constants, copyFileSync, existsSync, linkSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { dirname, join, basename, resolve } from 'node:path'
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, TABLES } from './migrations.js'

export type Db = Database.Database

/** A database path we refuse to use; `message` is one line naming the file. */
export class DatabaseFileError extends Error {
  override name = 'DatabaseFileError'
}

export interface OpenOptions {
  /** Fills a brand-new database (fixtures); runs in the same transaction as the schema. */
  onCreate?: (db: Db) => void
  /** Told about migrations of an older file, so none happens silently. */
  log?: (message: string) => void
}

export interface OpenedDatabase {
  db: Db
  /** True when this call created the database (and ran onCreate). */
  created: boolean
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** How long a write waits for another process's lock before answering 503: short, never a hang. */
export const BUSY_TIMEOUT_MS = 1000

/** True when this process may not write the file (read-only mount, no write permission). */
function readOnlyFile (path: string): boolean {
  // Mode bits too: root may write anything, but a file chmod'ed read-only says "do not".
  if ((statSync(path).mode & 0o222) === 0) return true
  try {
    accessSync(path, constants.W_OK)
    return false
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
  }
}

function configure (db: Db, file: boolean): void {
  db.pragma('foreign_keys = ON')
  // Statement journals, sorts and temporary indices stay in memory: the container's root file
  // system is read-only (only the data volume is writable), where a temp file fails with
  // "disk I/O error", and a mock's statements are small.
  db.pragma('temp_store = MEMORY')
  // A read-only database (a read-only mount) serves reads; its WAL mode was set when written.
  if (file && !db.readonly) {
    // WAL lets readers proceed while a seed writes; NORMAL is durable enough for a mock.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  }
}

function migrate (db: Db, from: number): void {
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string)
    db.pragma(`application_id = ${APPLICATION_ID}`)
    db.pragma(`user_version = ${SCHEMA_VERSION}`)
  })()
}

function createFresh (db: Db, onCreate: OpenOptions['onCreate']): void {
  db.transaction(() => {
    migrate(db, 0)
    onCreate?.(db)
  })()
}

function readHeader (path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(SQLITE_HEADER.length)
    const n = readSync(fd, buf, 0, buf.length, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/** Opens an existing file with every check of openDatabase, never creating one (the storage watchdog). */
export function openExisting (path: string, log?: OpenOptions['log']): Db {
  const stat = statSync(path)
  if (!stat.isFile()) throw new DatabaseFileError(`${path} is not a regular file; set DB_PATH to a SQLite file`)
  if (!readHeader(path).equals(SQLITE_HEADER)) {
    throw new DatabaseFileError(`${path} is not a SQLite database; refusing to use or overwrite it (move it away or set DB_PATH)`)
  }
  let db: Db
  const readonly = readOnlyFile(path)
  try {
    db = new Database(path, { fileMustExist: true, readonly, timeout: BUSY_TIMEOUT_MS })
  } catch (err) {
    throw new DatabaseFileError(`${path} cannot be opened: ${(err as Error).message}`)
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number
    const version = db.pragma('user_version', { simple: true }) as number
    if (appId !== APPLICATION_ID) {
      throw new DatabaseFileError(`${path} is a SQLite database but not a fatora-mock one; refusing to use or change it (move it away or set DB_PATH)`)
    }
    if (version > SCHEMA_VERSION) {
      throw new DatabaseFileError(`${path} has schema version ${version}, newer than this fatora-mock supports (${SCHEMA_VERSION}); upgrade fatora-mock`)
    }
    configure(db, true)
    // Ours by its header but not by its content (tables dropped or renamed by hand): refuse
    // rather than recreate anything in it.
    if (version === SCHEMA_VERSION) {
      const tables = db.prepare<string[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${TABLES.map(() => '?').join(', ')})`).all(...TABLES)
      if (tables.length !== TABLES.length) {
        throw new DatabaseFileError(`${path} is a fatora-mock database with missing tables; refusing to change it (move it away or set DB_PATH)`)
      }
    }
    if (version < SCHEMA_VERSION) {
      if (db.readonly) throw new DatabaseFileError(`${path} needs a migration to schema version ${SCHEMA_VERSION} but is read-only; make it writable once`)
      migrate(db, version)
      log?.(`migrated ${path} from schema version ${version} to ${SCHEMA_VERSION}`)
    }
    return db
  } catch (err) {
    db.close()
    if (err instanceof DatabaseFileError) throw err
    throw new DatabaseFileError(`${path} cannot be used: ${(err as Error).message}`)
  }
}

// Build the new database beside its final path, then hard-link it into place: a crash never
// leaves a half-seeded file behind, and link() fails rather than replace a file that appeared.
// Returns false when another process created the file first (then we use theirs).
function createFile (path: string, onCreate: OpenOptions['onCreate']): boolean {
  const dir = dirname(resolve(path))
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
  try {
    mkdirSync(dir, { recursive: true })
    const db = new Database(tmp)
    try {
      configure(db, true)
      createFresh(db, onCreate)
      db.pragma('wal_checkpoint(TRUNCATE)')
      // At rest the file is in rollback-journal mode: a read-only mount can open it (WAL would
      // need a -shm file beside it). Opening it for writing turns WAL on again.
      db.pragma('journal_mode = DELETE')
    } finally {
      db.close()
    }
    return placeWithoutOverwriting(tmp, path)
  } catch (err) {
    if (err instanceof DatabaseFileError) throw err
    throw new DatabaseFileError(`${path} cannot be created: ${(err as Error).message}`)
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) {
      try { rmSync(f, { force: true }) } catch { /* the directory itself is unusable: nothing was made */ }
    }
  }
}

function placeWithoutOverwriting (tmp: string, path: string): boolean {
  try {
    linkSync(tmp, path)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    // Some volume drivers have no hard links: an exclusive copy still never overwrites.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw err
  }
  try {
    copyFileSync(tmp, path, constants.COPYFILE_EXCL)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

/**
 * Opens `path` (or an in-memory database for ":memory:"), creating and filling it through
 * `onCreate` only when no file exists. Throws DatabaseFileError for a file that is not ours.
 */
export function openDatabase (path: string, options: OpenOptions = {}): OpenedDatabase {
  if (path === ':memory:') {
    const db = new Database(':memory:')
    configure(db, false)
    createFresh(db, options.onCreate)
    return { db, created: true }
  }
  const created = !existsSync(path) && createFile(path, options.onCreate)
  return { db: openExisting(path, options.log), created }
}
