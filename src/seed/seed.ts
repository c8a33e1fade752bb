// Writes fixtures into a database through the stores, in one transaction: all or nothing.
import type { Stores } from '../db/stores.js'
import type { Fixtures } from '../schemas/fixtures.js'
import { generateClients } from './fake-clients.js'

export interface SeedSummary {
  merchants: number
  apiKeys: number
  clients: number
}

/** Inserts every merchant, key, hand-written client and generated fake client of `fixtures`. */
export function seedFixtures (stores: Stores, fixtures: Fixtures): SeedSummary {
  const summary: SeedSummary = { merchants: 0, apiKeys: 0, clients: 0 }
  stores.transaction(() => {
    for (const m of fixtures.merchants) {
      stores.merchants.insert({ id: m.id, name: m.name })
      summary.merchants++
      for (const k of m.api_keys) {
        stores.keys.insert({ key: k.key, merchantId: m.id, status: k.status })
        summary.apiKeys++
      }
      for (const c of m.clients) {
        const createdAt = c.created_at ?? fixtures.reference_date
        stores.clients.insert({
          id: c.id,
          merchantId: m.id,
          name: c.name,
          address: c.address ?? null,
          phone: c.phone ?? null,
          email: c.email ?? null,
          notes: c.notes ?? null,
          createdAt,
          updatedAt: createdAt,
        })
        summary.clients++
      }
      const fake = m.fake_clients
      if (fake !== undefined) {
        for (const c of generateClients({ merchantId: m.id, firstId: fake.first_id, count: fake.count, seed: fake.seed, locale: fake.locale, referenceDate: fixtures.reference_date })) {
          stores.clients.insert(c)
          summary.clients++
        }
      }
    }
  })
  return summary
}
