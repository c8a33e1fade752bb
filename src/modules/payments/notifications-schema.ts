// Webhook delivery log, push outbox and per-merchant webhook URL: the /__admin shapes (CONTRACT
// §6.7 Decision), declared once for validation, types and OpenAPI.
import { Type, type Static } from 'typebox'

const nullableString = (description: string, example: string | null) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], description, examples: [example] })

export const WebhookDeliverySchema = Type.Object({
  id: Type.Integer({ description: 'This attempt' }),
  delivery_id: Type.Integer({ description: "The notification: a payment's attempts share it" }),
  attempt: Type.Integer({ minimum: 1, maximum: 4, description: '1, then one per retry (WEBHOOK_RETRY_MS)' }),
  time: Type.String({ description: 'When the attempt started (ISO 8601)', examples: ['2026-11-30T10:21:04.120Z'] }),
  url: Type.String({ description: 'The URL posted to, with the redirect parameters', examples: ['https://merchant.example/hook?transaction_id=482039117265&order_id=123456&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved'] }),
  payment_id: Type.String({ examples: ['K7Q2M9X4TB3N8R1W5C6VK7'] }),
  merchant_id: Type.Integer(),
  event: Type.Union([Type.Literal('payment.success'), Type.Literal('payment.failure')], { description: "What finished (the body's payment_status)" }),
  status: Type.Unsafe<number | null>({ type: ['integer', 'null'], description: "The receiver's HTTP status; null when it gave none (unreachable, timeout)", examples: [200] }),
  duration_ms: Type.Integer({ minimum: 0 }),
  error: nullableString('Why no HTTP status came back', 'timeout after 5000 ms'),
  next_retry_at: nullableString('When the next attempt is due (retrying only)', null),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('retrying'), Type.Literal('gave up')], { description: 'delivered: a 2xx; retrying: another attempt is due; gave up: no more attempts' }),
}, { additionalProperties: false })

export type WebhookDelivery = Static<typeof WebhookDeliverySchema>

export const WebhookDeliveriesQuerySchema = Type.Object({
  payment_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  merchant_id: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false })

export const WebhookDeliveriesSchema = Type.Object({
  deliveries: Type.Array(WebhookDeliverySchema, { description: 'Newest first' }),
}, { additionalProperties: false })

export const PushSchema = Type.Object({
  id: Type.Integer(),
  time: Type.String({ description: 'When the payment finished (ISO 8601)' }),
  fcm_token: Type.String({ description: "The checkout's fcm_token" }),
  merchant_id: Type.Integer(),
  payment_id: Type.String(),
  notification: Type.Object({
    title: Type.String({ examples: ['Payment successful'] }),
    body: Type.String({ examples: ['123.1 QAR — order 123456: Transaction Successful - Approved'] }),
  }, { additionalProperties: false }),
  data: Type.Record(Type.String(), Type.String(), { description: 'The redirect parameters' }),
}, { additionalProperties: false })

export type PushRecord = Static<typeof PushSchema>

export const PushesSchema = Type.Object({
  pushes: Type.Array(PushSchema, { description: 'Newest first' }),
}, { additionalProperties: false })

export const MerchantWebhookParamsSchema = Type.Object({
  merchantId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
})

export const MerchantWebhookBodySchema = Type.Object({
  url: Type.String({ maxLength: 2048, description: 'Absolute http(s) URL', examples: ['https://merchant.example/fatora-hook'] }),
}, { additionalProperties: false })

export const MerchantWebhookSetSchema = Type.Object({
  merchant_id: Type.Integer(),
  url: Type.String(),
}, { additionalProperties: false })

export const MerchantWebhookSchema = Type.Object({
  merchant_id: Type.Integer(),
  url: nullableString("The merchant's own URL", null),
  effective_url: nullableString('Where its payments are notified: its own URL, else WEBHOOK_URL (null: not notified)', 'https://merchant.example/fatora-hook'),
}, { additionalProperties: false })
