// The payment rules (CONTRACT §6.2–6.6), shared by /v1, the hosted page and /__admin: checkout,
// one outcome per payment, expiry, verify, refund; saved cards are saved-cards.ts. No HTTP here: refusals are domain errors. Every write
// goes through the app's one write queue; a payment is finished by a conditional UPDATE, so two
// tabs or a double submit can never charge it twice.
import type { WriteQueue } from '../../db/write-queue.js'
import { InvalidInputError, NotFoundError, StateError } from '../../domain-errors.js'
import { cardFor, checkCard, expiryMonth, normaliseNumber, OUTCOMES, type Card, type CardErrors, type CardInput, type Outcome } from './cards.js'
import { newAuthCode, newPaymentId, newTransactionId, PAYMENT_ID } from './ids.js'
import { paymentMessages as messages } from './messages.js'
import { toMilli, fromMilli } from './money.js'
import type { PaymentNotifier } from './notifier.js'
import { merchantRedirect, redirectParams, type RedirectParamNames } from './redirect.js'
import type { CheckoutBody, PaymentResult } from './schema.js'
import { createSavedCards, type SavedCards } from './saved-cards.js'
import type { Finish, PaymentRow, PaymentsStore, RefundStatus } from './store.js'
import type { CardTokensStore } from './token-store.js'

export interface PaymentsSettings {
  currencies: readonly string[]
  checkoutTtlMs: number
  redirectParams: RedirectParamNames
}

/** What a card form submission led to. */
export type PayResult =
  | { kind: 'invalid', errors: CardErrors, payment: PaymentRow }
  | { kind: '3ds', payment: PaymentRow }
  | { kind: 'finished', payment: PaymentRow, /** false: it had already finished (another tab, a double submit) */ now: boolean }

// Built once: thrown on every miss, so a 404 costs no stack capture.
const paymentNotFound = new NotFoundError(messages.paymentNotFound)
const verifyNeedsId = new InvalidInputError(messages.verifyNeedsId)
const alreadyRefunded = new StateError(messages.alreadyRefunded)

/** ISO 8601 UTC to the second, as Fatora's payment_date ("2026-11-30T10:21:04Z"). */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

// A host name (IDNs arrive as punycode) or an IPv4 address: what a Location header and a CSP
// source can carry as is. IPv6 literals are refused: CSP has no host-source for them.
const PLAIN_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/

/**
 * A merchant URL (success_url, failure_url, a webhook): absolute http(s) with a plain host, else a
 * 400 naming `field`. Answered normalised (non-ASCII percent-encoded, the host in punycode), so it
 * is always a valid Location.
 */
export function absoluteHttpUrl (value: string, field: string): string
export function absoluteHttpUrl (value: string | null | undefined, field: string): string | null
export function absoluteHttpUrl (value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null
  let url: URL
  try { url = new URL(value) } catch { throw new InvalidInputError(messages.urlInvalid(field)) }
  const ok = (url.protocol === 'http:' || url.protocol === 'https:') && PLAIN_HOST.test(url.hostname) && url.username === '' && url.password === '' &&
    value === value.trim() && !/[\t\n\r]/.test(value)
  if (!ok) throw new InvalidInputError(messages.urlInvalid(field))
  return url.href
}

/** verify's result for a payment (CONTRACT §6.4): every field present, null for nothing. */
export function toPaymentResult (row: PaymentRow): PaymentResult {
  return {
    order_id: row.orderId,
    transaction_id: row.transactionId,
    amount: fromMilli(row.amountMilli),
    currency: row.currency,
    client: { name: row.clientName, email: row.clientEmail, phone: row.clientPhone, note: null },
    note: row.note,
    payment_date: row.paymentDate,
    payment_status: row.status,
    mode: 'test',
    auth_code: row.authCode,
    description: row.description,
    card_token: row.cardToken,
    card_type: row.cardType,
    last_4_digits: row.last4Digits,
    type: row.type,
    exchange_details: null,
    transfer_details: null,
    refund_details: row.refundStatus === null
      ? null
      : { refund_status: row.refundStatus, refund_date: row.refundDate as string, amount: fromMilli(row.amountMilli) },
    refund_transaction_id: row.refundTransactionId,
  }
}

/**
 * CONTRACT §6.5 (after Fatora's timing rule): a refund on the payment's own day (UTC, before
 * midnight GMT) is completed at once; later, the bank takes it and it is pending.
 */
export const refundStatusFor = (paymentDate: string, at: Date): RefundStatus =>
  paymentDate.slice(0, 10) === at.toISOString().slice(0, 10) ? 'completed' : 'pending'

export interface PaymentsService {
  checkout: (merchantId: number, body: CheckoutBody) => Promise<PaymentRow>
  /** CONTRACT §6.4: by transaction_id, order_id or both; a PENDING payment only by order_id. */
  verify: (merchantId: number, ids: { transactionId?: string | undefined, orderId?: string | undefined }) => Promise<PaymentRow>
  /** The payment behind a page, brought up to date (an expired page ends it); undefined for none (a collect-payment has none). */
  forPage: (paymentId: string) => Promise<PaymentRow | undefined>
  /** The card form: invalid input changes nothing; the 3-D Secure card waits for its step. */
  pay: (paymentId: string, input: CardInput) => Promise<PayResult>
  /** The 3-D Secure page's Approve (true) or Fail (false). */
  threeDs: (paymentId: string, approve: boolean) => Promise<PayResult>
  cancel: (paymentId: string) => Promise<PayResult>
  expire: (paymentId: string) => Promise<PayResult>
  /** Ends every PENDING payment whose page has expired. */
  sweepExpired: () => Promise<number>
  /** CONTRACT §6.5: refunds a successful payment, once; found as verify finds it. */
  refund: (merchantId: number, ids: { transactionId?: string | undefined, orderId?: string | undefined }) => Promise<PaymentRow>
  /** Saved cards (CONTRACT §6.6): collect-payment, deactivate-token and the /__admin helpers. */
  savedCards: SavedCards
  /** The browser is being sent back to the merchant: remembered, so the interstitial forwards once. */
  markReturned: (payment: PaymentRow) => Promise<void>
  /** Where the browser goes for a finished payment, or undefined without a merchant URL. */
  redirectFor: (payment: PaymentRow) => string | undefined
  now: () => Date
}

export interface PaymentsServiceDeps {
  payments: PaymentsStore
  tokens: CardTokensStore
  write: WriteQueue
  settings: PaymentsSettings
  notifier: PaymentNotifier
  now?: () => Date
}

export function createPaymentsService ({ payments, tokens, write, settings, notifier, now = () => new Date() }: PaymentsServiceDeps): PaymentsService {
  function uniqueTransactionId (): string {
    for (;;) {
      const id = newTransactionId()
      if (!payments.transactionIdTaken(id)) return id
    }
  }

  function notify (row: PaymentRow): void {
    notifier.paymentFinished({
      merchantId: row.merchantId,
      paymentId: row.paymentId,
      redirectParams: redirectParams(row, settings.redirectParams),
      body: { status: 'SUCCESS', result: toPaymentResult(row) },
      fcmToken: row.fcmToken,
    })
  }

  const savedCards = createSavedCards({ payments, tokens, write, now, currencies: settings.currencies, uniqueTransactionId, notify })

  /** Finishes a PENDING payment with an outcome (inside a write-queue turn); `card.expiry` is YYYY-MM. */
  function finishNow (paymentId: string, outcome: Outcome, card: (Card & { expiry: string }) | undefined, at: Date): PayResult {
    const current = payments.byPaymentId(paymentId)
    if (current === undefined) throw paymentNotFound
    if (current.status !== 'PENDING') return { kind: 'finished', payment: current, now: false }
    const success = outcome.status === 'SUCCESS'
    const digits = card?.digits
    const funding = card === undefined ? current.cardFunding : card.behaviour === 'debit' ? 'debit' : 'credit'
    const cardExpiry = card?.expiry ?? current.cardExpiry
    // CONTRACT §6.6: only a successful credit card, when checkout asked, gets a token.
    const cardToken = success && current.saveToken && funding === 'credit' ? savedCards.newToken() : null
    const finish: Finish = {
      status: outcome.status,
      transactionId: uniqueTransactionId(),
      responseCode: outcome.responseCode,
      description: outcome.description,
      paymentDate: isoSeconds(at),
      authCode: success ? newAuthCode() : null,
      cardType: card?.brand ?? current.cardType,
      last4Digits: digits?.slice(-4) ?? current.last4Digits,
      cardFunding: funding,
      cardToken,
      cardExpiry,
    }
    if (!payments.finish(paymentId, finish)) return { kind: 'finished', payment: payments.byPaymentId(paymentId) as PaymentRow, now: false }
    const row = payments.byPaymentId(paymentId) as PaymentRow
    // A card whose expiry is unknown (entered before the mock kept it) keeps the token's six months.
    if (cardToken !== null) savedCards.save(row, cardToken, cardExpiry, at)
    notify(row)
    return { kind: 'finished', payment: row, now: true }
  }

  /** A PENDING payment past its expiry ends now (inside a write-queue turn). */
  function expireIfDue (row: PaymentRow): PaymentRow {
    if (row.status !== 'PENDING' || row.expiresAt > now().toISOString()) return row
    return finishNow(row.paymentId, OUTCOMES.expired, undefined, new Date(row.expiresAt)).payment
  }

  async function current (paymentId: string): Promise<PaymentRow | undefined> {
    if (!PAYMENT_ID.test(paymentId)) return undefined
    const row = payments.byPaymentId(paymentId)
    // A collect-payment charged a saved card: it never had a page.
    if (row?.type === 'collect-payment') return undefined
    return await upToDate(row)
  }

  /** The row as it stands now: one whose page expired is ended first (a write, so read again). */
  async function upToDate (row: PaymentRow | undefined): Promise<PaymentRow | undefined> {
    if (row === undefined || row.status !== 'PENDING' || row.expiresAt > now().toISOString()) return row
    return await write(() => {
      const fresh = payments.byPaymentId(row.paymentId)
      return fresh === undefined ? undefined : expireIfDue(fresh)
    })
  }

  async function finishing (paymentId: string, step: (row: PaymentRow) => PayResult): Promise<PayResult> {
    return await write(() => {
      const row = payments.byPaymentId(paymentId)
      if (row === undefined) throw paymentNotFound
      const fresh = expireIfDue(row)
      if (fresh.status !== 'PENDING') return { kind: 'finished', payment: fresh, now: false }
      return step(fresh)
    })
  }

  /** verify's lookup (CONTRACT §6.4), shared by refund. */
  function find (merchantId: number, { transactionId, orderId }: { transactionId?: string | undefined, orderId?: string | undefined }): PaymentRow {
    if (transactionId === undefined && orderId === undefined) throw verifyNeedsId
    const row = transactionId !== undefined ? payments.byTransactionId(merchantId, transactionId) : payments.latestByOrderId(merchantId, orderId as string)
    // Both given: they must name the same payment.
    if (row === undefined || (orderId !== undefined && row.orderId !== orderId)) throw paymentNotFound
    return row
  }

  return {
    now,
    savedCards,
    async checkout (merchantId, body) {
      const amountMilli = toMilli(body.amount)
      if (amountMilli === undefined) throw new InvalidInputError(messages.amountInvalid)
      if (!settings.currencies.includes(body.currency)) throw new InvalidInputError(messages.currencyInvalid(settings.currencies))
      const successUrl = absoluteHttpUrl(body.success_url, 'success_url')
      const failureUrl = absoluteHttpUrl(body.failure_url, 'failure_url')
      const created = now()
      return await write(() => {
        let paymentId = newPaymentId()
        while (payments.paymentIdTaken(paymentId)) paymentId = newPaymentId()
        return payments.insert({
          paymentId,
          merchantId,
          type: 'checkout',
          orderId: body.order_id,
          amountMilli,
          currency: body.currency,
          clientName: body.client.name,
          clientEmail: body.client.email ?? null,
          clientPhone: body.client.phone ?? null,
          language: body.language ?? 'en',
          successUrl,
          failureUrl,
          fcmToken: body.fcm_token ?? null,
          saveToken: body.save_token ?? false,
          note: body.note ?? null,
          createdAt: created.toISOString(),
          expiresAt: new Date(created.getTime() + settings.checkoutTtlMs).toISOString(),
        })
      })
    },
    async verify (merchantId, ids) {
      const row = find(merchantId, ids)
      return (await upToDate(row)) ?? row
    },
    async refund (merchantId, ids) {
      if (ids.transactionId === undefined && ids.orderId === undefined) throw verifyNeedsId
      // One queue turn from lookup to write: of two refunds of one payment, exactly one succeeds.
      return await write(() => {
        const row = expireIfDue(find(merchantId, ids))
        if (row.refundTransactionId !== null) throw alreadyRefunded
        if (row.status !== 'SUCCESS') throw new StateError(messages.notRefundable(row.status))
        const at = now()
        const refunded = payments.refund(row.paymentId, {
          status: refundStatusFor(row.paymentDate ?? '', at),
          date: isoSeconds(at),
          transactionId: uniqueTransactionId(),
        })
        if (!refunded) throw alreadyRefunded
        return payments.byPaymentId(row.paymentId) as PaymentRow
      })
    },
    forPage: current,
    async pay (paymentId, input) {
      const at = now()
      const errors = checkCard(input, at)
      return await finishing(paymentId, (row) => {
        if (row.stage !== 'card') return { kind: '3ds', payment: row }
        if (Object.keys(errors).length > 0) return { kind: 'invalid', errors, payment: row }
        const card = { ...cardFor(normaliseNumber(input.card_number ?? '')), expiry: expiryMonth(input.expiry ?? '') }
        if (card.behaviour === '3ds') {
          payments.awaitThreeDs(paymentId, { cardType: card.brand, last4Digits: card.digits.slice(-4), cardFunding: 'credit', cardExpiry: card.expiry })
          return { kind: '3ds', payment: payments.byPaymentId(paymentId) as PaymentRow }
        }
        return finishNow(paymentId, card.outcome, card, at)
      })
    },
    async threeDs (paymentId, approve) {
      return await finishing(paymentId, (row) => {
        if (row.stage !== '3ds') return { kind: 'invalid', errors: {}, payment: row }
        return finishNow(paymentId, approve ? OUTCOMES.approved : OUTCOMES.authenticationFailed, undefined, now())
      })
    },
    cancel: async (paymentId) => await finishing(paymentId, () => finishNow(paymentId, OUTCOMES.cancelled, undefined, now())),
    expire: async (paymentId) => await finishing(paymentId, () => finishNow(paymentId, OUTCOMES.expired, undefined, now())),
    async sweepExpired () {
      // A read first: the background sweep takes a write-queue turn only when a page has expired.
      if (payments.expired(now().toISOString(), 1).length === 0) return 0
      return await write(() => {
        let ended = 0
        for (const row of payments.expired(now().toISOString(), 1000)) {
          if (expireIfDue(row).status !== 'PENDING') ended++
        }
        return ended
      })
    },
    redirectFor: (payment) => merchantRedirect(payment, settings.redirectParams),
    async markReturned (payment) {
      if (payment.returnedAt === null) await write(() => { payments.markReturned(payment.paymentId, now().toISOString()) })
    },
  }
}
