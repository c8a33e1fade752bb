// The products' part of loading fixtures: hand-written products (CONTRACT §7: product 669 is
// Fatora's sample id).
import { ConflictError } from '../../domain-errors.js'
import type { FixtureWriter } from '../module.js'
import { ownProducts } from './references.js'
import { toFields } from './service.js'

export const productsFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    for (const [pi, p] of ownProducts(merchant).entries()) {
      if (stores.products.exists(p.id)) throw new ConflictError(`${source}: /merchants/${mi}/products/${pi}/id ${p.id} already exists`)
      if (p.sku !== undefined && p.sku !== null && stores.products.findBySku(merchant.id, p.sku) !== undefined) {
        throw new ConflictError(`${source}: /merchants/${mi}/products/${pi}/sku ${p.sku} already exists for this merchant`)
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
  },
}
