// Id ranges in a fixtures file (CONTRACT §3): hand-written ids and the ranges their fake rows will
// take must not overlap, across every merchant of every file, nor pass the largest id the API
// accepts (a fake range's last id is first_id + count − 1).
import { MAX_ID } from '../db/free-ids.js'

export interface IdRange {
  from: number
  to: number
  /** The entry, as a JSON pointer ("/merchants/0/fake_clients"). */
  where: string
}

/**
 * The first range past MAX_ID ("<where> would take <noun> ids past <MAX_ID>"), else the first
 * that overlaps another ("<where> overlaps <noun> ids of <where>"), or undefined.
 */
export function rangeProblem (ranges: readonly IdRange[], noun: string): string | undefined {
  const past = ranges.find((r) => r.to > MAX_ID)
  if (past !== undefined) return `${past.where} would take ${noun} ids past ${MAX_ID}`
  const sorted = [...ranges].sort((a, b) => a.from - b.from)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]
    const cur = sorted[i]
    if (prev !== undefined && cur !== undefined && cur.from <= prev.to) return `${cur.where} overlaps ${noun} ids of ${prev.where}`
  }
  return undefined
}

/** The ids a fake recipe ({first_id, count}) will take (`to` is Infinity past MAX_ID), or none when count is 0. */
export function recipeRange (recipe: { first_id: number, count: number } | undefined, where: string): IdRange[] {
  if (recipe === undefined || recipe.count === 0) return []
  // Compared before adding: past 2^53 the sum would round, and could round back to MAX_ID.
  const past = recipe.count - 1 > MAX_ID - recipe.first_id
  return [{ from: recipe.first_id, to: past ? Number.POSITIVE_INFINITY : recipe.first_id + recipe.count - 1, where }]
}
