// The payments' part of loading fixtures: finished payments, as verify shows them (CONTRACT §6.4;
// the default data's answers Fatora's own verify and refund samples).
import { ConflictError } from '../../domain-errors.js'
import type { FixtureMerchant, FixtureWriter } from '../module.js'
import { toMilli } from './money.js'
import { isoSeconds } from './service.js'
import { tokenCard } from './saved-cards.js'
import type { FixtureCardToken, FixturePayment } from './schema.js'

const own = (m: FixtureMerchant): FixturePayment[] => (m as unknown as { payments?: FixturePayment[] }).payments ?? []
const ownTokens = (m: FixtureMerchant): FixtureCardToken[] => (m as unknown as { card_tokens?: FixtureCardToken[] }).card_tokens ?? []

export const paymentsFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    for (const [pi, p] of own(merchant).entries()) {
      if (stores.payments.paymentIdTaken(p.payment_id)) throw new ConflictError(`${source}: /merchants/${mi}/payments/${pi}/payment_id ${p.payment_id} already exists`)
      if (stores.payments.transactionIdTaken(p.transaction_id)) throw new ConflictError(`${source}: /merchants/${mi}/payments/${pi}/transaction_id ${p.transaction_id} already exists`)
    }
    for (const [ti, t] of ownTokens(merchant).entries()) {
      if (stores.cardTokens.tokenTaken(t.card_token)) throw new ConflictError(`${source}: /merchants/${mi}/card_tokens/${ti}/card_token already exists`)
    }
  },
  insert (stores, merchant, { referenceDate, summary }) {
    for (const p of own(merchant)) {
      const createdAt = p.created_at ?? referenceDate
      stores.payments.insertFinished({
        paymentId: p.payment_id,
        merchantId: merchant.id,
        type: 'checkout',
        orderId: p.order_id,
        amountMilli: toMilli(p.amount) as number,
        currency: p.currency,
        clientName: p.client.name,
        clientEmail: p.client.email ?? null,
        clientPhone: p.client.phone ?? null,
        language: p.language ?? 'en',
        successUrl: p.success_url ?? null,
        failureUrl: p.failure_url ?? null,
        fcmToken: null,
        saveToken: p.card_token !== undefined && p.card_token !== null,
        note: p.note ?? null,
        createdAt,
        expiresAt: createdAt,
        status: p.status,
        transactionId: p.transaction_id,
        responseCode: p.response_code,
        description: p.description,
        // Stored as every payment date is, ISO 8601 UTC to the second: the refund's same-day rule reads its UTC date.
        paymentDate: isoSeconds(new Date(p.payment_date)),
        authCode: p.auth_code ?? null,
        cardType: p.card_type,
        last4Digits: p.last_4_digits,
        cardFunding: 'credit',
        cardToken: p.card_token ?? null,
        cardExpiry: null,
      })
      summary.payments = (summary.payments ?? 0) + 1
    }
    // Without created_at a saved card is issued now (start or reset): it lasts six months from then.
    const loaded = new Date()
    for (const t of ownTokens(merchant)) {
      const createdAt = t.created_at === undefined ? loaded : new Date(t.created_at)
      stores.cardTokens.insert({
        cardToken: t.card_token,
        merchantId: merchant.id,
        clientName: t.client.name,
        clientEmail: t.client.email ?? null,
        clientPhone: t.client.phone ?? null,
        currency: t.currency ?? 'QAR',
        // An expiry already past loads as an expired token, never as a refusal to start.
        ...tokenCard({ card: t.card, expiry: t.expiry }, createdAt),
        paymentId: null,
        createdAt: createdAt.toISOString(),
      })
      summary.cardTokens = (summary.cardTokens ?? 0) + 1
    }
  },
}
