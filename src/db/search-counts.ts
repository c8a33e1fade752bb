// Fast exact searches on a large merchant: a keyword search is a LIKE over every row of the
// merchant (0.4 s per million clients), and no index makes the exact `total` of a keyword that a
// third of the rows match cheaper than a pass over those matches. So each (merchant, filter)
// result, once computed, is kept — its total, and its ids when there are few — and moved by every
// write made through the store, which tests the row before and after against the filter in
// JavaScript (db/like.ts: LIKE's own semantics). A page of a kept filter is then a slice of its ids
// (few matches) or the id-ordered scan, which finds a page of a common keyword within a few rows.
//
// Whether what is kept is still right comes from the database, never from this process alone: a
// trigger gives a nonce (a random 64-bit value in search_state) a new value at every change of the
// searched rows, by anyone — this store, a cascade from a deleted merchant, a reset, the CLI in
// another process, sqlite3. A write through the store reads the nonce before and after: when the
// "before" is the one the results were right at, they move by the row's change and are right at
// the "after"; otherwise they are dropped. A rolled-back transaction puts the old nonce back,
// which nothing kept is right at any more: dropped at the next read. No SQL here: the store reads
// the nonce.

/** Filters kept at most (every merchant together): past it they start over. */
export const MAX_FILTERS = 1_000
/** A filter keeps its ids when it matches at most this many rows (else its total only). */
export const MAX_IDS = 10_000
/** Ids kept at most, all filters together. */
export const MAX_KEPT_IDS = 500_000

export interface SearchResult {
  total: number
  /** Every matching id in ascending order, when there are at most MAX_IDS. */
  ids: number[] | undefined
}

export interface SearchCounts<R> {
  /** The kept result of `key` for the merchant if it is right at `nonce` (undefined: not known). */
  get: (merchantId: number, key: string | null, nonce: bigint) => SearchResult | undefined
  /** Keeps a result just computed at `nonce`. */
  set: (merchantId: number, key: string | null, nonce: bigint, result: SearchResult) => void
  /** True when nothing is kept (a write then need not read the nonce). */
  readonly empty: boolean
  /**
   * A write through the store turned the merchant's row `before` into `after` (undefined: no such
   * row; both have the same id) while the nonce went from `from` to `to`.
   */
  changed: (merchantId: number, id: number, before: R | undefined, after: R | undefined, from: bigint | undefined, to: bigint | undefined) => void
  /**
   * The same for several rows written in one transaction (a seed's batch), the nonce read once
   * before the first and once after the last: it moved only by these rows' triggers.
   */
  changedMany: (changes: ReadonlyArray<RowChange<R>>, from: bigint | undefined, to: bigint | undefined) => void
  clear: () => void
}

export interface RowChange<R> {
  merchantId: number
  id: number
  before: R | undefined
  after: R | undefined
}

interface Entry<F> extends SearchResult {
  filter: F
}

/** Where `id` is, or would go, in the ascending `ids`. */
function position (ids: readonly number[], id: number): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((ids[mid] as number) < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** `prepare(key)` compiles a filter once (e.g. folds the keyword); `matches` tests a row against it. */
export function createSearchCounts<R, F> (prepare: (key: string | null) => F, matches: (row: R, filter: F) => boolean): SearchCounts<R> {
  let at: bigint | undefined
  let filters = 0
  let keptIds = 0
  const merchants = new Map<number, Map<string | null, Entry<F>>>()
  const clear = (): void => {
    merchants.clear()
    filters = 0
    keptIds = 0
  }
  const sync = (nonce: bigint): void => {
    if (nonce !== at) {
      clear()
      at = nonce
    }
  }
  /** Whether what is kept was right just before the write (else it is dropped). */
  const follows = (from: bigint | undefined, to: bigint | undefined): boolean => {
    if (from === undefined || to === undefined || from !== at) {
      clear()
      at = undefined
      return false
    }
    return true
  }
  /** Moves every kept filter of the merchant by one row's change. */
  const move = (merchantId: number, id: number, before: R | undefined, after: R | undefined): void => {
    const keys = merchants.get(merchantId)
    if (keys === undefined) return
    for (const entry of keys.values()) {
      const was = before !== undefined && matches(before, entry.filter)
      const is = after !== undefined && matches(after, entry.filter)
      if (was === is) continue
      entry.total += is ? 1 : -1
      const ids = entry.ids
      if (ids === undefined) continue
      const i = position(ids, id)
      if (is) {
        if (ids.length >= MAX_IDS || keptIds >= MAX_KEPT_IDS) {
          // Too many to keep: the total alone from now on.
          keptIds -= ids.length
          entry.ids = undefined
        } else {
          ids.splice(i, 0, id)
          keptIds++
        }
      } else if (ids[i] === id) {
        ids.splice(i, 1)
        keptIds--
      }
    }
  }
  return {
    get (merchantId, key, nonce) {
      sync(nonce)
      return merchants.get(merchantId)?.get(key)
    },
    set (merchantId, key, nonce, result) {
      sync(nonce)
      const ids = result.ids?.length ?? 0
      if (filters >= MAX_FILTERS || keptIds + ids > MAX_KEPT_IDS) clear()
      let keys = merchants.get(merchantId)
      if (keys === undefined) {
        keys = new Map()
        merchants.set(merchantId, keys)
      }
      const old = keys.get(key)
      if (old === undefined) filters++
      else keptIds -= old.ids?.length ?? 0
      keptIds += ids
      keys.set(key, { total: result.total, ids: result.ids, filter: prepare(key) })
    },
    get empty () { return filters === 0 },
    changed (merchantId, id, before, after, from, to) {
      if (filters === 0) return
      if (!follows(from, to)) return
      move(merchantId, id, before, after)
      at = to
    },
    changedMany (changes, from, to) {
      if (filters === 0) return
      if (!follows(from, to)) return
      for (const c of changes) move(c.merchantId, c.id, c.before, c.after)
      at = to
    },
    clear () {
      clear()
      at = undefined
    },
  }
}

/** How a store reads a list page and its total from SQL (no SQL here). */
export interface PageReaders<T> {
  /** The page itself, filtered and ordered by id. */
  page: () => T[]
  /** How many rows match in all. */
  count: () => number
  /** The matching ids in ascending order, at most `limit`. */
  ids: (limit: number) => number[]
  /** The rows with these ids (at most a page), in their order. */
  byIds: (ids: number[]) => T[]
}

/**
 * A list page and its total: from the kept result of (merchant, filter) when `nonce` is given
 * (computed and kept on first use), else from SQL alone.
 */
export function pageOf<R, T> (searches: SearchCounts<R>, q: { merchantId: number, filter: string | null, limit: number, offset: number }, nonce: bigint | undefined, read: PageReaders<T>): { rows: T[], total: number } {
  if (nonce === undefined) {
    const rows = read.page()
    // The page alone tells the total when it is not full (the common case past a filter).
    const total = rows.length < q.limit && (q.offset === 0 || rows.length > 0) ? q.offset + rows.length : read.count()
    return { rows, total }
  }
  let result = searches.get(q.merchantId, q.filter, nonce)
  if (result === undefined) {
    // One pass: every id when there are few, else the total alone (a second pass: counting).
    const ids = read.ids(MAX_IDS + 1)
    result = ids.length <= MAX_IDS ? { total: ids.length, ids } : { total: read.count(), ids: undefined }
    searches.set(q.merchantId, q.filter, nonce, result)
  }
  const rows = result.ids === undefined
    ? read.page()
    : result.ids.length <= q.offset ? [] : read.byIds(result.ids.slice(q.offset, q.offset + q.limit))
  return { rows, total: result.total }
}
