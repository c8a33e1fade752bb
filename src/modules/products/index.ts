// The products module: Fatora's product API (CONTRACT §7) — list, get, create, update, delete —
// with its fixtures part and its fake-data seeding.
import { defineModule } from '../module.js'
import { productsMigrations } from './migrations.js'
import { checkProductReferences } from './references.js'
import { productsRoutes } from './routes.js'
import { ProductSchema, productFixtureFields } from './schema.js'
import { createProductsService } from './service.js'
import { createProductsStore } from './store.js'

export const productsModule = defineModule({
  name: 'products',
  tables: ['products'],
  migrations: productsMigrations,
  counts: [{ key: 'products', table: 'products', noun: 'products', one: 'product', perMerchant: true }],
  createStores: (db) => ({ products: createProductsStore(db) }),
  writes: { products: ['create', 'update', 'remove', 'insert'] },
  schemas: [ProductSchema],
  tag: { name: 'products', description: "Fatora's product API" },
  routes: async (v1, { stores, write }) => {
    await v1.register(productsRoutes, { products: createProductsService({ products: stores.products, write }) })
  },
  fixtures: {
    fields: productFixtureFields,
    checkReferences: checkProductReferences,
    load: async () => (await import('./fixtures.js')).productsFixtureWriter,
  },
  seeding: {
    noun: 'products',
    load: async () => (await import('./seed.js')).productsSeeder,
  },
})
