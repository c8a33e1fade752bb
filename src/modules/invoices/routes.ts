// /v1/invoices routes (CONTRACT §7): parse → service → SUCCESS body. No SQL and no rules here: the
// service applies them, tenancy-scoped. api_key or bearer, like the client and product routes.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { InvalidInputError } from '../../domain-errors.js'
import { commonErrorResponses, errorResponse } from '../../http/responses.js'
import { DEFAULT_PAGE_SIZE } from '../params.js'
import { fromMilli } from '../payments/money.js'
import { invoiceMessages as messages } from './messages.js'
import {
  GetInvoiceResponseSchema, INVOICE_LIMITS, InvoiceBodySchema, InvoiceIdParamsSchema, ListInvoicesQuerySchema, ListInvoicesResponseSchema,
  type Invoice, type ListInvoicesQuery, type ListInvoicesResponse,
} from './schema.js'
import type { InvoicesService } from './service.js'
import type { InvoiceRow } from './store.js'

export interface InvoicesRoutesOptions {
  invoices: InvoicesService
}

const amount = (m: number | null): number | null => m === null ? null : fromMilli(m)

/** An invoice as Fatora shows it: every field present, null for nothing (CONTRACT §7). */
export function toApiInvoice (row: InvoiceRow): Invoice {
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    title: row.title,
    description: row.description,
    amount: fromMilli(row.amountMilli),
    currency: row.currency,
    status: row.status,
    date: row.date,
    due_date: row.dueDate,
    terms_conditions: row.termsConditions,
    note: row.note,
    client: { name: row.clientName, email: row.clientEmail, phone: row.clientPhone, address: row.clientAddress },
    items: row.items.map((i) => ({ product_id: i.productId, description: i.description, qty: fromMilli(i.qtyMilli), amount: fromMilli(i.amountMilli), type: i.type })),
    payments: row.payments.map((p) => ({ payment_date: p.payment_date, transaction_id: p.transaction_id, amount: amount(p.amount_milli), note: p.note, payment_type: p.payment_type, status: p.status })),
    setting: {
      tax: amount(row.taxMilli),
      discount: amount(row.discountMilli),
      discount_type: row.discountType,
      language: row.language,
      accepted_payment_methods: row.acceptedPaymentMethods,
    },
  }
}

const security: Array<Record<string, string[]>> = [{ api_key: [] }, { bearer: [] }]

const idMessages = { params: messages.invoiceIdInvalid, 'params.invoice_id': messages.invoiceIdInvalid }
const listMessages = {
  'querystring.keyword': messages.textQueryInvalid('keyword', INVOICE_LIMITS.keyword),
  'querystring.page': messages.pageInvalid,
  'querystring.page_size': messages.pageSizeInvalid,
  'querystring.from': messages.dateQueryInvalid('from'),
  'querystring.to': messages.dateQueryInvalid('to'),
  'querystring.status': messages.textQueryInvalid('status', INVOICE_LIMITS.status),
  'querystring.type': messages.typeQueryInvalid,
  'querystring.client_email': messages.textQueryInvalid('client_email', INVOICE_LIMITS.email),
}
// Each message names its field; an element's says where it is ({path}: items[2].qty).
const bodyMessages = {
  'body.number': messages.numberInvalid,
  'body.amount': messages.amountInvalid('amount'),
  'body.currency': messages.currencyInvalid,
  'body.terms_conditions': messages.textInvalid('terms_conditions', INVOICE_LIMITS.terms),
  'body.note': messages.textInvalid('note', INVOICE_LIMITS.note),
  'body.due_date': messages.dateInvalid('due_date'),
  'body.date': messages.dateInvalid('date'),
  'body.status': messages.statusInvalid,
  'body.type': messages.typeInvalid,
  'body.title': messages.textInvalid('title', INVOICE_LIMITS.title),
  'body.description': messages.textInvalid('description', INVOICE_LIMITS.description),
  'body.client': messages.clientInvalid,
  'body.client.name': messages.textInvalid('client.name', INVOICE_LIMITS.name),
  'body.client.email': messages.clientEmailInvalid,
  'body.client.phone': messages.textInvalid('client.phone', INVOICE_LIMITS.phone),
  'body.client.address': messages.textInvalid('client.address', INVOICE_LIMITS.address),
  'body.items': messages.itemsInvalid,
  'body.items[]': 'Invalid body field {path}: must be an object',
  'body.items[].product_id': 'Invalid body field {path}: must be a positive integer (or its digits as a string), or null',
  'body.items[].description': `Invalid body field {path}: must be a string of at most ${INVOICE_LIMITS.description} characters, or null`,
  'body.items[].qty': 'Invalid body field {path}: must be a number greater than 0 and at most 1000000, with at most 3 decimals',
  'body.items[].amount': 'Invalid body field {path}: must be a number from 0 to 999999999.999 with at most 3 decimals',
  'body.items[].type': `Invalid body field {path}: must be a string of at most ${INVOICE_LIMITS.itemType} characters, or null`,
  'body.payments': messages.paymentsInvalid,
  'body.payments[]': 'Invalid body field {path}: must be an object',
  'body.payments[].payment_date': 'Invalid body field {path}: must be an ISO 8601 date (2023-09-30) or date-time (2023-09-30T00:00:00Z), or null',
  'body.payments[].transaction_id': `Invalid body field {path}: must be a string of at most ${INVOICE_LIMITS.transactionId} characters, or null`,
  'body.payments[].amount': 'Invalid body field {path}: must be a number from 0 to 999999999.999 with at most 3 decimals',
  'body.payments[].note': `Invalid body field {path}: must be a string of at most ${INVOICE_LIMITS.note} characters, or null`,
  'body.payments[].payment_type': `Invalid body field {path}: must be a string of at most ${INVOICE_LIMITS.paymentType} characters, or null`,
  'body.payments[].status': `Invalid body field {path}: must be a string of at most ${INVOICE_LIMITS.status} characters, or null`,
  'body.setting': messages.settingInvalid,
  'body.setting.tax': messages.taxInvalid,
  'body.setting.discount': messages.discountInvalid,
  'body.setting.discount_type': messages.discountTypeInvalid,
  'body.setting.language': messages.languageInvalid,
  'body.setting.accepted_payment_methods': messages.methodsInvalid,
  'body.setting.accepted_payment_methods[]': messages.methodsInvalid,
}

// A NUL in a filter is never meant: refused like the clients' keyword.
function text (value: string | undefined, field: 'keyword' | 'status' | 'client_email'): string | undefined {
  if (value?.includes('\0') === true) throw new InvalidInputError(messages.textQueryInvalid(field, field === 'client_email' ? INVOICE_LIMITS.email : INVOICE_LIMITS[field]))
  return value
}

const writeErrors = {
  400: errorResponse(400, 'The body is invalid (the description names the field)', messages.itemProductUnknown(0, 123)),
}
const notFound = errorResponse(404, 'No such invoice for this merchant', messages.invoiceNotFound)

export const invoicesRoutes: FastifyPluginCallbackTypebox<InvoicesRoutesOptions> = (app, { invoices }, done) => {
  const listSchema = {
    operationId: 'listInvoices',
    summary: 'List Invoices',
    description: "The merchant's invoices, ordered by id, filtered and paged: keyword in the number, title, description, client name or e-mail (case-insensitive); from/to on the invoice date (ISO 8601); status and type exact; client_email case-insensitive.",
    tags: ['invoices'],
    security,
    querystring: ListInvoicesQuerySchema,
    response: {
      200: ListInvoicesResponseSchema,
      400: errorResponse(400, 'A query parameter is invalid', messages.pageSizeInvalid),
      ...commonErrorResponses,
    },
  }
  const list = (request: { query: ListInvoicesQuery, merchantId: number }): ListInvoicesResponse => {
    const q = request.query
    const page = q.page ?? 1
    const pageSize = q.page_size ?? DEFAULT_PAGE_SIZE
    const { rows, total } = invoices.list({
      merchantId: request.merchantId,
      keyword: text(q.keyword, 'keyword'),
      status: text(q.status, 'status'),
      type: q.type,
      clientEmail: text(q.client_email, 'client_email'),
      from: q.from,
      to: q.to,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    })
    return { status: 'SUCCESS' as const, invoices: rows.map(toApiInvoice), page, page_size: pageSize, total }
  }
  app.get('/invoices', { schema: listSchema, config: { validationMessages: listMessages } }, list)
  app.get('/invoices/', { schema: { ...listSchema, hide: true }, config: { validationMessages: listMessages } }, list)

  app.post('/invoices', {
    config: { validationMessages: bodyMessages },
    schema: {
      operationId: 'createInvoice',
      summary: 'Create Invoice',
      description: 'Quick (`{"amount": 100.0, "description": "…"}`) or detailed. Every item\'s product_id must be one of the merchant\'s products.',
      tags: ['invoices'],
      security,
      body: InvoiceBodySchema,
      response: { 201: GetInvoiceResponseSchema, ...writeErrors, ...commonErrorResponses },
    },
  }, async (request, reply) => {
    const row = await invoices.create(request.merchantId, request.body)
    return await reply.code(201).send({ status: 'SUCCESS' as const, invoice: toApiInvoice(row) })
  })

  app.put('/invoices/:invoice_id', {
    config: { validationMessages: { ...idMessages, ...bodyMessages } },
    schema: {
      operationId: 'updateInvoice',
      summary: 'Update Invoice',
      description: "Replaces the invoice's fields: optional fields left out become their defaults (type quick, currency QAR, status unpaid, language en, date now, number INV + id) or null/empty.",
      tags: ['invoices'],
      security,
      params: InvoiceIdParamsSchema,
      body: InvoiceBodySchema,
      response: { 200: GetInvoiceResponseSchema, ...writeErrors, ...commonErrorResponses, 404: notFound },
    },
  }, async (request) => {
    const row = await invoices.update(request.merchantId, request.params.invoice_id, request.body)
    return { status: 'SUCCESS' as const, invoice: toApiInvoice(row) }
  })

  app.delete('/invoices/:invoice_id', {
    config: { validationMessages: idMessages },
    schema: {
      operationId: 'deleteInvoice',
      summary: 'Delete Invoice',
      tags: ['invoices'],
      security,
      params: InvoiceIdParamsSchema,
      response: {
        204: { type: 'null', description: 'Deleted; no body' },
        400: errorResponse(400, 'invoice_id is not a positive integer', messages.invoiceIdInvalid),
        ...commonErrorResponses,
        404: notFound,
      },
    },
  }, async (request, reply) => {
    await invoices.remove(request.merchantId, request.params.invoice_id)
    return await reply.code(204).send(null)
  })

  app.get('/invoices/:invoice_id', {
    config: { validationMessages: idMessages },
    schema: {
      operationId: 'getInvoice',
      summary: 'Get Invoice',
      description: "One of the merchant's invoices by id. Another merchant's invoice answers 404, exactly like a missing one.",
      tags: ['invoices'],
      security,
      params: InvoiceIdParamsSchema,
      response: {
        200: GetInvoiceResponseSchema,
        400: errorResponse(400, 'invoice_id is not a positive integer', messages.invoiceIdInvalid),
        ...commonErrorResponses,
        404: notFound,
      },
    },
  }, (request) => {
    const row = invoices.get(request.merchantId, request.params.invoice_id)
    return { status: 'SUCCESS' as const, invoice: toApiInvoice(row) }
  })
  done()
}
