// Invoice schemas, declared once for validation, types and OpenAPI: /v1/invoices (CONTRACT §7)
// and the invoices' part of the fixtures format (CONTRACT §3). Field names are Fatora's samples'.
import { Type, type Static } from 'typebox'
import { EMAIL_PATTERN, ISO_DATE_PATTERN } from '../../http/patterns.js'
import { Id } from '../merchants/schema.js'
import { ID_DIGITS_PATTERN, idParam, pagingQuery } from '../params.js'
import { DOCS_EMAIL_PLACEHOLDER } from '../payments/schema.js'

export const InvoiceIdParamsSchema = Type.Object({ invoice_id: idParam('invoice', 2075) }, { additionalProperties: false })

/** Longest accepted values of invoice fields (documented in docs/invoices.md). */
export const INVOICE_LIMITS = {
  number: 100,
  title: 200,
  description: 2000,
  terms: 5000,
  note: 2000,
  status: 50,
  name: 200,
  email: 254,
  phone: 50,
  address: 500,
  items: 100,
  itemType: 50,
  payments: 100,
  transactionId: 100,
  paymentType: 50,
  methods: 20,
  method: 50,
  keyword: 200,
} as const
export const MAX_AMOUNT = 999_999_999.999
export const MAX_QTY = 1_000_000
export const INVOICE_TYPES = ['quick', 'detailed'] as const
export const DISCOUNT_TYPES = ['fixed', 'percentage'] as const

/** Defaults of fields left out (CONTRACT §7 Decisions). */
export const INVOICE_DEFAULTS = { type: 'quick', currency: 'QAR', status: 'unpaid', language: 'en', qty: 1 } as const

const nullable = <T>(type: 'string' | 'number' | 'integer', description: string, example: T | null) =>
  Type.Unsafe<T | null>({ type: [type, 'null'], description, examples: [example] })
const oneOf = <T extends string>(values: readonly T[], description = '') => Type.Unsafe<T>({ type: 'string', enum: values, ...(description === '' ? {} : { description }) })

// An ISO 8601 date or date-time with a time zone, on a day that exists (http/patterns.ts). The
// service also refuses an offset that carries the instant out of years 0000–9999 (the descriptions say so).
const DATE_PATTERN = ISO_DATE_PATTERN
const UTC_RANGE = 'its UTC time within years 0000 to 9999'

export const InvoiceClientSchema = Type.Object({
  name: nullable<string>('string', '', 'Client name'),
  email: nullable<string>('string', '', 'client@example.com'),
  phone: nullable<string>('string', '', '+974 77777777'),
  address: nullable<string>('string', '', 'Client address'),
}, { additionalProperties: false })

export const InvoiceItemSchema = Type.Object({
  product_id: nullable<number>('integer', "One of the merchant's products (null: a line without a product)", 669),
  description: nullable<string>('string', '', 'Item 1'),
  qty: Type.Number({ examples: [2] }),
  amount: Type.Number({ description: 'As sent: the mock does not recompute totals', examples: [50] }),
  type: nullable<string>('string', '', 'Service'),
}, { additionalProperties: false })

export const InvoicePaymentSchema = Type.Object({
  payment_date: nullable<string>('string', 'ISO 8601 UTC', '2023-10-10T00:00:00Z'),
  transaction_id: nullable<string>('string', '', 'TXN123'),
  amount: nullable<number>('number', '', 50),
  note: nullable<string>('string', '', 'Payment received'),
  payment_type: nullable<string>('string', '', 'credit'),
  status: nullable<string>('string', '', 'paid'),
}, { additionalProperties: false })

export const InvoiceSettingSchema = Type.Object({
  tax: nullable<number>('number', 'Percent, 0 to 100', 0),
  discount: nullable<number>('number', '', 0),
  discount_type: Type.Unsafe<'fixed' | 'percentage' | null>({ type: ['string', 'null'], enum: [...DISCOUNT_TYPES, null] }),
  language: oneOf(['en', 'ar'] as const),
  accepted_payment_methods: Type.Array(Type.String(), { examples: [['credit_card']] }),
}, { additionalProperties: false })

export const InvoiceSchema = Type.Object({
  id: Type.Integer({ examples: [2075] }),
  number: Type.String({ examples: ['INV567'] }),
  type: oneOf(INVOICE_TYPES),
  title: nullable<string>('string', '', 'Sample Invoice'),
  description: nullable<string>('string', '', 'Sample invoice description'),
  amount: Type.Number({ description: 'Exact, at most 3 decimals: the caller\'s total (the mock does not apply tax or discount)', examples: [100] }),
  currency: Type.String({ examples: ['QAR'] }),
  status: Type.String({ examples: ['unpaid'] }),
  date: Type.String({ description: 'ISO 8601 UTC', examples: ['2023-09-30T00:00:00Z'] }),
  due_date: nullable<string>('string', 'ISO 8601 UTC', '2023-10-10T00:00:00Z'),
  terms_conditions: nullable<string>('string', '', 'Sample terms and conditions'),
  note: nullable<string>('string', '', 'Sample note'),
  client: InvoiceClientSchema,
  items: Type.Array(InvoiceItemSchema),
  payments: Type.Array(InvoicePaymentSchema),
  setting: InvoiceSettingSchema,
}, { $id: 'Invoice', title: 'Invoice', additionalProperties: false })

export type Invoice = Static<typeof InvoiceSchema>
export type InvoiceItem = Static<typeof InvoiceItemSchema>
export type InvoicePayment = Static<typeof InvoicePaymentSchema>

export const GetInvoiceResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  invoice: Type.Unsafe<Invoice>({ $ref: 'Invoice#' }),
}, { $id: 'GetInvoiceResponse', title: 'GetInvoiceResponse', description: 'The invoice', additionalProperties: false })

export const ListInvoicesResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  invoices: Type.Array(Type.Unsafe<Invoice>({ $ref: 'Invoice#' })),
  page: Type.Integer({ minimum: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100 }),
  total: Type.Integer({ minimum: 0, description: 'Invoices matching the filters, on all pages' }),
}, { $id: 'ListInvoicesResponse', title: 'ListInvoicesResponse', description: "One page of the merchant's invoices, ordered by id", additionalProperties: false })

export type ListInvoicesResponse = Static<typeof ListInvoicesResponseSchema>

const DATE_QUERY = (description: string) => Type.String({ pattern: DATE_PATTERN, description, examples: ['2025-01-01'] })

export const ListInvoicesQuerySchema = Type.Object({
  keyword: Type.Optional(Type.String({ maxLength: INVOICE_LIMITS.keyword, description: 'In the number, title, description, client name or e-mail (case-insensitive)', examples: ['INV567'] })),
  ...pagingQuery('Invoices'),
  from: Type.Optional(DATE_QUERY('date on or after (a date: from its start)')),
  to: Type.Optional(DATE_QUERY('date on or before (a date: to its end)')),
  status: Type.Optional(Type.String({ maxLength: INVOICE_LIMITS.status, description: 'Exact status (case-sensitive)', examples: ['paid'] })),
  type: Type.Optional(Type.String({ enum: [...INVOICE_TYPES], description: 'quick or detailed' })),
  client_email: Type.Optional(Type.String({ maxLength: INVOICE_LIMITS.email, description: "The client's e-mail (case-insensitive)", examples: ['client@example.com'] })),
})

export type ListInvoicesQuery = Static<typeof ListInvoicesQuerySchema>

const text = (max: number, description = '', example: unknown = undefined) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()], { ...(description === '' ? {} : { description }), ...(example === undefined ? {} : { examples: [example] }) }))
const dateField = (description: string, example: string) =>
  Type.Optional(Type.Union([Type.String({ pattern: DATE_PATTERN }), Type.Null()], { description, examples: [example] }))
const money = (description: string, example: number) => Type.Number({ minimum: 0, maximum: MAX_AMOUNT, description, examples: [example] })

// Fatora's Create/Update Invoice body: quick ({amount, description}) or detailed. Unknown fields are
// ignored; null means "not sent", so defaults apply.
export const InvoiceBodySchema = Type.Object({
  number: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: INVOICE_LIMITS.number }), Type.Null()], { description: 'Default INV followed by the id', examples: ['INV567'] })),
  amount: money('Required: the total, 0 to 999999999.999, at most 3 decimals (stored exactly; the mock does not recompute it)', 100),
  currency: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z]{3}$' }), Type.Null()], { description: 'Default QAR', examples: ['QAR'] })),
  terms_conditions: text(INVOICE_LIMITS.terms, '', 'Sample terms and conditions'),
  note: text(INVOICE_LIMITS.note, '', 'Sample note'),
  due_date: dateField(`ISO 8601 date or date-time, ${UTC_RANGE}`, '2023-10-10T00:00:00Z'),
  date: dateField(`ISO 8601 date or date-time, ${UTC_RANGE} (default: now); from/to filter on it`, '2023-09-30T00:00:00Z'),
  status: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: INVOICE_LIMITS.status }), Type.Null()], { description: 'Default unpaid', examples: ['paid'] })),
  type: Type.Optional(Type.Union([Type.Literal('quick'), Type.Literal('detailed'), Type.Null()], { description: 'Default quick' })),
  title: text(INVOICE_LIMITS.title, '', 'Sample Invoice'),
  description: text(INVOICE_LIMITS.description, '', 'Sample invoice description'),
  client: Type.Optional(Type.Union([Type.Object({
    name: text(INVOICE_LIMITS.name),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', pattern: EMAIL_PATTERN, maxLength: INVOICE_LIMITS.email }), Type.String({ pattern: DOCS_EMAIL_PLACEHOLDER }), Type.Null()])),
    phone: text(INVOICE_LIMITS.phone),
    address: text(INVOICE_LIMITS.address),
  }), Type.Null()])),
  items: Type.Optional(Type.Union([Type.Array(Type.Object({
    // Fatora's samples send it as "123" and as 123.
    product_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ pattern: ID_DIGITS_PATTERN }), Type.Null()])),
    description: text(INVOICE_LIMITS.description),
    qty: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: MAX_QTY }), Type.Null()], { description: 'Default 1' })),
    amount: Type.Optional(Type.Union([money('Default 0', 50), Type.Null()])),
    type: text(INVOICE_LIMITS.itemType, '', 'Service'),
  }), { maxItems: INVOICE_LIMITS.items }), Type.Null()])),
  payments: Type.Optional(Type.Union([Type.Array(Type.Object({
    payment_date: dateField(`ISO 8601 date or date-time, ${UTC_RANGE}`, '2023-10-10T00:00:00Z'),
    transaction_id: text(INVOICE_LIMITS.transactionId),
    amount: Type.Optional(Type.Union([money('', 50), Type.Null()])),
    note: text(INVOICE_LIMITS.note),
    payment_type: text(INVOICE_LIMITS.paymentType),
    status: text(INVOICE_LIMITS.status),
  }), { maxItems: INVOICE_LIMITS.payments }), Type.Null()])),
  setting: Type.Optional(Type.Union([Type.Object({
    tax: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()])),
    discount: Type.Optional(Type.Union([money('', 0), Type.Null()])),
    discount_type: Type.Optional(Type.Union([Type.Literal('fixed'), Type.Literal('percentage'), Type.Null()])),
    language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ar'), Type.Null()])),
    accepted_payment_methods: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: INVOICE_LIMITS.method }), { maxItems: INVOICE_LIMITS.methods }), Type.Null()])),
  }), Type.Null()])),
}, { $id: 'InvoiceBody', title: 'InvoiceBody', description: 'Quick ({amount, description}) or detailed; unknown fields are ignored' })

export type InvoiceBody = Static<typeof InvoiceBodySchema>

// The fixtures format: hand-written invoices per merchant — the body's fields (strict: an unknown
// field is a typo in a file we own) plus an id and an optional created_at.
const { $id: _bodyId, title: _bodyTitle, description: _bodyDescription, ...bodyShape } = InvoiceBodySchema as typeof InvoiceBodySchema & { $id?: string, title?: string, description?: string }
export type FixtureInvoice = InvoiceBody & { id: number, created_at?: string | undefined }
export const FixtureInvoiceSchema = Type.Unsafe<FixtureInvoice>({
  ...bodyShape,
  properties: { ...bodyShape.properties, id: Id, created_at: Type.Optional(Type.String({ format: 'date-time' })) },
  required: ['id', 'amount'],
  additionalProperties: false,
})

/** A recipe for seeded fake invoices: the same shape as fake_clients (CONTRACT §3). */
export const FakeInvoicesRecipeSchema = Type.Object({
  count: Type.Integer({ minimum: 0, maximum: 10000 }),
  first_id: Id,
  seed: Type.Integer({ minimum: 0 }),
  locale: Type.Union([Type.Literal('en'), Type.Literal('ar')]),
}, { additionalProperties: false })

export type FakeInvoicesRecipe = Static<typeof FakeInvoicesRecipeSchema>

export const invoiceFixtureFields = {
  invoices: Type.Optional(Type.Array(FixtureInvoiceSchema, { description: "Hand-written invoices (their items name the merchant's products)" })),
  fake_invoices: Type.Optional(FakeInvoicesRecipeSchema),
}
