// What the fixtures schema cannot check about products: ids unique across all merchants (of every
// file), including the ranges their fake products will take, skus unique within a merchant
// (CONTRACT §7), prices with at most 3 decimals.
import { rangeProblem, recipeRange, type IdRange } from '../../seed/id-ranges.js'
import type { FixtureMerchant } from '../module.js'
import type { FakeProductsRecipe, FixtureProduct } from './schema.js'
import { priceToMilli } from './service.js'

export const ownProducts = (m: FixtureMerchant): FixtureProduct[] => (m as unknown as { products?: FixtureProduct[] }).products ?? []
export const fakeProductsOf = (m: FixtureMerchant): FakeProductsRecipe | undefined => (m as unknown as { fake_products?: FakeProductsRecipe }).fake_products

export function checkProductReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const ids = new Set<number>()
  const ranges: IdRange[] = []
  for (const [mi, m] of merchants.entries()) {
    const skus = new Set<string>()
    for (const [pi, p] of ownProducts(m).entries()) {
      const at = `/merchants/${mi}/products/${pi}`
      if (ids.has(p.id)) return `${at}/id ${p.id} appears twice`
      if (p.sku !== undefined && p.sku !== null && skus.has(p.sku)) return `${at}/sku ${p.sku} appears twice for this merchant`
      if (priceToMilli(p.price) === undefined) return `${at}/price must have at most 3 decimals`
      ids.add(p.id)
      if (p.sku !== undefined && p.sku !== null) skus.add(p.sku)
      ranges.push({ from: p.id, to: p.id, where: `${at}/id` })
    }
    ranges.push(...recipeRange(fakeProductsOf(m), `/merchants/${mi}/fake_products`))
  }
  return rangeProblem(ranges, 'product')
}
