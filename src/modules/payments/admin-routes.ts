// /__admin/payments (ours, CONTRACT §6.3): finish a payment the way a browser would, and list
// payments with every stored field — for test suites without a browser.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { adminErrors as errors, adminSecurity as security, storageError } from '../../admin/responses.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../domain-errors.js'
import { errorResponse } from '../../http/responses.js'
import { cardFor, checkCard, normaliseNumber, type CardErrors } from './cards.js'
import { paymentMessages as messages } from './messages.js'
import { fromMilli } from './money.js'
import { PAGE_TEXT } from './page-text.js'
import { baseUrl, checkoutUrl, PAGE_PATHS, pagePath } from './page-urls.js'
import { CompleteBodySchema, CompleteResponseSchema, ListPaymentsQuerySchema, type AdminPayment } from './schema.js'
import type { PaymentsService, PayResult } from './service.js'
import type { PaymentRow, PaymentsStore } from './store.js'

export interface PaymentsAdminOptions {
  payments: PaymentsService
  store: PaymentsStore
  publicUrl: string | undefined
}

export function toAdminPayment (row: PaymentRow, checkout: string): AdminPayment {
  return {
    payment_id: row.paymentId,
    merchant_id: row.merchantId,
    checkout_url: row.type === 'collect-payment' ? null : checkout,
    status: row.status,
    stage: row.stage,
    type: row.type,
    order_id: row.orderId,
    amount: fromMilli(row.amountMilli),
    currency: row.currency,
    client: { name: row.clientName, email: row.clientEmail, phone: row.clientPhone },
    language: row.language,
    success_url: row.successUrl,
    failure_url: row.failureUrl,
    fcm_token: row.fcmToken,
    save_token: row.saveToken,
    note: row.note,
    transaction_id: row.transactionId,
    response_code: row.responseCode,
    description: row.description,
    payment_date: row.paymentDate,
    auth_code: row.authCode,
    card_type: row.cardType,
    last_4_digits: row.last4Digits,
    card_token: row.cardToken,
    refund_status: row.refundStatus,
    refund_date: row.refundDate,
    refund_transaction_id: row.refundTransactionId,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
  }
}

// The page's own words for a bad card, as the admin body's fields name them.
const BODY_FIELDS = { card_number: 'card', expiry: 'expiry', cvv: 'cvv', holder_name: 'holder_name' } as const
function firstCardError (errors: CardErrors): InvalidInputError | undefined {
  const first = Object.entries(errors)[0]
  if (first === undefined) return undefined
  const [field, key] = first
  return new InvalidInputError(messages.cardRejected(BODY_FIELDS[field as keyof typeof BODY_FIELDS], PAGE_TEXT.en.errors[key]))
}

/** A card expiry some years ahead of `now`, as MM/YY. */
const futureExpiry = (now: Date): string => `12/${String((now.getUTCFullYear() + 5) % 100).padStart(2, '0')}`

export const paymentsAdminRoutes: FastifyPluginCallbackTypebox<PaymentsAdminOptions> = (app, { payments, store, publicUrl }, done) => {
  app.post('/payments/:paymentID/complete', {
    schema: {
      operationId: 'adminCompletePayment',
      tags: ['admin'],
      security,
      summary: 'Finish a payment as a browser would (card, cancel or expiry)',
      description: 'Body: `{"card": "4000000000009995"}` (a test card decides; 3-D Secure approves unless `three_d_secure` is `fail`), `{"outcome": "cancelled" | "expired"}`, or `{"three_d_secure": "approve" | "fail"}` for a payment waiting on its 3-D Secure page. Webhooks and pushes follow as after a browser.',
      params: Type.Object({ paymentID: Type.String({ minLength: 1, maxLength: 100 }) }),
      body: CompleteBodySchema,
      response: {
        200: CompleteResponseSchema,
        ...errors,
        404: errorResponse(404, 'No such payment', messages.adminPaymentNotFound('K7Q2M9X4TB3N8R1W5C6VK7')),
        409: errorResponse(409, 'The payment is already finished', messages.alreadyFinished('SUCCESS')),
        503: storageError,
      },
    },
  }, async (request) => {
    const { paymentID } = request.params
    const b = request.body
    const payment = await payments.forPage(paymentID)
    if (payment === undefined) throw new NotFoundError(messages.adminPaymentNotFound(paymentID))
    if (payment.status !== 'PENDING') throw new ConflictError(messages.alreadyFinished(payment.status))
    let result: PayResult
    if (b.card !== undefined && b.outcome === undefined) {
      const input = { card_number: b.card, expiry: b.expiry ?? futureExpiry(payments.now()), cvv: b.cvv ?? '123', holder_name: b.holder_name ?? payment.clientName.slice(0, 100) }
      const invalid = firstCardError(checkCard(input, payments.now()))
      if (invalid !== undefined) throw invalid
      const threeDs = cardFor(normaliseNumber(b.card)).behaviour === '3ds'
      if (b.three_d_secure !== undefined && !threeDs) throw new InvalidInputError(messages.threeDsOnlyFor3ds)
      if (payment.stage === '3ds') throw new InvalidInputError(messages.waitingFor3ds)
      result = await payments.pay(paymentID, input)
      if (result.kind === '3ds') result = await payments.threeDs(paymentID, b.three_d_secure !== 'fail')
    } else if (b.outcome !== undefined && b.card === undefined) {
      result = b.outcome === 'cancelled' ? await payments.cancel(paymentID) : await payments.expire(paymentID)
    } else if (b.card === undefined && b.outcome === undefined && b.three_d_secure !== undefined) {
      if (payment.stage !== '3ds') throw new InvalidInputError(messages.notWaitingFor3ds)
      result = await payments.threeDs(paymentID, b.three_d_secure === 'approve')
    } else {
      throw new InvalidInputError(messages.completeNeedsOne)
    }
    // Finished meanwhile (a browser was quicker): one outcome only.
    if (result.kind !== 'finished' || !result.now) throw new ConflictError(messages.alreadyFinished(result.payment.status))
    return {
      payment: toAdminPayment(result.payment, checkoutUrl(publicUrl, request, paymentID)),
      redirect_url: payments.redirectFor(result.payment) ?? null,
    }
  })

  app.get('/payments', {
    schema: {
      operationId: 'adminListPayments',
      tags: ['admin'],
      security,
      summary: 'List payments, newest first, with every stored field',
      querystring: ListPaymentsQuerySchema,
      response: {
        200: Type.Object({ payments: Type.Array(Type.Unsafe<AdminPayment>({ $ref: 'AdminPayment#' })) }, { additionalProperties: false }),
        400: errorResponse(400, 'A query parameter is invalid', 'Invalid query field status: must be one of PENDING, SUCCESS, FAILURE'),
        401: errors[401],
        503: storageError,
      },
    },
  }, async (request) => {
    // Pages that expired unseen end now, so the list tells the truth.
    await payments.sweepExpired()
    const q = request.query
    const base = baseUrl(publicUrl, request)
    const rows = store.list({ merchantId: q.merchant_id, orderId: q.order_id, status: q.status, limit: q.limit ?? 100 })
    return { payments: rows.map((row) => toAdminPayment(row, base + pagePath(PAGE_PATHS.payment, row.paymentId))) }
  })
  done()
}
