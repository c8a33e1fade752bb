// Ids the mock assigns itself (a create without an id, a bulk seed) stay within what the API
// accepts, 1 … 2^53 − 1 (CONTRACT §2): past that a JavaScript number cannot hold them, so two rows
// would be reported under one id and neither could be reached again. SQLite alone would take
// max + 1 whatever it is, so every family asks here first.
import type { Db } from './open.js'

/** The largest id the API accepts and the mock assigns (Number.MAX_SAFE_INTEGER). */
export const MAX_ID = Number.MAX_SAFE_INTEGER

/**
 * The first of `count` (≥ 1) consecutive ids that are free and at most MAX_ID: right after the
 * largest id in use when they fit there (the usual case, one index lookup), else the lowest free
 * run that is long enough; undefined when there is none.
 */
export type FreeIds = (count: number) => number | undefined

/** Free-id lookups on `table` (its INTEGER PRIMARY KEY is `id`; a constant of ours, never input). */
export function createFreeIds (db: Db, table: string): FreeIds {
  // Compared in SQL (64-bit integers): a row written past the limit by an older version must not
  // reach JavaScript as a rounded number. max(id) alone in its subquery: SQLite reads it from the
  // end of the primary key (wrapped in coalesce or HAVING it scanned every row: 30 ms per million).
  const afterMax = db.prepare<{ count: number, max: number }, number>(
    `SELECT m + 1 FROM (SELECT coalesce((SELECT max(id) FROM ${table}), 0) AS m) WHERE m <= @max - @count`).pluck()
  // Else the lowest run: from 1, or right after some row. Each candidate costs a primary-key
  // range probe, in id order: a scan, about 0.3 s per million rows here, paid only while the largest
  // id is taken.
  const fromOne = db.prepare<{ count: number, max: number }, number>(
    `SELECT 1 WHERE @count <= @max AND NOT EXISTS (SELECT 1 FROM ${table} WHERE id >= 1 AND id <= @count)`).pluck()
  const afterRow = db.prepare<{ count: number, max: number }, number>(`
    SELECT a.id + 1 FROM ${table} a
    WHERE a.id >= 1 AND a.id <= @max - @count
      AND NOT EXISTS (SELECT 1 FROM ${table} b WHERE b.id > a.id AND b.id <= a.id + @count)
    ORDER BY a.id LIMIT 1`).pluck()
  return (count) => {
    const params = { count, max: MAX_ID }
    return afterMax.get(params) ?? fromOne.get(params) ?? afterRow.get(params)
  }
}

/**
 * Inserts with `given`, else with a free id. The lookup and the insert are two statements, so
 * another process writing the same file (the CLI beside a running server) may take that id in
 * between: its primary-key conflict makes us look again, a few times, instead of failing.
 */
export function insertWithFreeId<T> (given: number | undefined, freeIds: FreeIds, insert: (id: number) => T, exhausted: () => Error): T {
  for (let attempt = 1; ; attempt++) {
    const id = given ?? freeIds(1)
    if (id === undefined) throw exhausted()
    try {
      return insert(id)
    } catch (err) {
      if (given !== undefined || attempt >= 5 || (err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err
    }
  }
}
