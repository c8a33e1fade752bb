// The invoices' part of loading fixtures: hand-written invoices (CONTRACT §7: invoice 2075, number
// INV567, is Fatora's sample). Products load first (the registry's order), so items find theirs.
import { ConflictError } from '../../domain-errors.js'
import type { FixtureWriter } from '../module.js'
import { ownInvoices } from './references.js'
import { toFields } from './service.js'

export const invoicesFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    for (const [ii, inv] of ownInvoices(merchant).entries()) {
      if (stores.invoices.exists(inv.id)) throw new ConflictError(`${source}: /merchants/${mi}/invoices/${ii}/id ${inv.id} already exists`)
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
  },
}
