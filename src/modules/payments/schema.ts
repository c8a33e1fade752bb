// Payment schemas, declared once for validation, types and OpenAPI (CONTRACT §6).
import { Type, type Static } from 'typebox'
import { EMAIL_PATTERN } from '../../http/patterns.js'

export type PaymentStatus = 'PENDING' | 'SUCCESS' | 'FAILURE'

// A string enum, not a union of literals: the same JSON Schema meaning, but fast-json-stringify
// writes it directly where anyOf costs a validator run per field per response.
const oneOf = <T extends string>(values: readonly T[], description = '') => Type.Unsafe<T>({ type: 'string', enum: values, ...(description === '' ? {} : { description }) })
const STATUSES = ['PENDING', 'SUCCESS', 'FAILURE'] as const
const TYPES = ['checkout', 'collect-payment'] as const
const REFUND_STATUSES = ['completed', 'pending'] as const

const nullable = <T extends string | number | boolean>(type: 'string' | 'number' | 'boolean', description: string, example: T | null) =>
  Type.Unsafe<T | null>({ type: [type, 'null'], description, examples: [example] })

/** CONTRACT §6.1 Decision: the largest amount (at most 3 decimals: money.ts checks that part). */
const MAX_AMOUNT = 999_999_999.999

// Lengths: CONTRACT §6.2 (order_id ≤ 100, note ≤ 2,000); the others are the mock's.
export const PAYMENT_LIMITS = { orderId: 100, clientName: 200, phone: 50, email: 254, url: 2048, fcmToken: 4096, note: 2000 } as const

/** CONTRACT §6.2 Decision: the docs' sample e-mail as their page renders it without JavaScript (a space or a no-break space). */
export const DOCS_EMAIL_PLACEHOLDER = '^\\[email[ \\u00a0]protected\\]$'

export const CheckoutBodySchema = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: MAX_AMOUNT, description: 'Greater than 0, at most 3 decimals, up to 999999999.999 (CONTRACT §6.1)', examples: [123.1] }),
  currency: Type.String({ description: 'Three-letter code from the configured list (CURRENCIES)', examples: ['QAR'] }),
  order_id: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.orderId, description: "The merchant's order reference (need not be unique)", examples: ['123456'] }),
  client: Type.Object({
    name: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.clientName, examples: ['client'] }),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.phone }), Type.Null()], { examples: ['+974 77777777'] })),
    // Fatora's checkout page shows its sample address as "[email protected]" (its e-mail
    // obfuscation, when read without JavaScript): accepted as is, so the sample works as pasted.
    email: Type.Optional(Type.Union([Type.String({ format: 'email', pattern: EMAIL_PATTERN, maxLength: PAYMENT_LIMITS.email }), Type.String({ pattern: DOCS_EMAIL_PLACEHOLDER }), Type.Null()], { examples: ['client@example.com'] })),
  }),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ar'), Type.Null()], { description: 'Language of the payment page (default en; null: the default)' })),
  success_url: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.url }), Type.Null()], { description: 'Where the browser goes after a successful payment (absolute http(s) URL). Without it the page shows the result itself', examples: ['https://merchant.example/success'] })),
  failure_url: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.url }), Type.Null()], { description: 'Where the browser goes after a failed or cancelled payment', examples: ['https://merchant.example/failure'] })),
  fcm_token: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.fcmToken }), Type.Null()], { description: 'Firebase token of the mobile app to notify (recorded at GET /__admin/push)' })),
  save_token: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: 'Issue a card_token for a successful credit-card payment (null: false)' })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.note }), Type.Null()], { examples: ['some additional info'] })),
}, { $id: 'CheckoutBody', title: 'CheckoutBody', description: 'Unknown fields are ignored' })

export type CheckoutBody = Static<typeof CheckoutBodySchema>

export const CheckoutResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  result: Type.Object({
    checkout_url: Type.String({ description: 'The hosted payment page: send the card holder there' }),
  }, { additionalProperties: false }),
}, {
  $id: 'CheckoutResponse',
  title: 'CheckoutResponse',
  description: 'The payment is created PENDING: send the card holder to checkout_url',
  additionalProperties: false,
  examples: [{ status: 'SUCCESS', result: { checkout_url: 'http://localhost:3000/pay/MCPaymentPage?paymentID=K7Q2M9X4TB3N8R1W5C6VK7' } }],
})

// Ids arrive as strings; many integrations send numbers, so whole numbers are accepted too.
const IdField = (description: string, example: string) => Type.Union([
  Type.String({ minLength: 1, maxLength: 100 }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  Type.Null(),
], { description, examples: [example] })

// CONTRACT §6.4: at least one of the two ids, null meaning not sent — "not an object whose ids
// are both absent or null". The route words a failure ("body:not"). `type` keeps a body that is no
// object at all (`not` is checked first) to its own error. Written with `not` rather than anyOf
// of `required`, which generated clients (openapi-typescript) turn into a union that accepts anything.
export const oneIdAtLeast = { not: { type: 'object', properties: { transaction_id: { type: 'null' }, order_id: { type: 'null' } } } }

export const VerifyBodySchema = Type.Object({
  transaction_id: Type.Optional(IdField('The transaction_id of the redirect (null: not sent)', '123456789')),
  order_id: Type.Optional(IdField('The order_id given to checkout (alone: the latest payment with it; null: not sent)', '123456789')),
}, { $id: 'VerifyBody', title: 'VerifyBody', description: 'transaction_id, order_id or both (CONTRACT §6.4)', ...oneIdAtLeast })

export type VerifyBody = Static<typeof VerifyBodySchema>

export const RefundBodySchema = Type.Object({
  transaction_id: Type.Optional(IdField('The payment\'s transaction_id (null: not sent)', '123456789')),
  order_id: Type.Optional(IdField('Its order_id (alone: the latest payment with it; null: not sent)', '123456789')),
}, { $id: 'RefundBody', title: 'RefundBody', description: 'transaction_id, order_id or both, as verify (CONTRACT §6.5); full refunds only, so no amount', ...oneIdAtLeast })

export const RefundResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  result: Type.Object({
    refund_status: oneOf(REFUND_STATUSES, 'completed: refunded on the payment\'s own day (UTC); pending: later'),
    refund_transaction_id: Type.String({ description: 'The refund\'s own transaction id (12 digits)', examples: ['731904628517'] }),
  }, { additionalProperties: false }),
}, {
  $id: 'RefundResponse',
  title: 'RefundResponse',
  description: 'The payment is refunded (in full)',
  additionalProperties: false,
  examples: [{ status: 'SUCCESS', result: { refund_status: 'completed', refund_transaction_id: '731904628517' } }],
})

// CONTRACT §6.6: tokens hold + / \ | (Fatora's warning); any string up to this length is looked up.
const CardTokenField = Type.String({ minLength: 1, maxLength: 200, description: 'A card_token from a checkout with save_token (44 characters, with + / \\ |)', examples: ['123456789'] })

export const CollectBodySchema = Type.Object({
  card_token: CardTokenField,
  order_id: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.orderId, description: "The merchant's order reference", examples: ['123456789'] }),
  amount: Type.Number({ exclusiveMinimum: 0, maximum: MAX_AMOUNT, description: 'Greater than 0, at most 3 decimals, up to 999999999.999 (CONTRACT §6.1)', examples: [123.45] }),
  currency: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'From CURRENCIES (default, or null: the currency of the payment that saved the card)', examples: ['QAR'] })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.note }), Type.Null()])),
  fcm_token: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.fcmToken }), Type.Null()], { description: 'Firebase token of the mobile app to notify (recorded at GET /__admin/push)' })),
}, { $id: 'CollectBody', title: 'CollectBody', description: 'Unknown fields are ignored' })

export type CollectBody = Static<typeof CollectBodySchema>

export const DeactivateBodySchema = Type.Object({
  card_token: CardTokenField,
}, { $id: 'DeactivateBody', title: 'DeactivateBody' })

export const DeactivateResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  result: Type.Object({
    card_token: Type.String(),
    token_status: oneOf(['inactive'] as const),
  }, { additionalProperties: false }),
}, { $id: 'DeactivateResponse', title: 'DeactivateResponse', description: 'The card token is deactivated', additionalProperties: false })

export const PaymentResultSchema = Type.Object({
  order_id: Type.String(),
  transaction_id: nullable<string>('string', 'null while the payment is PENDING', '482039117265'),
  amount: Type.Number({ examples: [123.1] }),
  currency: Type.String({ examples: ['QAR'] }),
  client: Type.Object({
    name: Type.String(),
    email: nullable<string>('string', 'As given to checkout', 'client@example.com'),
    phone: nullable<string>('string', 'As given to checkout', '+974 77777777'),
    note: nullable<string>('string', 'Always null (checkout has no client note)', null),
  }, { additionalProperties: false }),
  note: nullable<string>('string', 'As given to checkout', 'some additional info'),
  payment_date: nullable<string>('string', 'ISO 8601 UTC, when it finished', '2026-11-30T10:21:04Z'),
  payment_status: oneOf(STATUSES),
  mode: oneOf(['test'] as const),
  auth_code: nullable<string>('string', '6 characters, success only', 'A1B2C3'),
  description: nullable<string>('string', "The outcome in words (the response code's)", 'Transaction Successful - Approved'),
  card_token: nullable<string>('string', 'Issued for save_token with a credit card', null),
  card_type: nullable<string>('string', 'VISA or MASTERCARD (the test cards); another Luhn-valid number reports its scheme: AMEX, DISCOVER, JCB, DINERS, UNIONPAY or OTHER', 'VISA'),
  last_4_digits: nullable<string>('string', 'Of the card used', '1111'),
  type: oneOf(TYPES),
  exchange_details: Type.Null(),
  transfer_details: Type.Null(),
  refund_details: Type.Union([
    Type.Object({
      refund_status: oneOf(REFUND_STATUSES, 'completed: refunded on the payment\'s own day (UTC); pending: later (the bank takes 2–4 weeks)'),
      refund_date: Type.String({ description: 'ISO 8601 UTC, when the refund was asked', examples: ['2026-11-30T12:00:00Z'] }),
      amount: Type.Number({ description: 'The whole amount (full refunds only)', examples: [123.1] }),
    }, { additionalProperties: false }),
    Type.Null(),
  ], { description: 'Set by a refund (CONTRACT §6.5)' }),
  refund_transaction_id: nullable<string>('string', 'Set by a refund', null),
}, { $id: 'PaymentResult', title: 'PaymentResult', additionalProperties: false })

export type PaymentResult = Static<typeof PaymentResultSchema>

export const VerifyResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  result: Type.Unsafe<PaymentResult>({ $ref: 'PaymentResult#' }),
}, { $id: 'VerifyResponse', title: 'VerifyResponse', description: 'The payment, every field present (null for nothing); a declined collect-payment is a 200 with payment_status FAILURE', additionalProperties: false })

// /__admin (ours): a payment with every stored field.
export const AdminPaymentSchema = Type.Object({
  payment_id: Type.String({ examples: ['K7Q2M9X4TB3N8R1W5C6VK7'] }),
  merchant_id: Type.Integer(),
  checkout_url: nullable<string>('string', 'The hosted page (PUBLIC_URL or the request host); null for a collect-payment, which has none', null),
  status: oneOf(STATUSES),
  stage: oneOf(['card', '3ds', 'done'] as const, 'Where a PENDING payment waits: the card form or the 3-D Secure page'),
  type: oneOf(TYPES),
  order_id: Type.String(),
  amount: Type.Number(),
  currency: Type.String(),
  client: Type.Object({ name: Type.String(), email: nullable<string>('string', '', null), phone: nullable<string>('string', '', null) }, { additionalProperties: false }),
  language: oneOf(['en', 'ar'] as const),
  success_url: nullable<string>('string', '', null),
  failure_url: nullable<string>('string', '', null),
  fcm_token: nullable<string>('string', '', null),
  save_token: Type.Boolean(),
  note: nullable<string>('string', '', null),
  transaction_id: nullable<string>('string', '', null),
  response_code: nullable<string>('string', '000, 005, 051, 054, 100, 101 or 102', null),
  description: nullable<string>('string', '', null),
  payment_date: nullable<string>('string', '', null),
  auth_code: nullable<string>('string', '', null),
  card_type: nullable<string>('string', '', null),
  last_4_digits: nullable<string>('string', '', null),
  card_token: nullable<string>('string', '', null),
  refund_status: Type.Union([oneOf(REFUND_STATUSES), Type.Null()]),
  refund_date: nullable<string>('string', '', null),
  refund_transaction_id: nullable<string>('string', '', null),
  created_at: Type.String(),
  expires_at: Type.String(),
}, { $id: 'AdminPayment', title: 'AdminPayment', additionalProperties: false })

export type AdminPayment = Static<typeof AdminPaymentSchema>

export const CompleteBodySchema = Type.Object({
  card: Type.Optional(Type.String({ description: 'A card number (a test card decides the outcome)', examples: ['4000000000009995'] })),
  outcome: Type.Optional(Type.Enum(['cancelled', 'expired'])),
  three_d_secure: Type.Optional(Type.Enum(['approve', 'fail'], { description: 'For the 3-D Secure test card, or a payment waiting on its 3-D Secure page (default approve)' })),
  expiry: Type.Optional(Type.String({ description: 'MM/YY (default: a date in the future)', examples: ['12/30'] })),
  cvv: Type.Optional(Type.String({ description: 'Default 123' })),
  holder_name: Type.Optional(Type.String({ description: "Default: the client's name" })),
}, { additionalProperties: false, description: 'card (with expiry, cvv, holder_name and three_d_secure if wanted) or outcome, one of them; or three_d_secure alone for a payment waiting on its 3-D Secure page. The card is checked as the page checks it (Luhn, a future MM/YY expiry, a CVV of 3–4 digits)' })

export type CompleteBody = Static<typeof CompleteBodySchema>

export const CompleteResponseSchema = Type.Object({
  payment: Type.Unsafe<AdminPayment>({ $ref: 'AdminPayment#' }),
  redirect_url: nullable<string>('string', "Where the browser would have been sent: the merchant's URL with the redirect parameters (null without one)", 'https://merchant.example/success?transaction_id=482039117265&order_id=123456&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved'),
}, { additionalProperties: false })

export const ListPaymentsQuerySchema = Type.Object({
  order_id: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(Type.Enum(['PENDING', 'SUCCESS', 'FAILURE'])),
  merchant_id: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
}, { additionalProperties: false })

export type ListPaymentsQuery = Static<typeof ListPaymentsQuerySchema>

// The payments' part of the fixtures format (CONTRACT §3): finished payments, as verify shows them.
export const FixturePaymentSchema = Type.Object({
  payment_id: Type.String({ pattern: '^[A-Z0-9]{22}$' }),
  order_id: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.orderId }),
  transaction_id: Type.String({ pattern: '^[0-9]{1,20}$' }),
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 999_999_999.999 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  client: Type.Object({
    name: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.clientName }),
    email: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.email }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.phone }), Type.Null()])),
  }, { additionalProperties: false }),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ar')])),
  note: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.note }), Type.Null()])),
  success_url: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.url }), Type.Null()])),
  failure_url: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.url }), Type.Null()])),
  status: Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILURE')]),
  response_code: Type.String({ pattern: '^[0-9]{3}$' }),
  description: Type.String({ minLength: 1 }),
  payment_date: Type.String({ format: 'date-time' }),
  auth_code: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z0-9]{6}$' }), Type.Null()])),
  card_type: Type.Union([Type.Literal('VISA'), Type.Literal('MASTERCARD')]),
  last_4_digits: Type.String({ pattern: '^[0-9]{4}$' }),
  card_token: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
  created_at: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false })

export type FixturePayment = Static<typeof FixturePaymentSchema>

// A saved card (CONTRACT §6.6), as if a checkout had saved it.
export const FixtureCardTokenSchema = Type.Object({
  card_token: Type.String({ minLength: 1, maxLength: 200 }),
  client: Type.Object({
    name: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.clientName }),
    email: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.email }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.phone }), Type.Null()])),
  }, { additionalProperties: false }),
  card: Type.String({ pattern: '^[0-9]{12,19}$', description: 'The card behind it (a test card decides what collect-payment does)' }),
  expiry: Type.String({ pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$', description: "The card's expiry, MM/YY" }),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'What collect-payment charges in by default (QAR)' })),
  created_at: Type.Optional(Type.String({ format: 'date-time', description: 'Default: when the fixtures are loaded, so it lasts six months from then' })),
}, { additionalProperties: false })

export type FixtureCardToken = Static<typeof FixtureCardTokenSchema>

export const paymentFixtureFields = {
  payments: Type.Optional(Type.Array(FixturePaymentSchema, { description: 'Finished payments (verify answers them)' })),
  card_tokens: Type.Optional(Type.Array(FixtureCardTokenSchema, { description: 'Saved cards (collect-payment charges them)' })),
}

// /__admin (ours): a saved card with every stored field (CONTRACT §6.6).
export const AdminCardTokenSchema = Type.Object({
  card_token: Type.String({ examples: ['123456789'] }),
  merchant_id: Type.Integer(),
  client: Type.Object({ name: Type.String(), email: nullable<string>('string', '', null), phone: nullable<string>('string', '', null) }, { additionalProperties: false }),
  status: oneOf(['active', 'inactive', 'expired'] as const, "inactive: deactivated; expired: the mock's clock is past expires_at"),
  currency: Type.String({ description: 'What collect-payment charges in by default' }),
  card_type: Type.String({ examples: ['VISA'] }),
  last_4_digits: Type.String({ examples: ['1111'] }),
  card_expiry: nullable<string>('string', "The card's expiry, MM/YY (null: not known, for a token saved before the mock kept it)", '12/49'),
  charge_response_code: Type.String({ description: 'What collect-payment answers with this card: 000 (approved), 005, 051 or 054', examples: ['000'] }),
  payment_id: nullable<string>('string', 'The checkout that saved it (null: /__admin or the fixtures)', null),
  created_at: Type.String(),
  expires_at: Type.String({ description: 'Six months after created_at, or the end of the card\'s expiry month if sooner' }),
  deactivated_at: nullable<string>('string', '', null),
  last_used_at: nullable<string>('string', 'The last collect-payment', null),
}, { $id: 'AdminCardToken', title: 'AdminCardToken', additionalProperties: false })

export type AdminCardToken = Static<typeof AdminCardTokenSchema>

const AdminCard = {
  card: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The card behind the token (default 4111111111111111); a declining test card makes collect-payment decline', examples: ['4000000000009995'] })),
  expiry: Type.Optional(Type.String({ minLength: 1, maxLength: 10, description: "The card's expiry, MM/YY (default: December, five years on)", examples: ['12/30'] })),
}

export const IssueTokenBodySchema = Type.Object({
  merchant_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Default 1 (the demo merchant)' })),
  client: Type.Object({
    name: Type.String({ minLength: 1, maxLength: PAYMENT_LIMITS.clientName }),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', pattern: EMAIL_PATTERN, maxLength: PAYMENT_LIMITS.email }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: PAYMENT_LIMITS.phone }), Type.Null()])),
  }, { additionalProperties: false }),
  ...AdminCard,
  currency: Type.Optional(Type.String({ description: 'Default QAR' })),
}, { additionalProperties: false })

export type IssueTokenBody = Static<typeof IssueTokenBodySchema>

export const TokenCardBodySchema = Type.Object({
  card_token: Type.String({ minLength: 1, maxLength: 200 }),
  ...AdminCard,
}, { additionalProperties: false, description: 'card, expiry or both: the card behind the token from now on' })

export type TokenCardBody = Static<typeof TokenCardBodySchema>

export const ListTokensQuerySchema = Type.Object({
  card_token: Type.Optional(Type.String({ maxLength: 200, description: 'Exactly this token (URL-encode it: + / \\ | are in every token)' })),
  merchant_id: Type.Optional(Type.Integer({ minimum: 1 })),
  client_email: Type.Optional(Type.String({ maxLength: PAYMENT_LIMITS.email })),
  status: Type.Optional(Type.Enum(['active', 'inactive', 'expired'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
}, { additionalProperties: false })

export type ListTokensQuery = Static<typeof ListTokensQuerySchema>
