// The clients' part of loading fixtures: hand-written clients, then the seeded fake ones.
// Loaded on first use: it brings faker.
import { ConflictError } from '../../domain-errors.js'
import type { FixtureMerchant, FixtureWriter } from '../module.js'
import { generateClients } from './fake.js'
import type { ClientsFixture } from './schema.js'

const own = (m: FixtureMerchant): ClientsFixture => m as unknown as ClientsFixture

export const clientsFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    const m = own(merchant)
    for (const [ci, c] of m.clients.entries()) {
      if (stores.clients.exists(c.id)) throw new ConflictError(`${source}: /merchants/${mi}/clients/${ci}/id ${c.id} already exists`)
    }
    const fake = m.fake_clients
    if (fake !== undefined && fake.count > 0) {
      for (let id = fake.first_id; id < fake.first_id + fake.count; id++) {
        if (stores.clients.exists(id)) throw new ConflictError(`${source}: /merchants/${mi}/fake_clients would reuse client id ${id}, which already exists`)
      }
    }
  },
  insert (stores, merchant, { referenceDate, summary }) {
    const m = own(merchant)
    for (const c of m.clients) {
      const createdAt = c.created_at ?? referenceDate
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
      summary.clients = (summary.clients ?? 0) + 1
    }
    const fake = m.fake_clients
    if (fake !== undefined) {
      for (const c of generateClients({ merchantId: m.id, firstId: fake.first_id, count: fake.count, seed: fake.seed, locale: fake.locale, referenceDate })) {
        stores.clients.insert(c)
        summary.clients = (summary.clients ?? 0) + 1
      }
    }
  },
}
