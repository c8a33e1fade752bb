// Sleeps for latency, Prefer delays and fault delays that a closing server cuts short: close()
// (and a test suite's teardown) never waits out a 60-second delay.
export interface Delays {
  sleep: (ms: number) => Promise<void>
  /** Ends every pending sleep now. */
  wakeAll: () => void
}

export function createDelays (): Delays {
  const pending = new Map<NodeJS.Timeout, () => void>()
  return {
    async sleep (ms) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { pending.delete(timer); resolve() }, ms)
        pending.set(timer, resolve)
      })
    },
    wakeAll () {
      for (const [timer, resolve] of pending) {
        clearTimeout(timer)
        resolve()
      }
      pending.clear()
    },
  }
}
