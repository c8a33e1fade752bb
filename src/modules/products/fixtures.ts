// The products' part of loading fixtures: hand-written products (CONTRACT §7: product 669 is
// Fatora's sample id).
import { ConflictError } from '../../domain-errors.js'
import type { FixtureWriter } from '../module.js'
import { ownProducts } from './references.js'
import { PRODUCT_DEFAULTS } from './schema.js'
import { priceToMilli } from './service.js'

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
      const s = p.setting ?? {}
      stores.products.create({
        id: p.id,
        merchantId: merchant.id,
        name: p.name,
        // checkReferences has refused prices with more than 3 decimals.
        priceMilli: priceToMilli(p.price) as number,
        sku: p.sku ?? null,
        image: p.image ?? null,
        description: p.description ?? null,
        language: p.language ?? PRODUCT_DEFAULTS.language,
        currency: p.currency ?? PRODUCT_DEFAULTS.currency,
        status: p.status ?? PRODUCT_DEFAULTS.status,
        category: p.category ?? null,
        isPublic: s.is_public ?? PRODUCT_DEFAULTS.is_public,
        isLimited: s.is_limited ?? PRODUCT_DEFAULTS.is_limited,
        isCashier: s.is_cashier ?? PRODUCT_DEFAULTS.is_cashier,
        maxCount: s.max_count ?? null,
        maxOrder: s.max_order ?? null,
        // Stored as the API compares them (from/to): UTC with milliseconds.
        createdAt: new Date(p.created_at ?? referenceDate).toISOString(),
      })
      summary.products = (summary.products ?? 0) + 1
    }
  },
}
