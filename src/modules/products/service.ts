// The product rules (CONTRACT §7): defaults, exact prices, image URLs, unique skus, tenancy-scoped
// reads and writes. No HTTP here: refusals are domain errors (http/errors.ts maps them). Writes go
// through the app's one write queue.
import type { WriteQueue } from '../../db/write-queue.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../domain-errors.js'
import { toMilli } from '../payments/money.js'
import { productMessages as messages } from './messages.js'
import { PRODUCT_DEFAULTS, type ProductBody } from './schema.js'
import type { ListProductsFilter, ProductFields, ProductRow, ProductsStore } from './store.js'

// Built once: thrown on every miss, so a 404 costs no stack capture.
const productNotFound = new NotFoundError(messages.productNotFound)
const priceInvalid = new InvalidInputError(messages.priceInvalid)
const imageInvalid = new InvalidInputError(messages.imageInvalid)
const duplicateSku = new ConflictError(messages.duplicateSku)
const productInUse = new ConflictError(messages.productInUse)

/** Thousandths of a price: 0, or what payments accept as an amount (at most 3 decimals, CONTRACT §6.1). */
export function priceToMilli (price: number): number | undefined {
  return price === 0 ? 0 : toMilli(price)
}

/** An image must be an absolute http(s) URL with a host; it is answered as sent. */
function checkImage (value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null
  let url: URL
  try { url = new URL(value) } catch { throw imageInvalid }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || value !== value.trim() || /[\s]/.test(value)) throw imageInvalid
  return value
}

/** A body as stored: left-out (or null) fields take their defaults (CONTRACT §7), the rest null. */
export function toFields (input: ProductBody): ProductFields {
  const priceMilli = priceToMilli(input.price ?? 0)
  if (priceMilli === undefined) throw priceInvalid
  const s = input.setting ?? {}
  return {
    name: input.name,
    priceMilli,
    sku: input.sku ?? null,
    image: checkImage(input.image),
    description: input.description ?? null,
    language: input.language ?? PRODUCT_DEFAULTS.language,
    currency: input.currency ?? PRODUCT_DEFAULTS.currency,
    status: input.status ?? PRODUCT_DEFAULTS.status,
    category: input.category ?? null,
    isPublic: s.is_public ?? PRODUCT_DEFAULTS.is_public,
    isLimited: s.is_limited ?? PRODUCT_DEFAULTS.is_limited,
    isCashier: s.is_cashier ?? PRODUCT_DEFAULTS.is_cashier,
    maxCount: s.max_count ?? null,
    maxOrder: s.max_order ?? null,
  }
}

/** CONTRACT §7 Decision: a sku is unique within a merchant, case-sensitive; another merchant may reuse it. */
function assertSkuFree (products: ProductsStore, merchantId: number, f: ProductFields, exceptId?: number): void {
  if (f.sku !== null && products.findBySku(merchantId, f.sku, exceptId) !== undefined) throw duplicateSku
}

const DAY_MS = 24 * 3600 * 1000
const END_OF_9999_MS = Date.UTC(10000, 0, 1)

/**
 * A from/to bound as the stored ISO 8601 UTC form: a date means its start (from) or the start of
 * the next day (to, exclusive), so `to` includes the whole day; a date-time is taken as given.
 */
export function dateBound (value: string, field: 'from' | 'to'): string {
  const invalid = new InvalidInputError(messages.dateQueryInvalid(field))
  const day = value.slice(0, 10)
  const dayMs = Date.parse(`${day}T00:00:00Z`)
  // V8 rolls 2025-02-30 over to March: a day that does not exist is refused instead.
  if (Number.isNaN(dayMs) || new Date(dayMs).toISOString().slice(0, 10) !== day) throw invalid
  const dateOnly = value.length === 10
  const ms = dateOnly ? dayMs : Date.parse(value)
  if (Number.isNaN(ms)) throw invalid
  // Stored times have milliseconds: "before the next millisecond" is "at or before".
  const bound = field === 'from' ? ms : dateOnly ? ms + DAY_MS : ms + 1
  // Past year 9999 toISOString writes +010000-…, which sorts before every stored time.
  return bound >= END_OF_9999_MS ? '9999-12-31T24:00:00.000Z' : new Date(bound).toISOString()
}

export interface ListProductsInput extends Omit<ListProductsFilter, 'createdFrom' | 'createdBefore'> {
  from?: string | undefined
  to?: string | undefined
}

export interface ProductsService {
  /** The merchant's product; NotFoundError for a missing one and for another merchant's alike. */
  get: (merchantId: number, id: number) => ProductRow
  list: (query: ListProductsInput) => { rows: ProductRow[], total: number }
  create: (merchantId: number, input: ProductBody) => Promise<ProductRow>
  /** Replaces every field: optional fields left out become their defaults or null. */
  update: (merchantId: number, id: number, input: ProductBody) => Promise<ProductRow>
  remove: (merchantId: number, id: number) => Promise<void>
}

export function createProductsService ({ products, write }: { products: ProductsStore, write: WriteQueue }): ProductsService {
  return {
    get (merchantId, id) {
      const row = products.findForMerchant(merchantId, id)
      if (row === undefined) throw productNotFound
      return row
    },
    list ({ from, to, ...filter }) {
      return products.list({
        ...filter,
        createdFrom: from === undefined ? undefined : dateBound(from, 'from'),
        createdBefore: to === undefined ? undefined : dateBound(to, 'to'),
      })
    },
    async create (merchantId, input) {
      const fields = toFields(input)
      return await write(() => {
        assertSkuFree(products, merchantId, fields)
        return products.create({ merchantId, ...fields })
      })
    },
    async update (merchantId, id, input) {
      const fields = toFields(input)
      const row = await write(() => {
        if (products.findForMerchant(merchantId, id) === undefined) throw productNotFound
        assertSkuFree(products, merchantId, fields, id)
        return products.update(merchantId, id, fields)
      })
      if (row === undefined) throw productNotFound
      return row
    },
    async remove (merchantId, id) {
      const removed = await write(() => {
        try {
          return products.remove(merchantId, id)
        } catch (err) {
          // CONTRACT §7 Decision: a product an invoice's item names stays (the database refuses it).
          if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw productInUse
          throw err
        }
      })
      if (!removed) throw productNotFound
    },
  }
}
