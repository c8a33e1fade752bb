// Storage faults while serving: the database file deleted, replaced or made read-only
// under a running server. SQLite keeps using the open file descriptor, so a deleted file would
// go on "working" and lose every write at exit: instead the server answers 503 until the file is
// back. Checked every INTERVAL_MS with one stat(2); the timer never keeps the process alive.
import { constants, accessSync, statSync, type Stats } from 'node:fs'
import { openExisting } from './open.js'
import type { Stores } from './stores.js'

export const INTERVAL_MS = 500

function writable (path: string, st: Stats): boolean {
  if ((st.mode & 0o222) === 0) return false
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** Starts watching `path`; returns the function that stops it. */
export function watchDatabaseFile (path: string, stores: Stores, log: (level: 'warn' | 'info', message: string) => void): () => void {
  let known = statSync(path)
  let problem = ''
  const report = (level: 'warn' | 'info', message: string): void => {
    if (message === problem) return
    problem = level === 'warn' ? message : ''
    log(level, message)
  }
  const check = (): void => {
    let st: Stats
    try {
      st = statSync(path)
    } catch {
      stores.storage.suspend()
      report('warn', `database file ${path} is gone: answering 503 "Storage unavailable" until it is back`)
      return
    }
    if (st.dev !== known.dev || st.ino !== known.ino || stores.storage.closed) {
      // Another file at the path (or ours back after a failed swap): use it if it is a
      // fatora-mock database, as a start would.
      try {
        stores.storage.replace(() => openExisting(path))
        known = st
        report('info', `database file ${path} was replaced: serving the new file`)
      } catch (err) {
        stores.storage.suspend()
        report('warn', `database file ${path} was replaced by one that cannot be used (${(err as Error).message}): answering 503`)
      }
      return
    }
    const readOnly = !writable(path, st)
    const before = stores.storage.state
    if (!readOnly && stores.storage.connectionReadOnly) {
      // Writable again, but opened read-only: open it again for writing.
      try {
        stores.storage.replace(() => openExisting(path))
      } catch (err) {
        report('warn', `database file ${path} is writable again but cannot be reopened (${(err as Error).message})`)
        return
      }
    }
    stores.storage.setReadOnly(readOnly)
    if (readOnly) report('warn', `database file ${path} is read-only: reads are served, writes answer 503`)
    else if (before !== 'ok') report('info', `database file ${path} is back: serving normally`)
  }
  const timer = setInterval(check, INTERVAL_MS)
  timer.unref()
  return () => { clearInterval(timer) }
}
