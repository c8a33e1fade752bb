// Memoised reads for the hot path: the auth hook's key lookup and Get Client's row
// lookup, each a SQLite query, become a Map lookup. Correctness comes first:
// - every write through our stores clears every cache at once (writes are rare in a mock);
// - writes by another process (the CLI on the same file) are noticed through SQLite's
//   data_version, read at most once per event-loop turn and compared before any cached answer;
// - each cache is bounded: past MAX_ENTRIES it starts over (unknown keys are cached too, so a
//   flood of random keys cannot grow memory).
// No SQL here: the stores pass in how to read data_version.

const MAX_ENTRIES = 10_000

export interface Freshness {
  /** Call before answering from a cache: clears them all if the database changed elsewhere. */
  check: () => void
  /** Call after any write through this connection. */
  changed: () => void
  /** A new cache that this freshness clears. */
  cache: <K, V>() => BoundedCache<K, V>
}

export interface BoundedCache<K, V> {
  get: (key: K) => V | undefined
  set: (key: K, value: V) => void
  clear: () => void
}

export function createFreshness (dataVersion: () => number): Freshness {
  const caches: Array<BoundedCache<unknown, unknown>> = []
  let seen = -1
  let checkedThisTurn = false
  const clearAll = (): void => { for (const c of caches) c.clear() }
  return {
    check () {
      if (checkedThisTurn) return
      checkedThisTurn = true
      // One data_version read per event-loop turn covers every request parsed in that turn.
      setImmediate(() => { checkedThisTurn = false })
      const version = dataVersion()
      if (version !== seen) {
        seen = version
        clearAll()
      }
    },
    changed: clearAll,
    cache<K, V> () {
      const map = new Map<K, V>()
      const cache: BoundedCache<K, V> = {
        get: (key) => map.get(key),
        set (key, value) {
          if (map.size >= MAX_ENTRIES) map.clear()
          map.set(key, value)
        },
        clear: () => { map.clear() },
      }
      caches.push(cache as BoundedCache<unknown, unknown>)
      return cache
    },
  }
}
