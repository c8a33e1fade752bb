// What the fixtures schema cannot check across merchants: payment ids and transaction ids are
// unique, and amounts have at most 3 decimals (CONTRACT §6.1).
import type { FixtureMerchant } from '../module.js'
import { toMilli } from './money.js'
import type { FixturePayment } from './schema.js'

export function checkPaymentReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const paymentIds = new Set<string>()
  const transactionIds = new Set<string>()
  for (const [mi, m] of merchants.entries()) {
    const payments = (m as unknown as { payments?: FixturePayment[] }).payments ?? []
    for (const [pi, p] of payments.entries()) {
      const at = `/merchants/${mi}/payments/${pi}`
      if (paymentIds.has(p.payment_id)) return `${at}/payment_id ${p.payment_id} appears twice`
      if (transactionIds.has(p.transaction_id)) return `${at}/transaction_id ${p.transaction_id} appears twice`
      if (toMilli(p.amount) === undefined) return `${at}/amount must have at most 3 decimals`
      paymentIds.add(p.payment_id)
      transactionIds.add(p.transaction_id)
    }
  }
  return undefined
}
