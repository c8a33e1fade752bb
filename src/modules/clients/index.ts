// The clients module: Fatora's client API (CONTRACT §2) — list, get, create, update, delete —
// with its /__admin helpers, its fixtures part and its fake-data generator.
import { defineModule } from '../module.js'
import { clientsAdminRoutes } from './admin-routes.js'
import { clientsMigrations } from './migrations.js'
import { checkClientReferences } from './references.js'
import { clientsRoutes } from './routes.js'
import { ClientSchema, clientFixtureFields } from './schema.js'
import { createClientsService } from './service.js'
import { createClientsStore } from './store.js'

export const clientsModule = defineModule({
  name: 'clients',
  tables: ['clients'],
  migrations: clientsMigrations,
  counts: [{ key: 'clients', table: 'clients', noun: 'clients', one: 'client', perMerchant: true }],
  createStores: (db, freshness) => ({ clients: createClientsStore(db, freshness) }),
  writes: { clients: ['insert', 'create', 'update', 'remove', 'withoutBulkIndexes'] },
  schemas: [ClientSchema],
  tag: { name: 'clients', description: "Fatora's client API" },
  routes: async (v1, { stores, write }) => {
    await v1.register(clientsRoutes, { clients: createClientsService({ clients: stores.clients, write }) })
  },
  adminRoutes: async (admin, { stores, write }) => {
    await admin.register(clientsAdminRoutes, { stores, clients: createClientsService({ clients: stores.clients, write }), write })
  },
  fixtures: {
    fields: clientFixtureFields,
    checkReferences: checkClientReferences,
    load: async () => (await import('./fixtures.js')).clientsFixtureWriter,
  },
  seeding: {
    noun: 'clients',
    load: async () => (await import('./seed.js')).clientsSeeder,
  },
})
