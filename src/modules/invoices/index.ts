// The invoices module: Fatora's invoice API (CONTRACT §7) — list, get, create, update, delete, quick
// or detailed — with its fixtures part and its fake-data seeding.
import { defineModule } from '../module.js'
import { invoicesMigrations } from './migrations.js'
import { checkInvoiceReferences } from './references.js'
import { invoicesRoutes } from './routes.js'
import { InvoiceSchema, invoiceFixtureFields } from './schema.js'
import { createInvoicesService } from './service.js'
import { createInvoicesStore } from './store.js'

export const invoicesModule = defineModule({
  name: 'invoices',
  tables: ['invoices', 'invoice_items'],
  migrations: invoicesMigrations,
  counts: [{ key: 'invoices', table: 'invoices', noun: 'invoices', one: 'invoice', perMerchant: true }],
  createStores: (db) => ({ invoices: createInvoicesStore(db) }),
  writes: { invoices: ['create', 'update', 'remove', 'insert', 'withoutBulkIndexes'] },
  schemas: [InvoiceSchema],
  tag: { name: 'invoices', description: "Fatora's invoice API: quick and detailed invoices" },
  routes: async (v1, { stores, write }) => {
    // An invoice and its items commit together.
    await v1.register(invoicesRoutes, { invoices: createInvoicesService({ invoices: stores.invoices, write: async (fn) => await write(() => stores.transaction(fn)) }) })
  },
  fixtures: {
    fields: invoiceFixtureFields,
    checkReferences: checkInvoiceReferences,
    load: async () => (await import('./fixtures.js')).invoicesFixtureWriter,
  },
  seeding: {
    noun: 'invoices',
    load: async () => (await import('./seed.js')).invoicesSeeder,
  },
})
