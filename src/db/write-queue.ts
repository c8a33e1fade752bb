// Writers run one at a time, in arrival order: a seed takes ids from max + 1 in batches that
// yield to the event loop, and no other write may take those ids halfway.
export type WriteQueue = <T>(fn: () => T | Promise<T>) => Promise<T>

export function createWriteQueue (): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve()
  return async (fn) => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return await run
  }
}
