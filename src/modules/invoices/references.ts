// What the fixtures schema cannot check about invoices: ids unique across all merchants, including
// the ranges their fake invoices will take, amounts with at most 3 decimals, dates that exist, and
// items that name the same merchant's products (CONTRACT §7).
import { DomainError } from '../../domain-errors.js'
import { rangeProblem, recipeRange, type IdRange } from '../../seed/id-ranges.js'
import type { FixtureMerchant } from '../module.js'
import { fakeProductsOf, ownProducts } from '../products/references.js'
import type { FakeInvoicesRecipe, FixtureInvoice } from './schema.js'
import { toFields } from './service.js'

export const ownInvoices = (m: FixtureMerchant): FixtureInvoice[] => (m as unknown as { invoices?: FixtureInvoice[] }).invoices ?? []
export const fakeInvoicesOf = (m: FixtureMerchant): FakeInvoicesRecipe | undefined => (m as unknown as { fake_invoices?: FakeInvoicesRecipe }).fake_invoices

export function checkInvoiceReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const ids = new Set<number>()
  const ranges: IdRange[] = []
  for (const [mi, m] of merchants.entries()) {
    const products = new Set(ownProducts(m).map((p) => p.id))
    // A hand-written invoice may name a fake product too: its id is known from the recipe.
    const fake = fakeProductsOf(m)
    const isOwn = (id: number): boolean => products.has(id) || (fake !== undefined && id >= fake.first_id && id < fake.first_id + fake.count)
    for (const [ii, inv] of ownInvoices(m).entries()) {
      const at = `/merchants/${mi}/invoices/${ii}`
      if (ids.has(inv.id)) return `${at}/id ${inv.id} appears twice`
      ids.add(inv.id)
      let fields
      try {
        fields = toFields(inv, new Date(0))
      } catch (err) {
        if (err instanceof DomainError) return `${at}: ${err.message.replace('Invalid body field ', '')}`
        throw err
      }
      const i = fields.items.findIndex((item) => item.productId !== null && !isOwn(item.productId))
      if (i !== -1) return `${at}/items/${i}/product_id ${fields.items[i]?.productId ?? ''} is not one of this merchant's products`
      ranges.push({ from: inv.id, to: inv.id, where: `${at}/id` })
    }
    ranges.push(...recipeRange(fakeInvoicesOf(m), `/merchants/${mi}/fake_invoices`))
  }
  return rangeProblem(ranges, 'invoice')
}
