// What the fixtures schema cannot check across merchants: payment ids, transaction ids and card
// tokens are unique, amounts have at most 3 decimals (CONTRACT §6.1), a saved card is a credit card.
import type { FixtureMerchant } from '../module.js'
import { toMilli } from './money.js'
import { DomainError } from '../../domain-errors.js'
import { tokenCard } from './saved-cards.js'
import type { FixtureCardToken, FixturePayment } from './schema.js'

export function checkPaymentReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const paymentIds = new Set<string>()
  const transactionIds = new Set<string>()
  const cardTokens = new Set<string>()
  for (const [mi, m] of merchants.entries()) {
    const payments = (m as unknown as { payments?: FixturePayment[] }).payments ?? []
    for (const [pi, p] of payments.entries()) {
      const at = `/merchants/${mi}/payments/${pi}`
      if (paymentIds.has(p.payment_id)) return `${at}/payment_id ${p.payment_id} appears twice`
      if (transactionIds.has(p.transaction_id)) return `${at}/transaction_id ${p.transaction_id} appears twice`
      if (toMilli(p.amount) === undefined) return `${at}/amount must have at most 3 decimals`
      // date-time admits a leap second (23:59:60) that Date cannot hold.
      for (const field of ['payment_date', 'created_at'] as const) {
        const value = p[field]
        if (value !== undefined && Number.isNaN(Date.parse(value))) return `${at}/${field} is not a date-time JavaScript can read`
      }
      paymentIds.add(p.payment_id)
      transactionIds.add(p.transaction_id)
    }
    const tokens = (m as unknown as { card_tokens?: FixtureCardToken[] }).card_tokens ?? []
    for (const [ti, t] of tokens.entries()) {
      const at = `/merchants/${mi}/card_tokens/${ti}`
      if (cardTokens.has(t.card_token)) return `${at}/card_token appears twice`
      cardTokens.add(t.card_token)
      if (t.created_at !== undefined && Number.isNaN(Date.parse(t.created_at))) return `${at}/created_at is not a date-time JavaScript can read`
      try {
        tokenCard({ card: t.card, expiry: t.expiry }, new Date())
      } catch (err) {
        if (err instanceof DomainError) return `${at}: ${err.message.replace('Invalid body field ', '')}`
        throw err
      }
    }
  }
  return undefined
}
