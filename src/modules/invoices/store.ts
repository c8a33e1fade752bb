// Invoices: all their SQL. Tenancy lives inside the SQL — merchant_id is in every WHERE, so another
// merchant's invoice is indistinguishable from a missing one (CONTRACT §1, §7). Items are rows of
// their own (their product_id references products); payments and payment methods are JSON text.
import { createFreeIds, insertWithFreeId } from '../../db/free-ids.js'
import { containsPattern, likeContains, likeFold } from '../../db/like.js'
import type { Db } from '../../db/open.js'
import { createSearchCounts, pageOf } from '../../db/search-counts.js'
import { ConflictError } from '../../domain-errors.js'
import { invoiceMessages as messages } from './messages.js'
import { BULK_INDEXES, SEARCH_TRIGGERS } from './migrations.js'

export interface InvoiceItemFields {
  productId: number | null
  description: string | null
  qtyMilli: number
  amountMilli: number
  type: string | null
}

export interface InvoicePaymentFields {
  payment_date: string | null
  transaction_id: string | null
  amount_milli: number | null
  note: string | null
  payment_type: string | null
  status: string | null
}

/** An invoice's stored fields (amounts in thousandths). */
export interface InvoiceFields {
  number: string | null
  type: 'quick' | 'detailed'
  title: string | null
  description: string | null
  amountMilli: number
  currency: string
  status: string
  date: string
  dueDate: string | null
  termsConditions: string | null
  note: string | null
  clientName: string | null
  clientEmail: string | null
  clientPhone: string | null
  clientAddress: string | null
  items: InvoiceItemFields[]
  payments: InvoicePaymentFields[]
  taxMilli: number | null
  discountMilli: number | null
  discountType: 'fixed' | 'percentage' | null
  language: 'en' | 'ar'
  acceptedPaymentMethods: string[]
}

export type InvoiceRow = Omit<InvoiceFields, 'number'> & { id: number, number: string }

/** A whole invoice as the bulk path writes it (seeding, fixtures). */
export type InvoiceRecord = InvoiceRow & { merchantId: number, createdAt: string, updatedAt: string }

export interface ListInvoicesFilter {
  merchantId: number
  keyword?: string | undefined
  status?: string | undefined
  type?: string | undefined
  clientEmail?: string | undefined
  /** date ≥ this (ISO 8601 UTC, as stored). */
  dateFrom?: string | undefined
  /** date < this. */
  dateBefore?: string | undefined
  limit: number
  offset: number
}

export interface InvoicesStore {
  findForMerchant: (merchantId: number, id: number) => InvoiceRow | undefined
  /** Inserts with the next free id (freeIds(1)) when `id` is undefined; number defaults to INV + id. */
  create: (invoice: InvoiceFields & { merchantId: number, id?: number | undefined, createdAt?: string | undefined }) => InvoiceRow
  update: (merchantId: number, id: number, fields: InvoiceFields) => InvoiceRow | undefined
  remove: (merchantId: number, id: number) => boolean
  list: (filter: ListInvoicesFilter) => { rows: InvoiceRow[], total: number }
  /** Which of these product ids are the merchant's (items may only name those). */
  merchantProducts: (merchantId: number, ids: readonly number[]) => Set<number>
  exists: (id: number) => boolean
  /** Inserts a whole invoice and its items as given (seeding): no RETURNING, the bulk path. */
  insert: (invoice: InvoiceRecord) => void
  /**
   * The first of `count` consecutive free invoice ids, never past 2^53 − 1: after the largest id
   * in use, else the lowest free run (db/free-ids.ts); undefined when none is long enough.
   */
  freeIds: (count: number) => number | undefined
  /**
   * Runs a bulk insert without the date and items' product indexes and builds them once
   * afterwards: a million invoices 42 s → 23 s (docs/performance.md). Should the process die
   * halfway, the next bulk seed builds them again (until then those lookups are slower, not wrong).
   * The search triggers are off meanwhile too (kept searches unused) and come back with a new
   * nonce, at the latest at the next start.
   */
  withoutBulkIndexes: <T>(fn: () => T) => T
}

declare module '../../db/stores.js' {
  interface ModuleStores {
    invoices: InvoicesStore
  }
}

interface Raw {
  id: number
  number: string
  type: 'quick' | 'detailed'
  title: string | null
  description: string | null
  amount_milli: number
  currency: string
  status: string
  date: string
  due_date: string | null
  terms_conditions: string | null
  note: string | null
  client_name: string | null
  client_email: string | null
  client_phone: string | null
  client_address: string | null
  payments_json: string
  tax_milli: number | null
  discount_milli: number | null
  discount_type: 'fixed' | 'percentage' | null
  language: 'en' | 'ar'
  accepted_payment_methods: string
}

interface RawItem {
  invoice_id: number
  product_id: number | null
  description: string | null
  qty_milli: number
  amount_milli: number
  type: string | null
}

const COLUMNS = `id, number, type, title, description, amount_milli, currency, status, date, due_date, terms_conditions, note,
  client_name, client_email, client_phone, client_address, payments_json, tax_milli, discount_milli, discount_type, language,
  accepted_payment_methods`

const toItem = (r: RawItem): InvoiceItemFields => ({ productId: r.product_id, description: r.description, qtyMilli: r.qty_milli, amountMilli: r.amount_milli, type: r.type })

const toRow = (r: Raw, items: InvoiceItemFields[]): InvoiceRow => ({
  id: r.id,
  number: r.number,
  type: r.type,
  title: r.title,
  description: r.description,
  amountMilli: r.amount_milli,
  currency: r.currency,
  status: r.status,
  date: r.date,
  dueDate: r.due_date,
  termsConditions: r.terms_conditions,
  note: r.note,
  clientName: r.client_name,
  clientEmail: r.client_email,
  clientPhone: r.client_phone,
  clientAddress: r.client_address,
  items,
  payments: JSON.parse(r.payments_json) as InvoicePaymentFields[],
  taxMilli: r.tax_milli,
  discountMilli: r.discount_milli,
  discountType: r.discount_type,
  language: r.language,
  acceptedPaymentMethods: JSON.parse(r.accepted_payment_methods) as string[],
})

const fieldParams = (f: InvoiceFields): Record<string, string | number | null> => ({
  type: f.type,
  title: f.title,
  description: f.description,
  amount_milli: f.amountMilli,
  currency: f.currency,
  status: f.status,
  date: f.date,
  due_date: f.dueDate,
  terms_conditions: f.termsConditions,
  note: f.note,
  client_name: f.clientName,
  client_email: f.clientEmail,
  client_phone: f.clientPhone,
  client_address: f.clientAddress,
  payments_json: JSON.stringify(f.payments),
  tax_milli: f.taxMilli,
  discount_milli: f.discountMilli,
  discount_type: f.discountType,
  language: f.language,
  accepted_payment_methods: JSON.stringify(f.acceptedPaymentMethods),
})

// LIKE's own characters in a keyword are literal (ESCAPE '\').
const likePattern = containsPattern

type Searched = Pick<InvoiceRow, 'number' | 'title' | 'description' | 'clientName' | 'clientEmail'>

/** The keyword filter in JavaScript, exactly FILTERS' keyword (db/like.ts); null: every invoice. */
const matchesKeyword = (r: Searched, folded: string | null): boolean => folded === null ||
  likeContains(r.number, folded) || likeContains(r.title, folded) || likeContains(r.description, folded) ||
  likeContains(r.clientName, folded) || likeContains(r.clientEmail, folded)

const FILTERS = [
  ['keyword', `(number LIKE @keyword ESCAPE '\\' OR title LIKE @keyword ESCAPE '\\' OR description LIKE @keyword ESCAPE '\\'
    OR client_name LIKE @keyword ESCAPE '\\' OR client_email LIKE @keyword ESCAPE '\\')`],
  ['status', 'status = @status'],
  ['type', 'type = @type'],
  ['clientEmail', 'client_email = @clientEmail COLLATE NOCASE'],
  ['dateFrom', 'date >= @dateFrom'],
  ['dateBefore', 'date < @dateBefore'],
] as const

type Statement = ReturnType<Db['prepare']>

export function createInvoicesStore (db: Db): InvoicesStore {
  const find = db.prepare<[number, number], Raw>(`SELECT ${COLUMNS} FROM invoices WHERE id = ? AND merchant_id = ?`)
  const itemsOf = db.prepare<[number], RawItem>('SELECT invoice_id, product_id, description, qty_milli, amount_milli, type FROM invoice_items WHERE invoice_id = ? ORDER BY position')
  const freeIds = createFreeIds(db, 'invoices')
  const insert = db.prepare<[Record<string, string | number | null>], Raw>(
    `INSERT INTO invoices (id, merchant_id, number, type, title, description, amount_milli, currency, status, date, due_date,
       terms_conditions, note, client_name, client_email, client_phone, client_address, payments_json, tax_milli, discount_milli,
       discount_type, language, accepted_payment_methods, created_at, updated_at)
     VALUES (@id, @merchant_id, @number, @type, @title, @description, @amount_milli, @currency, @status, @date, @due_date,
       @terms_conditions, @note, @client_name, @client_email, @client_phone, @client_address, @payments_json, @tax_milli, @discount_milli,
       @discount_type, @language, @accepted_payment_methods, @created_at, @created_at)
     RETURNING ${COLUMNS}`)
  const update = db.prepare<[Record<string, string | number | null>], Raw>(
    `UPDATE invoices SET number = @number, type = @type, title = @title, description = @description, amount_milli = @amount_milli,
       currency = @currency, status = @status, date = @date, due_date = @due_date, terms_conditions = @terms_conditions, note = @note,
       client_name = @client_name, client_email = @client_email, client_phone = @client_phone, client_address = @client_address,
       payments_json = @payments_json, tax_milli = @tax_milli, discount_milli = @discount_milli, discount_type = @discount_type,
       language = @language, accepted_payment_methods = @accepted_payment_methods, updated_at = @updated_at
     WHERE id = @id AND merchant_id = @merchant_id RETURNING ${COLUMNS}`)
  const insertItem = db.prepare<[number, number, number | null, string | null, number, number, string | null]>(
    'INSERT INTO invoice_items (invoice_id, position, product_id, description, qty_milli, amount_milli, type) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const deleteItems = db.prepare<[number]>('DELETE FROM invoice_items WHERE invoice_id = ?')
  const remove = db.prepare<[number, number]>('DELETE FROM invoices WHERE id = ? AND merchant_id = ?')
  const exists = db.prepare<[number], number>('SELECT 1 FROM invoices WHERE id = ?').pluck()
  const ownProduct = db.prepare<[number, number], number>('SELECT id FROM products WHERE id = ? AND merchant_id = ?').pluck()
  // Positional parameters: the bulk path (a million invoices) pays for no parameter object per row.
  const insertRow = db.prepare<[number, number, string, string, string | null, string | null, number, string, string, string, string | null,
    string | null, string | null, string | null, string | null, string | null, string | null, string, number | null, number | null,
    string | null, string, string, string, string]>(
    `INSERT INTO invoices (id, merchant_id, number, type, title, description, amount_milli, currency, status, date, due_date,
       terms_conditions, note, client_name, client_email, client_phone, client_address, payments_json, tax_milli, discount_milli,
       discount_type, language, accepted_payment_methods, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)

  const writeItems = (invoiceId: number, items: readonly InvoiceItemFields[]): void => {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as InvoiceItemFields
      insertItem.run(invoiceId, i, item.productId, item.description, item.qtyMilli, item.amountMilli, item.type)
    }
  }
  const withItems = (raw: Raw): InvoiceRow => toRow(raw, itemsOf.all(raw.id).map(toItem))

  // One statement set per filter combination, prepared on first use (at most 2^6).
  const variants = new Map<number, { page: Statement, count: Statement, ids: Statement }>()
  const variant = (mask: number): { page: Statement, count: Statement, ids: Statement } => {
    let v = variants.get(mask)
    if (v === undefined) {
      const where = ['merchant_id = @merchantId', ...FILTERS.filter((_, i) => (mask & (1 << i)) !== 0).map(([, sql]) => sql)].join(' AND ')
      v = {
        page: db.prepare(`SELECT ${COLUMNS} FROM invoices WHERE ${where} ORDER BY id LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT COUNT(*) AS n FROM invoices WHERE ${where}`),
        ids: db.prepare(`SELECT id FROM invoices WHERE ${where} ORDER BY id LIMIT @limit`).pluck(),
      }
      variants.set(mask, v)
    }
    return v
  }
  // A page of kept ids (at most 100), in their order.
  const byIds = db.prepare<[number, string], Raw>(`SELECT ${COLUMNS} FROM invoices WHERE merchant_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id`)
  // Kept searches (db/search-counts.ts), as clients': the keyword alone, or no filter at all.
  const searches = createSearchCounts<Searched, string | null>((key) => key === null ? null : likeFold(key), matchesKeyword)
  const searchNonce = db.prepare<[], bigint>(`SELECT nonce FROM search_state WHERE family = 'invoices'
    AND (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (${SEARCH_TRIGGERS.names.map((n) => `'${n}'`).join(', ')})) = ${SEARCH_TRIGGERS.names.length}`).pluck().safeIntegers()
  const writeNonce = db.prepare<[], bigint>("SELECT nonce FROM search_state WHERE family = 'invoices'").pluck().safeIntegers()
  const restoreTriggers = (): void => { db.transaction(() => { db.exec(SEARCH_TRIGGERS.create) })() }
  // A bulk seed that died halfway left the triggers dropped: bring them back (read-only or busy:
  // searches scan until the next start or bulk seed).
  if (!db.readonly && searchNonce.get() === undefined) {
    try { restoreTriggers() } catch {}
  }
  const searched = (r: { number: string, title: string | null, description: string | null, client_name: string | null, client_email: string | null }): Searched =>
    ({ number: r.number, title: r.title, description: r.description, clientName: r.client_name, clientEmail: r.client_email })
  /** Runs a write of one invoice, moving the kept searches from the row before to the row after. */
  function tracked<T> (merchantId: number, id: number, before: () => Searched | undefined, write: () => T, after: (result: T) => Searched | undefined): T {
    if (searches.empty) return write()
    const old = before()
    const from = writeNonce.get()
    const result = write()
    searches.changed(merchantId, id, old, after(result), from, writeNonce.get())
    return result
  }
  const current = (merchantId: number, id: number): Searched | undefined => {
    const raw = find.get(id, merchantId)
    return raw === undefined ? undefined : searched(raw)
  }
  // A page's items in one query (not one per invoice).
  const itemsForPage = (ids: readonly number[]): Map<number, InvoiceItemFields[]> => {
    const out = new Map<number, InvoiceItemFields[]>(ids.map((id) => [id, []]))
    if (ids.length === 0) return out
    const rows = db.prepare<number[], RawItem>(`SELECT invoice_id, product_id, description, qty_milli, amount_milli, type FROM invoice_items
      WHERE invoice_id IN (${ids.map(() => '?').join(',')}) ORDER BY invoice_id, position`).all(...ids)
    for (const r of rows) out.get(r.invoice_id)?.push(toItem(r))
    return out
  }

  return {
    findForMerchant (merchantId, id) {
      const raw = find.get(id, merchantId)
      return raw === undefined ? undefined : withItems(raw)
    },
    create (inv) {
      const at = inv.createdAt ?? new Date().toISOString()
      const raw = insertWithFreeId(inv.id, freeIds, (id) => tracked(inv.merchantId, id, () => undefined,
        () => insert.get({ id, merchant_id: inv.merchantId, number: inv.number ?? `INV${id}`, ...fieldParams(inv), created_at: at }) as Raw, searched), () => new ConflictError(messages.idsExhausted(1)))
      writeItems(raw.id, inv.items)
      return toRow(raw, inv.items)
    },
    update (merchantId, id, f) {
      const old = find.get(id, merchantId)
      if (old === undefined) return undefined
      const raw = tracked(merchantId, id, () => searched(old),
        () => update.get({ id, merchant_id: merchantId, number: f.number ?? `INV${id}`, ...fieldParams(f), updated_at: new Date().toISOString() }) as Raw, searched)
      deleteItems.run(id)
      writeItems(id, f.items)
      return toRow(raw, f.items)
    },
    remove: (merchantId, id) => tracked(merchantId, id, () => current(merchantId, id), () => remove.run(id, merchantId).changes > 0, () => undefined),
    list (q) {
      let mask = 0
      const params: Record<string, string | number> = { merchantId: q.merchantId }
      for (const [i, [key]] of FILTERS.entries()) {
        const value = q[key]
        if (value === undefined) continue
        mask |= 1 << i
        params[key] = key === 'keyword' ? likePattern(value) : value
      }
      const v = variant(mask)
      const withItems = (raws: Raw[]): InvoiceRow[] => {
        const items = itemsForPage(raws.map((r) => r.id))
        return raws.map((r) => toRow(r, items.get(r.id) ?? []))
      }
      const page = (): InvoiceRow[] => withItems(v.page.all({ ...params, limit: q.limit, offset: q.offset }) as Raw[])
      // Kept searches: the keyword alone or no filter (the others are narrower or indexed); not
      // inside a transaction, nor for a keyword with a NUL (the API refuses those).
      const nonce = (mask & ~1) !== 0 || q.keyword?.includes('\0') === true || db.inTransaction ? undefined : searchNonce.get()
      return pageOf(searches, { merchantId: q.merchantId, filter: q.keyword ?? null, limit: q.limit, offset: q.offset }, nonce, {
        page,
        count: () => (v.count.get(params) as { n: number }).n,
        ids: (limit) => v.ids.all({ ...params, limit }) as number[],
        byIds: (ids) => withItems(byIds.all(q.merchantId, JSON.stringify(ids))),
      })
    },
    merchantProducts (merchantId, ids) {
      const own = new Set<number>()
      for (const id of new Set(ids)) if (ownProduct.get(id, merchantId) !== undefined) own.add(id)
      return own
    },
    exists: (id) => exists.get(id) !== undefined,
    insert (inv) {
      tracked(inv.merchantId, inv.id, () => undefined, () => insertRow.run(inv.id, inv.merchantId, inv.number, inv.type, inv.title, inv.description, inv.amountMilli, inv.currency, inv.status, inv.date,
        inv.dueDate, inv.termsConditions, inv.note, inv.clientName, inv.clientEmail, inv.clientPhone, inv.clientAddress, JSON.stringify(inv.payments),
        inv.taxMilli, inv.discountMilli, inv.discountType, inv.language, JSON.stringify(inv.acceptedPaymentMethods), inv.createdAt, inv.updatedAt), () => inv)
      writeItems(inv.id, inv.items)
    },
    freeIds,
    withoutBulkIndexes (fn) {
      db.exec(BULK_INDEXES.drop)
      db.exec(SEARCH_TRIGGERS.drop)
      searches.clear()
      try {
        return fn()
      } finally {
        db.exec(BULK_INDEXES.create)
        restoreTriggers()
      }
    },
  }
}
