// /v1/payments routes (CONTRACT §6.2, §6.4): parse → service → SUCCESS body. api_key only: a
// bearer token is refused (CONTRACT §6.1).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { commonErrorResponses, errorResponse } from '../../http/responses.js'
import { paymentMessages as messages } from './messages.js'
import { checkoutUrl } from './page-urls.js'
import { CheckoutBodySchema, CheckoutResponseSchema, VerifyBodySchema, VerifyResponseSchema } from './schema.js'
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
  'body.transaction_id': messages.transactionIdInvalid,
  'body.order_id': messages.verifyOrderIdInvalid,
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
  done()
}
