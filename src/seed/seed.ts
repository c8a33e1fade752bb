// The one seeding core behind the server's first start, the CLI and the admin API: fixtures in,
// import, reset — each module writing its own part of every merchant, in registry order. All
// writes go through the stores, in one transaction: a load is written whole or not at all.
// Loaded on first use (the modules' fixture writers bring faker).
import { COUNTS, type Counts, type Stores } from '../db/stores.js'
import { modules } from '../modules.js'
import type { FixtureWriter } from '../modules/module.js'
import type { Fixtures } from './fixtures-schema.js'

/** What a load added, by CountSpec key (merchants, apiKeys, clients…). */
export type SeedSummary = Counts

const writers: readonly FixtureWriter[] = await Promise.all(modules.flatMap((m) => m.fixtures === undefined ? [] : [m.fixtures.load()]))

function emptySummary (): SeedSummary {
  return Object.fromEntries(COUNTS.map((c) => [c.key, 0]))
}

/** Inserts every merchant with each module's part (keys, clients, fake clients…), in one transaction. */
export function seedFixtures (stores: Stores, fixtures: Fixtures | readonly Fixtures[]): SeedSummary {
  const summary = emptySummary()
  const list = Array.isArray(fixtures) ? fixtures : [fixtures as Fixtures]
  stores.transaction(() => {
    for (const f of list) {
      for (const m of f.merchants) {
        for (const w of writers) w.insert(stores, m, { referenceDate: f.reference_date, summary })
      }
    }
  })
  return summary
}

/**
 * Adds fixtures-format data to an existing database. Merchants that exist are reused (their
 * name is kept); any key or id already taken stops the import before anything is written,
 * naming the entry (ConflictError).
 */
export function importFixtures (stores: Stores, fixtures: Fixtures, source: string): SeedSummary {
  for (const [mi, m] of fixtures.merchants.entries()) {
    for (const w of writers) w.checkImport?.(stores, m, mi, source)
  }
  return seedFixtures(stores, fixtures)
}

/** Deletes everything and loads the fixtures again, in one transaction. */
export function resetToFixtures (stores: Stores, fixtures: readonly Fixtures[]): SeedSummary {
  return stores.transaction(() => {
    stores.clear()
    return seedFixtures(stores, fixtures)
  })
}
