// /v1/payments routes (CONTRACT §6.2, §6.4–6.6): parse → service → SUCCESS body. api_key only: a
// bearer token is refused (CONTRACT §6.1).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { commonErrorResponses, errorResponse } from '../../http/responses.js'
import { paymentMessages as messages } from './messages.js'
import { checkoutUrl } from './page-urls.js'
import {
  CheckoutBodySchema, CheckoutResponseSchema, CollectBodySchema, DeactivateBodySchema, DeactivateResponseSchema, RefundBodySchema, RefundResponseSchema,
  VerifyBodySchema, VerifyResponseSchema,
} from './schema.js'
import { toPaymentResult, type PaymentsService } from './service.js'

export interface PaymentsRoutesOptions {
  payments: PaymentsService
  publicUrl: string | undefined
}

const security: Array<Record<string, string[]>> = [{ api_key: [] }]
const errors = {
  ...commonErrorResponses,
  401: errorResponse(401, 'api_key missing, empty or unknown; or only a bearer token was sent (payment routes take api_key)', 'Payment routes take the api_key header, not a bearer token'),
}

// Schema failures in the payment API's own words (each names its field).
const checkoutMessages = {
  'body.amount': messages.amountInvalid,
  'body.order_id': messages.orderIdInvalid,
  'body.client': messages.clientInvalid,
  'body.client.name': messages.clientNameInvalid,
  'body.client.email': messages.clientEmailInvalid,
  'body.client.phone': messages.clientPhoneInvalid,
  'body.language': messages.languageInvalid,
  'body.success_url': messages.urlInvalid('success_url'),
  'body.failure_url': messages.urlInvalid('failure_url'),
  'body.fcm_token': messages.fcmTokenInvalid,
  'body.save_token': messages.saveTokenInvalid,
  'body.note': messages.noteInvalid,
}
const verifyMessages = {
  'body:not': messages.verifyNeedsId,
  'body.transaction_id': messages.transactionIdInvalid,
  'body.order_id': messages.verifyOrderIdInvalid,
}

const collectMessages = {
  'body.card_token': messages.cardTokenInvalid,
  'body.order_id': messages.orderIdInvalid,
  'body.amount': messages.amountInvalid,
  'body.currency': messages.collectCurrencyType,
  'body.note': messages.noteInvalid,
  'body.fcm_token': messages.fcmTokenInvalid,
}

// null means not sent (backends that send every key).
const asId = (value: string | number | null | undefined): string | undefined => value === undefined || value === null ? undefined : String(value)

export const paymentsRoutes: FastifyPluginCallbackTypebox<PaymentsRoutesOptions> = (app, { payments, publicUrl }, done) => {
  // The currency rule depends on settings: its message is the service's; a wrong type is said here.
  const currencyType = messages.currencyInvalid(['a three-letter code']).replace('must be one of a', 'must be a')
  app.post('/payments/checkout', {
    config: { apiKeyOnly: true, validationMessages: { ...checkoutMessages, 'body.currency': currencyType } },
    schema: {
      operationId: 'checkout',
      summary: 'Checkout',
      description: 'Creates a PENDING payment and answers the hosted payment page to send the card holder to (CONTRACT §6.2).',
      tags: ['payments'],
      security,
      body: CheckoutBodySchema,
      response: {
        200: CheckoutResponseSchema,
        400: errorResponse(400, 'A field is missing or invalid (the description names it)', messages.amountInvalid),
        ...errors,
      },
    },
  }, async (request) => {
    const row = await payments.checkout(request.merchantId, request.body)
    return { status: 'SUCCESS' as const, result: { checkout_url: checkoutUrl(publicUrl, request, row.paymentId) } }
  })

  app.post('/payments/verify', {
    config: { apiKeyOnly: true, validationMessages: verifyMessages },
    schema: {
      operationId: 'verify',
      summary: 'Verify Payment',
      description: "The payment's state by transaction_id, order_id or both (CONTRACT §6.4). order_id alone answers the merchant's latest payment with it; a PENDING payment is found only by order_id.",
      tags: ['payments'],
      security,
      body: VerifyBodySchema,
      response: {
        200: VerifyResponseSchema,
        400: errorResponse(400, 'Neither transaction_id nor order_id, or one is invalid', messages.verifyNeedsId),
        404: errorResponse(404, "Unknown, or another merchant's", messages.paymentNotFound),
        ...errors,
      },
    },
  }, async (request) => {
    const row = await payments.verify(request.merchantId, { transactionId: asId(request.body.transaction_id), orderId: asId(request.body.order_id) })
    return { status: 'SUCCESS' as const, result: toPaymentResult(row) }
  })

  app.register(refundRoute, { payments, operationId: 'refund' })

  app.post('/payments/collect-payment', {
    config: { apiKeyOnly: true, validationMessages: collectMessages },
    schema: {
      operationId: 'collectPayment',
      summary: 'Collect Tokenized Payment',
      description: "Charges a saved card (a card_token from a checkout with save_token) with no browser: a new, finished payment answered like verify, type collect-payment (CONTRACT §6.6). The token's card decides: a declining card answers 200 with payment_status FAILURE. Webhook and push follow as for checkout.",
      tags: ['payments'],
      security,
      body: CollectBodySchema,
      response: {
        200: VerifyResponseSchema,
        400: errorResponse(400, 'A field is missing or invalid (the description names it)', messages.cardTokenInvalid),
        404: errorResponse(404, "Unknown card token, or another merchant's", messages.tokenNotFound),
        422: errorResponse(422, 'The token is deactivated or has expired', messages.tokenExpired),
        ...errors,
      },
    },
  }, async (request) => {
    const b = request.body
    const row = await payments.savedCards.collect(request.merchantId, { cardToken: b.card_token, orderId: b.order_id, amount: b.amount, currency: b.currency, note: b.note, fcmToken: b.fcm_token })
    return { status: 'SUCCESS' as const, result: toPaymentResult(row) }
  })

  app.post('/payments/deactivate-token', {
    config: { apiKeyOnly: true, validationMessages: { 'body.card_token': messages.cardTokenInvalid } },
    schema: {
      operationId: 'deactivateToken',
      summary: 'Deactivate Card Token',
      description: "Ends a saved card: collect-payment refuses it from then on (CONTRACT §6.6; the URL is the mock's Decision, Fatora documents none).",
      tags: ['payments'],
      security,
      body: DeactivateBodySchema,
      response: {
        200: DeactivateResponseSchema,
        400: errorResponse(400, 'card_token is missing or invalid', messages.cardTokenInvalid),
        404: errorResponse(404, "Unknown card token, or another merchant's", messages.tokenNotFound),
        422: errorResponse(422, 'Already deactivated, or expired', messages.tokenAlreadyInactive),
        ...errors,
      },
    },
  }, async (request) => {
    const row = await payments.savedCards.deactivate(request.merchantId, request.body.card_token)
    return { status: 'SUCCESS' as const, result: { card_token: row.cardToken, token_status: 'inactive' as const } }
  })
  done()
}

export interface RefundRouteOptions {
  payments: PaymentsService
  /** Unique per path in OpenAPI: the route is served under /v1 and /api/v1. */
  operationId: string
}

/** POST /payments/refund (CONTRACT §6.5), registered under /v1 and under /api/v1 (Fatora's samples). */
export const refundRoute: FastifyPluginCallbackTypebox<RefundRouteOptions> = (app, { payments, operationId }, done) => {
  app.post('/payments/refund', {
    config: { apiKeyOnly: true, validationMessages: verifyMessages },
    schema: {
      operationId,
      summary: 'Refund',
      description: "Refunds a successful payment in full, found as verify finds it (CONTRACT §6.5): completed on the payment's own day (UTC), else pending. Served at /v1/payments/refund and at /api/v1/payments/refund (Fatora's page and its samples disagree).",
      tags: ['payments'],
      security,
      body: RefundBodySchema,
      response: {
        200: RefundResponseSchema,
        400: errorResponse(400, 'Neither transaction_id nor order_id, or one is invalid', messages.verifyNeedsId),
        404: errorResponse(404, "Unknown, or another merchant's", messages.paymentNotFound),
        422: errorResponse(422, 'Already refunded, or the payment did not succeed', messages.alreadyRefunded),
        ...errors,
      },
    },
  }, async (request) => {
    const row = await payments.refund(request.merchantId, { transactionId: asId(request.body.transaction_id), orderId: asId(request.body.order_id) })
    return { status: 'SUCCESS' as const, result: { refund_status: row.refundStatus ?? 'pending', refund_transaction_id: row.refundTransactionId as string } }
  })
  done()
}
