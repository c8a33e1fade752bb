// The invoice rules (CONTRACT §7): defaults, exact amounts, dates in UTC, items that name the
// merchant's own products, tenancy-scoped reads and writes. Totals are the caller's: the mock
// does not recompute Fatora's tax and discount rules, which it cannot see. No HTTP here.
import type { WriteQueue } from '../../db/write-queue.js'
import { InvalidInputError, NotFoundError } from '../../domain-errors.js'
import { toMilli } from '../payments/money.js'
import { dateBound } from '../products/service.js'
import { invoiceMessages as messages } from './messages.js'
import { INVOICE_DEFAULTS, type InvoiceBody } from './schema.js'
import type { InvoiceFields, InvoiceRow, InvoicesStore, ListInvoicesFilter } from './store.js'

const invoiceNotFound = new NotFoundError(messages.invoiceNotFound)

/** Thousandths of an amount of 0 or more with at most 3 decimals, else a 400 naming `field` (or saying `message`). */
function milli (value: number, field: string, message = messages.amountInvalid(field)): number {
  const m = value === 0 ? 0 : toMilli(value)
  if (m === undefined) throw new InvalidInputError(message)
  return m
}
const optionalMilli = (value: number | null | undefined, field: string, message?: string): number | null =>
  value === undefined || value === null ? null : milli(value, field, message)

/**
 * An ISO 8601 date or date-time (already matching the schema's pattern) as stored and answered:
 * UTC to the second ("2023-09-30T00:00:00Z"); a date is its midnight UTC. A day that does not
 * exist (2023-02-30) is refused.
 */
export function toUtc (value: string, field: string): string {
  // 24:00 (which Date rolls over to the next day) and 23:60 are not times of a day.
  if (value.length > 10 && (Number(value.slice(11, 13)) > 23 || Number(value.slice(14, 16)) > 59)) throw new InvalidInputError(messages.dateInvalid(field))
  const day = value.slice(0, 10)
  const dayMs = Date.parse(`${day}T00:00:00Z`)
  const ms = value.length === 10 ? dayMs : Date.parse(value)
  if (Number.isNaN(dayMs) || Number.isNaN(ms) || new Date(dayMs).toISOString().slice(0, 10) !== day) throw new InvalidInputError(messages.dateInvalid(field))
  const utc = new Date(ms).toISOString()
  // An offset can carry the instant out of years 0000–9999 (+010000-…, -000001-…): not a 4-digit
  // ISO 8601 date, and it would sort wrongly against from/to.
  if (!/^[0-9]{4}-/.test(utc)) throw new InvalidInputError(messages.dateInvalid(field))
  return utc.replace(/\.\d{3}Z$/, 'Z')
}
const optionalUtc = (value: string | null | undefined, field: string): string | null => value === undefined || value === null ? null : toUtc(value, field)

/** A body as stored: left-out (or null) fields take their defaults (CONTRACT §7 Decisions), the rest null. */
export function toFields (input: InvoiceBody, now: Date): InvoiceFields {
  const client = input.client ?? {}
  const s = input.setting ?? {}
  return {
    number: input.number ?? null,
    type: input.type ?? INVOICE_DEFAULTS.type,
    title: input.title ?? null,
    description: input.description ?? null,
    amountMilli: milli(input.amount, 'amount'),
    currency: input.currency ?? INVOICE_DEFAULTS.currency,
    status: input.status ?? INVOICE_DEFAULTS.status,
    date: input.date === undefined || input.date === null ? now.toISOString().replace(/\.\d{3}Z$/, 'Z') : toUtc(input.date, 'date'),
    dueDate: optionalUtc(input.due_date, 'due_date'),
    termsConditions: input.terms_conditions ?? null,
    note: input.note ?? null,
    clientName: client.name ?? null,
    clientEmail: client.email ?? null,
    clientPhone: client.phone ?? null,
    clientAddress: client.address ?? null,
    items: (input.items ?? []).map((item, i) => {
      const qty = item.qty ?? INVOICE_DEFAULTS.qty
      const qtyMilli = toMilli(qty)
      if (qtyMilli === undefined) throw new InvalidInputError(messages.itemQtyInvalid(i))
      const productId = item.product_id === undefined || item.product_id === null ? null : Number(item.product_id)
      // The schema's pattern lets 16 digits through as a string: past 2^53 - 1 Number() would round it.
      if (productId !== null && !Number.isSafeInteger(productId)) throw new InvalidInputError(messages.itemProductIdInvalid(i))
      return {
        productId,
        description: item.description ?? null,
        qtyMilli,
        amountMilli: milli(item.amount ?? 0, `items[${i}].amount`),
        type: item.type ?? null,
      }
    }),
    payments: (input.payments ?? []).map((p, i) => ({
      payment_date: optionalUtc(p.payment_date, `payments[${i}].payment_date`),
      transaction_id: p.transaction_id ?? null,
      amount_milli: optionalMilli(p.amount, `payments[${i}].amount`),
      note: p.note ?? null,
      payment_type: p.payment_type ?? null,
      status: p.status ?? null,
    })),
    taxMilli: optionalMilli(s.tax, 'setting.tax', messages.taxInvalid),
    discountMilli: optionalMilli(s.discount, 'setting.discount', messages.discountInvalid),
    discountType: s.discount_type ?? null,
    language: s.language ?? INVOICE_DEFAULTS.language,
    acceptedPaymentMethods: s.accepted_payment_methods ?? [],
  }
}

/** CONTRACT §7: every item's product_id is one of the merchant's products (400 naming the first that is not). */
export function assertOwnProducts (invoices: InvoicesStore, merchantId: number, fields: InvoiceFields): void {
  const ids = fields.items.map((item) => item.productId).filter((id): id is number => id !== null)
  if (ids.length === 0) return
  const own = invoices.merchantProducts(merchantId, ids)
  const i = fields.items.findIndex((item) => item.productId !== null && !own.has(item.productId))
  if (i !== -1) throw new InvalidInputError(messages.itemProductUnknown(i, fields.items[i]?.productId as number))
}

/** After every storable date (years 0000–9999), in the stored form. */
const END_OF_9999_MS = Date.UTC(10000, 0, 1)
const END_OF_9999 = '9999-12-31T24:00:00Z'

/**
 * A from/to filter bound in the stored form (UTC to the second): `from` is inclusive, `to`
 * exclusive — a date's `to` is the next day's start, a date-time's the next whole second.
 */
function secondsBound (value: string, field: 'from' | 'to'): string {
  const ms = Math.ceil(Date.parse(dateBound(value, field)) / 1000) * 1000
  // Past year 9999 toISOString writes +010000-…, which sorts before every stored date.
  return ms >= END_OF_9999_MS ? END_OF_9999 : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface ListInvoicesInput extends Omit<ListInvoicesFilter, 'dateFrom' | 'dateBefore'> {
  from?: string | undefined
  to?: string | undefined
}

export interface InvoicesService {
  get: (merchantId: number, id: number) => InvoiceRow
  list: (query: ListInvoicesInput) => { rows: InvoiceRow[], total: number }
  create: (merchantId: number, input: InvoiceBody) => Promise<InvoiceRow>
  /** Replaces every field: optional fields left out become their defaults or null. */
  update: (merchantId: number, id: number, input: InvoiceBody) => Promise<InvoiceRow>
  remove: (merchantId: number, id: number) => Promise<void>
}

export function createInvoicesService ({ invoices, write, now = () => new Date() }: { invoices: InvoicesStore, write: WriteQueue, now?: () => Date }): InvoicesService {
  return {
    get (merchantId, id) {
      const row = invoices.findForMerchant(merchantId, id)
      if (row === undefined) throw invoiceNotFound
      return row
    },
    list ({ from, to, ...filter }) {
      return invoices.list({
        ...filter,
        dateFrom: from === undefined ? undefined : secondsBound(from, 'from'),
        dateBefore: to === undefined ? undefined : secondsBound(to, 'to'),
      })
    },
    async create (merchantId, input) {
      const fields = toFields(input, now())
      return await write(() => {
        assertOwnProducts(invoices, merchantId, fields)
        return invoices.create({ merchantId, ...fields })
      })
    },
    async update (merchantId, id, input) {
      const fields = toFields(input, now())
      const row = await write(() => {
        if (invoices.findForMerchant(merchantId, id) === undefined) throw invoiceNotFound
        assertOwnProducts(invoices, merchantId, fields)
        return invoices.update(merchantId, id, fields)
      })
      if (row === undefined) throw invoiceNotFound
      return row
    },
    async remove (merchantId, id) {
      const removed = await write(() => invoices.remove(merchantId, id))
      if (!removed) throw invoiceNotFound
    },
  }
}
