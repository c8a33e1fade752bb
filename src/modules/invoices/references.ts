// What the fixtures schema cannot check about invoices: ids unique across all merchants, amounts
// with at most 3 decimals, dates that exist, and items that name the same merchant's products
// (CONTRACT §7).
import { DomainError } from '../../domain-errors.js'
import type { FixtureMerchant } from '../module.js'
import { ownProducts } from '../products/references.js'
import type { FixtureInvoice } from './schema.js'
import { toFields } from './service.js'

export const ownInvoices = (m: FixtureMerchant): FixtureInvoice[] => (m as unknown as { invoices?: FixtureInvoice[] }).invoices ?? []

export function checkInvoiceReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const ids = new Set<number>()
  for (const [mi, m] of merchants.entries()) {
    const products = new Set(ownProducts(m).map((p) => p.id))
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
      const i = fields.items.findIndex((item) => item.productId !== null && !products.has(item.productId))
      if (i !== -1) return `${at}/items/${i}/product_id ${fields.items[i]?.productId ?? ''} is not one of this merchant's products`
    }
  }
  return undefined
}
