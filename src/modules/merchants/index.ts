// The merchants module: merchants and their API keys, the tenancy root of every family. No /v1
// routes of its own (Fatora has none); the auth hook reads its keys store.
import { defineModule } from '../module.js'
import { checkMerchantReferences, merchantsFixtureWriter } from './fixtures.js'
import { createKeysStore } from './keys-store.js'
import { merchantsMigrations } from './migrations.js'
import { merchantsAdminRoutes } from './admin-routes.js'
import { merchantFixtureFields } from './schema.js'
import { createMerchantsStore } from './store.js'

export const merchantsModule = defineModule({
  name: 'merchants',
  tables: ['merchants', 'api_keys'],
  migrations: merchantsMigrations,
  counts: [
    { key: 'merchants', table: 'merchants', noun: 'merchants', one: 'merchant' },
    { key: 'apiKeys', table: 'api_keys', noun: 'keys', one: 'key' },
  ],
  createStores: (db, freshness) => ({ merchants: createMerchantsStore(db), keys: createKeysStore(db, freshness) }),
  writes: { merchants: ['insert'], keys: ['insert', 'setStatus'] },
  adminRoutes: async (admin, { stores, write }) => { await admin.register(merchantsAdminRoutes, { stores, write }) },
  fixtures: {
    fields: merchantFixtureFields,
    checkReferences: checkMerchantReferences,
    load: async () => merchantsFixtureWriter,
  },
})
