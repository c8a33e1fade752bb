// The invoices' part of loading fixtures: hand-written invoices (CONTRACT §7: invoice 2075, number
// INV567, is Fatora's sample), then the seeded fake ones. Products load first (the registry's
// order), so items find theirs: fake invoices' items name the merchant's fake products, or, when
// the file gives it none, its products as they are then. Loaded on first use: it brings faker.
import { ConflictError } from '../../domain-errors.js'
import type { FixtureWriter } from '../module.js'
import { fakeProductsOf } from '../products/references.js'
import { generateInvoices } from './fake.js'
import { fakeInvoicesOf, ownInvoices } from './references.js'
import { CATALOG_LIMIT } from './seed.js'
import { toFields } from './service.js'

export const invoicesFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    for (const [ii, inv] of ownInvoices(merchant).entries()) {
      if (stores.invoices.exists(inv.id)) throw new ConflictError(`${source}: /merchants/${mi}/invoices/${ii}/id ${inv.id} already exists`)
    }
    const fake = fakeInvoicesOf(merchant)
    if (fake !== undefined) {
      for (let id = fake.first_id; id < fake.first_id + fake.count; id++) {
        if (stores.invoices.exists(id)) throw new ConflictError(`${source}: /merchants/${mi}/fake_invoices would reuse invoice id ${id}, which already exists`)
      }
    }
  },
  insert (stores, merchant, { referenceDate, summary }) {
    for (const inv of ownInvoices(merchant)) {
      const createdAt = new Date(inv.created_at ?? referenceDate)
      // The API's own defaults (a left-out date is the invoice's creation); checkReferences has
      // refused what toFields would.
      stores.invoices.create({ id: inv.id, merchantId: merchant.id, ...toFields(inv, createdAt), createdAt: createdAt.toISOString() })
      summary.invoices = (summary.invoices ?? 0) + 1
    }
    const fake = fakeInvoicesOf(merchant)
    if (fake !== undefined && fake.count > 0) {
      // With fake products in the recipe, fake invoices name those only: the file's hand-written
      // products stay named by its hand-written invoices alone (free to delete otherwise, CONTRACT §7).
      const own = fakeProductsOf(merchant)
      const all = stores.products.catalog(merchant.id, CATALOG_LIMIT)
      const products = own === undefined || own.count === 0 ? all : all.filter((p) => p.id >= own.first_id && p.id < own.first_id + own.count)
      for (const inv of generateInvoices({ merchantId: merchant.id, firstId: fake.first_id, count: fake.count, seed: fake.seed, locale: fake.locale, referenceDate, products })) {
        stores.invoices.insert(inv)
        summary.invoices = (summary.invoices ?? 0) + 1
      }
    }
  },
}
