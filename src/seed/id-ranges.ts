// Id ranges in a fixtures file (CONTRACT §3): hand-written ids and the ranges their fake rows will
// take must not overlap, across every merchant of every file.
export interface IdRange {
  from: number
  to: number
  /** The entry, as a JSON pointer ("/merchants/0/fake_clients"). */
  where: string
}

/** The first range that overlaps another, as "<where> overlaps <noun> ids of <where>", or undefined. */
export function firstOverlap (ranges: readonly IdRange[], noun: string): string | undefined {
  const sorted = [...ranges].sort((a, b) => a.from - b.from)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]
    const cur = sorted[i]
    if (prev !== undefined && cur !== undefined && cur.from <= prev.to) return `${cur.where} overlaps ${noun} ids of ${prev.where}`
  }
  return undefined
}

/** The ids a fake recipe ({first_id, count}) will take, or none when count is 0. */
export function recipeRange (recipe: { first_id: number, count: number } | undefined, where: string): IdRange[] {
  return recipe === undefined || recipe.count === 0 ? [] : [{ from: recipe.first_id, to: recipe.first_id + recipe.count - 1, where }]
}
