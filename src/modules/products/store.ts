// Products: tenancy lives inside the SQL — merchant_id is in every WHERE, so another merchant's
// product is indistinguishable from a missing one (CONTRACT §1, §7).
import { createFreeIds, insertWithFreeId } from '../../db/free-ids.js'
import type { Db } from '../../db/open.js'
import { ConflictError } from '../../domain-errors.js'
import { productMessages as messages } from './messages.js'

/** A product's stored fields (price in thousandths, flags as booleans). */
export interface ProductFields {
  name: string
  priceMilli: number
  sku: string | null
  image: string | null
  description: string | null
  language: 'en' | 'ar'
  currency: string
  status: string
  category: string | null
  isPublic: boolean
  isLimited: boolean
  isCashier: boolean
  maxCount: number | null
  maxOrder: number | null
}

export type ProductRow = ProductFields & { id: number }

export interface ProductRecord extends ProductRow {
  merchantId: number
  createdAt: string
  updatedAt: string
}

export interface ListProductsFilter {
  merchantId: number
  status?: string | undefined
  sku?: string | undefined
  category?: string | undefined
  isCashier?: boolean | undefined
  isPublic?: boolean | undefined
  /** created_at ≥ this (ISO 8601 UTC, as stored). */
  createdFrom?: string | undefined
  /** created_at < this (ISO 8601 UTC, as stored). */
  createdBefore?: string | undefined
  limit: number
  offset: number
}

export interface ProductsStore {
  /** The merchant's product with this id, or undefined (missing and foreign look the same). */
  findForMerchant: (merchantId: number, id: number) => ProductRow | undefined
  /** Inserts with the next free id (freeIds(1)) when `id` is undefined; returns the stored row. */
  create: (product: ProductFields & { merchantId: number, id?: number | undefined, createdAt?: string | undefined }) => ProductRow
  /** Replaces the fields of the merchant's product; undefined when it has no such product. */
  update: (merchantId: number, id: number, fields: ProductFields) => ProductRow | undefined
  /** Deletes the merchant's product; false when it has no such product. */
  remove: (merchantId: number, id: number) => boolean
  /** One page of the merchant's products, by id, and how many match in all. */
  list: (filter: ListProductsFilter) => { rows: ProductRow[], total: number }
  /** The id of another product of the merchant with this sku (case-sensitive). */
  findBySku: (merchantId: number, sku: string, exceptId?: number) => number | undefined
  exists: (id: number) => boolean
  /** Inserts a whole row as given (fixtures, seeding): no RETURNING, the bulk path. */
  insert: (product: ProductRecord) => void
  /**
   * The first of `count` consecutive free product ids, never past 2^53 − 1: after the largest id
   * in use, else the lowest free run (db/free-ids.ts); undefined when none is long enough.
   */
  freeIds: (count: number) => number | undefined
  /** The merchant's first `limit` products by id, as an invoice's items name them (fake invoices). */
  catalog: (merchantId: number, limit: number) => CatalogProduct[]
}

/** What a fake invoice's item takes from a product: its id, name and unit price. */
export interface CatalogProduct {
  id: number
  name: string
  priceMilli: number
}

declare module '../../db/stores.js' {
  interface ModuleStores {
    products: ProductsStore
  }
}

interface Raw {
  id: number
  name: string
  price_milli: number
  sku: string | null
  image: string | null
  description: string | null
  language: 'en' | 'ar'
  currency: string
  status: string
  category: string | null
  is_public: number
  is_limited: number
  is_cashier: number
  max_count: number | null
  max_order: number | null
}

const COLUMNS = 'id, name, price_milli, sku, image, description, language, currency, status, category, is_public, is_limited, is_cashier, max_count, max_order'

const toRow = (r: Raw): ProductRow => ({
  id: r.id,
  name: r.name,
  priceMilli: r.price_milli,
  sku: r.sku,
  image: r.image,
  description: r.description,
  language: r.language,
  currency: r.currency,
  status: r.status,
  category: r.category,
  isPublic: r.is_public === 1,
  isLimited: r.is_limited === 1,
  isCashier: r.is_cashier === 1,
  maxCount: r.max_count,
  maxOrder: r.max_order,
})

/** The named parameters of a product's fields (SQLite has no booleans: 0 and 1). */
const fieldParams = (f: ProductFields): Record<string, string | number | null> => ({
  name: f.name,
  price_milli: f.priceMilli,
  sku: f.sku,
  image: f.image,
  description: f.description,
  language: f.language,
  currency: f.currency,
  status: f.status,
  category: f.category,
  is_public: f.isPublic ? 1 : 0,
  is_limited: f.isLimited ? 1 : 0,
  is_cashier: f.isCashier ? 1 : 0,
  max_count: f.maxCount,
  max_order: f.maxOrder,
})

// The list's optional filters, in a fixed order: each one's SQL and its named parameter.
const FILTERS = [
  ['status', 'status = @status'],
  ['sku', 'sku = @sku'],
  ['category', 'category = @category'],
  ['isCashier', 'is_cashier = @isCashier'],
  ['isPublic', 'is_public = @isPublic'],
  ['createdFrom', 'created_at >= @createdFrom'],
  ['createdBefore', 'created_at < @createdBefore'],
] as const

type Statement = ReturnType<Db['prepare']>

export function createProductsStore (db: Db): ProductsStore {
  const find = db.prepare<[number, number], Raw>(`SELECT ${COLUMNS} FROM products WHERE id = ? AND merchant_id = ?`)
  const create = db.prepare<[Record<string, string | number | null>], Raw>(
    `INSERT INTO products (id, merchant_id, name, price_milli, sku, image, description, language, currency, status, category,
       is_public, is_limited, is_cashier, max_count, max_order, created_at, updated_at)
     VALUES (@id, @merchant_id, @name, @price_milli, @sku, @image, @description, @language, @currency, @status, @category,
       @is_public, @is_limited, @is_cashier, @max_count, @max_order, @created_at, @created_at)
     RETURNING ${COLUMNS}`)
  const update = db.prepare<[Record<string, string | number | null>], Raw>(
    `UPDATE products SET name = @name, price_milli = @price_milli, sku = @sku, image = @image, description = @description,
       language = @language, currency = @currency, status = @status, category = @category, is_public = @is_public,
       is_limited = @is_limited, is_cashier = @is_cashier, max_count = @max_count, max_order = @max_order, updated_at = @updated_at
     WHERE id = @id AND merchant_id = @merchant_id RETURNING ${COLUMNS}`)
  const remove = db.prepare<[number, number]>('DELETE FROM products WHERE id = ? AND merchant_id = ?')
  const bySku = db.prepare<[number, string, number], { id: number }>('SELECT id FROM products WHERE merchant_id = ? AND sku = ? AND id <> ? LIMIT 1')
  const exists = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM products WHERE id = ?')
  // Positional parameters: the bulk path (a million rows) pays for no parameter object per row.
  const insert = db.prepare<[number, number, string, number, string | null, string | null, string | null, string, string, string, string | null,
    number, number, number, number | null, number | null, string, string]>(
    `INSERT INTO products (id, merchant_id, name, price_milli, sku, image, description, language, currency, status, category,
       is_public, is_limited, is_cashier, max_count, max_order, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const freeIds = createFreeIds(db, 'products')
  const catalog = db.prepare<[number, number], { id: number, name: string, price_milli: number }>(
    'SELECT id, name, price_milli FROM products WHERE merchant_id = ? ORDER BY id LIMIT ?')

  // One statement pair per filter combination, prepared on first use (at most 2^7).
  const variants = new Map<number, { page: Statement, count: Statement }>()
  const variant = (mask: number): { page: Statement, count: Statement } => {
    let v = variants.get(mask)
    if (v === undefined) {
      const where = ['merchant_id = @merchantId', ...FILTERS.filter((_, i) => (mask & (1 << i)) !== 0).map(([, sql]) => sql)].join(' AND ')
      v = {
        page: db.prepare(`SELECT ${COLUMNS} FROM products WHERE ${where} ORDER BY id LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT COUNT(*) AS n FROM products WHERE ${where}`),
      }
      variants.set(mask, v)
    }
    return v
  }

  return {
    findForMerchant (merchantId, id) {
      const raw = find.get(id, merchantId)
      return raw === undefined ? undefined : toRow(raw)
    },
    create (p) {
      const at = p.createdAt ?? new Date().toISOString()
      return toRow(insertWithFreeId(p.id, freeIds, (id) => create.get({ id, merchant_id: p.merchantId, ...fieldParams(p), created_at: at }) as Raw, () => new ConflictError(messages.idsExhausted(1))))
    },
    update (merchantId, id, f) {
      const raw = update.get({ id, merchant_id: merchantId, ...fieldParams(f), updated_at: new Date().toISOString() })
      return raw === undefined ? undefined : toRow(raw)
    },
    remove: (merchantId, id) => remove.run(id, merchantId).changes > 0,
    list (q) {
      let mask = 0
      const params: Record<string, string | number> = { merchantId: q.merchantId }
      for (const [i, [key]] of FILTERS.entries()) {
        const value = q[key]
        if (value === undefined) continue
        mask |= 1 << i
        params[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value
      }
      const v = variant(mask)
      const rows = (v.page.all({ ...params, limit: q.limit, offset: q.offset }) as Raw[]).map(toRow)
      // The page alone tells the total when it is not full (the common case past a filter).
      const total = rows.length < q.limit && (q.offset === 0 || rows.length > 0)
        ? q.offset + rows.length
        : (v.count.get(params) as { n: number }).n
      return { rows, total }
    },
    findBySku: (merchantId, sku, exceptId = 0) => bySku.get(merchantId, sku, exceptId)?.id,
    exists: (id) => exists.get(id) !== undefined,
    insert (p) {
      insert.run(p.id, p.merchantId, p.name, p.priceMilli, p.sku, p.image, p.description, p.language, p.currency, p.status, p.category,
        p.isPublic ? 1 : 0, p.isLimited ? 1 : 0, p.isCashier ? 1 : 0, p.maxCount, p.maxOrder, p.createdAt, p.updatedAt)
    },
    freeIds,
    catalog: (merchantId, limit) => catalog.all(merchantId, limit).map((r) => ({ id: r.id, name: r.name, priceMilli: r.price_milli })),
  }
}
