// The batch loop every family's fake-data seed shares (CONTRACT §5): rows from a deterministic
// generator, one transaction per batch, so a batch is written whole or not at all; the
// synchronous form (CLI, first start) runs it to the end, the async form (POST /__admin/seed)
// yields to the event loop between batches and stops after a whole batch when the server closes.
import type { Stores } from '../db/stores.js'
import { ShuttingDownError } from '../domain-errors.js'

/** "Now" for generated data unless the fixtures say otherwise: fake rows never read the wall clock. */
export const DEFAULT_REFERENCE_DATE = '2025-01-01T00:00:00.000Z'

export interface BatchPlan<T> {
  count: number
  /** Rows per transaction. */
  batch: number
  rows: Iterator<T>
  insert: (row: T) => void
  /** The whole batch at once, when the store has such a form (clients: kept searches move once per batch). */
  insertMany?: ((rows: T[]) => void) | undefined
  onProgress?: ((written: number) => void) | undefined
}

/** Writes the plan's rows batch by batch, yielding the number written after each. */
export function * inBatches<T> (transaction: Stores['transaction'], plan: BatchPlan<T>): Generator<number, void> {
  let written = 0
  while (written < plan.count) {
    const n = Math.min(plan.batch, plan.count - written)
    transaction(() => {
      const many = plan.insertMany
      const rows: T[] = []
      for (let i = 0; i < n; i++) {
        const next = plan.rows.next()
        if (next.done === true) break
        if (many === undefined) plan.insert(next.value)
        else rows.push(next.value)
      }
      many?.(rows)
    })
    written += n
    plan.onProgress?.(written)
    yield written
  }
}

/** Runs a seed's batches to the end, synchronously; returns its result. */
export function runToEnd<R> (it: Generator<number, R>): R {
  for (;;) {
    const r = it.next()
    if (r.done === true) return r.value
  }
}

/**
 * Runs a seed's batches, yielding to the event loop after each so other requests keep being
 * answered; when `signal` aborts, stops after the current batch (`stopped` names how far it got).
 */
export async function runYielding<R> (it: Generator<number, R>, count: number, signal: AbortSignal | undefined, stopped: (written: number) => string): Promise<R> {
  for (;;) {
    const r = it.next()
    if (r.done === true) return r.value
    await new Promise<void>((resolve) => setImmediate(resolve))
    // A closing server stops between batches: every batch written is whole.
    if (signal?.aborted === true && r.value < count) throw new ShuttingDownError(stopped(r.value))
  }
}
