// The mock's clock (CONTRACT §6.6 Decision): real time until a test moves it. Set or advanced,
// it stands still at that instant (unless asked to run on from it), so a test that crosses
// midnight or a six-month expiry gets the same answers on every run. Reset returns it to real time.

export interface ClockState {
  /** The mock's current time, ISO 8601 UTC with milliseconds. */
  now: string
  /** true: the real time (never moved, or moved back by DELETE). */
  real: boolean
  /** true: moved and standing still; false: real time, or running on from where it was set. */
  frozen: boolean
}

export interface Clock {
  now: () => Date
  /** Moves the clock to `at`: standing there (frozen) or running on from it at real speed. */
  set: (at: Date, frozen: boolean) => void
  /** Moves the clock forward (or back) by `ms` from its current time, keeping it frozen or running. */
  advance: (ms: number) => void
  /** Back to real time. */
  reset: () => void
  state: () => ClockState
}

/**
 * The earliest and latest instants the clock may show: four-digit years keep the stored ISO
 * strings sortable, with a year to spare for what is computed from it (six-month token expiry).
 */
export const CLOCK_RANGE = { min: Date.UTC(2000, 0, 1), max: Date.UTC(9998, 11, 31, 23, 59, 59, 999) } as const

export function createClock (realNow: () => number = Date.now): Clock {
  // real: offset 0, not frozen. Frozen: `frozenAt` is the time. Running: real time + offset.
  let frozenAt: number | undefined
  let offset = 0
  const current = (): number => frozenAt ?? realNow() + offset

  return {
    now: () => new Date(current()),
    set (at, frozen) {
      if (frozen) { frozenAt = at.getTime(); offset = 0 } else { frozenAt = undefined; offset = at.getTime() - realNow() }
    },
    advance (ms) {
      if (frozenAt !== undefined) frozenAt += ms
      // From real time, the clock stands still at the new instant: a test moving time wants
      // the same answers on every run.
      else if (offset === 0) frozenAt = realNow() + ms
      else offset += ms
    },
    reset () { frozenAt = undefined; offset = 0 },
    state: () => ({ now: new Date(current()).toISOString(), real: frozenAt === undefined && offset === 0, frozen: frozenAt !== undefined }),
  }
}
