// The products' part of loading fixtures: hand-written products (CONTRACT §7: product 669 is
// Fatora's sample id), then the seeded fake ones. Loaded on first use: it brings faker.
import { ConflictError } from '../../domain-errors.js'
import type { FixtureWriter } from '../module.js'
import { generateProducts } from './fake.js'
import { fakeProductsOf, ownProducts } from './references.js'
import { insertFakeProduct } from './seed.js'
import { toFields } from './service.js'

export const productsFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    for (const [pi, p] of ownProducts(merchant).entries()) {
      if (stores.products.exists(p.id)) throw new ConflictError(`${source}: /merchants/${mi}/products/${pi}/id ${p.id} already exists`)
      if (p.sku !== undefined && p.sku !== null && stores.products.findBySku(merchant.id, p.sku) !== undefined) {
        throw new ConflictError(`${source}: /merchants/${mi}/products/${pi}/sku ${p.sku} already exists for this merchant`)
      }
    }
    const fake = fakeProductsOf(merchant)
    if (fake !== undefined) {
      for (let id = fake.first_id; id < fake.first_id + fake.count; id++) {
        if (stores.products.exists(id)) throw new ConflictError(`${source}: /merchants/${mi}/fake_products would reuse product id ${id}, which already exists`)
      }
    }
  },
  insert (stores, merchant, { referenceDate, summary }) {
    for (const p of ownProducts(merchant)) {
      stores.products.create({
        id: p.id,
        merchantId: merchant.id,
        // The API's own defaults; checkReferences has refused prices with more than 3 decimals.
        ...toFields(p),
        // Stored as the API compares them (from/to): UTC with milliseconds.
        createdAt: new Date(p.created_at ?? referenceDate).toISOString(),
      })
      summary.products = (summary.products ?? 0) + 1
    }
    const fake = fakeProductsOf(merchant)
    if (fake !== undefined) {
      for (const p of generateProducts({ merchantId: merchant.id, firstId: fake.first_id, count: fake.count, seed: fake.seed, locale: fake.locale, referenceDate })) {
        insertFakeProduct(stores, p)
        summary.products = (summary.products ?? 0) + 1
      }
    }
  },
}
