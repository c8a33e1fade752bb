// Product schemas, declared once for validation, types and OpenAPI: /v1/products (CONTRACT §7)
// and the products' part of the fixtures format (CONTRACT §3).
import { Type, type Static } from 'typebox'
import { ISO_DATE_PATTERN } from '../../http/patterns.js'
import { Id } from '../merchants/schema.js'
import { idParam, pagingQuery } from '../params.js'

export const ProductIdParamsSchema = Type.Object({ product_id: idParam('product', 669) }, { additionalProperties: false })

/** Longest accepted values of product fields (documented in the README). */
export const PRODUCT_LIMITS = { name: 200, sku: 100, image: 2048, description: 2000, status: 50, category: 100 } as const
export const MAX_PRICE = 999_999_999.999

/** Defaults of fields left out (CONTRACT §7; `Normal` is the status of Fatora's sample). */
export const PRODUCT_DEFAULTS = { language: 'en', currency: 'QAR', status: 'Normal', is_public: true, is_limited: false, is_cashier: false } as const

// Type arrays, not anyOf [x, null]: the same JSON Schema meaning, but fast-json-stringify
// serialises them directly (see clients' schema).
const nullable = <T>(type: 'string' | 'integer', description: string, example: T | null) =>
  Type.Unsafe<T | null>({ type: [type, 'null'], description, examples: [example] })

export const ProductSettingSchema = Type.Object({
  is_public: Type.Boolean({ description: 'Shown publicly (default true)' }),
  is_limited: Type.Boolean({ description: 'Limited stock (default false)' }),
  is_cashier: Type.Boolean({ description: 'Sold at the cashier (default false)' }),
  max_count: nullable<number>('integer', 'Stock limit, 0 or more', null),
  max_order: nullable<number>('integer', 'Most items in one order, 1 or more', null),
}, { additionalProperties: false })

export const ProductSchema = Type.Object({
  id: Type.Integer({ description: 'The id of the product', examples: [669] }),
  name: Type.String({ examples: ['Product Name'] }),
  price: Type.Number({ description: 'Exact, at most 3 decimals', examples: [100] }),
  sku: nullable<string>('string', 'Stock keeping unit: unique within the merchant (case-sensitive)', 'SKU-669'),
  image: nullable<string>('string', 'Absolute http(s) URL of its picture', 'https://example.com/images/product.png'),
  description: nullable<string>('string', 'Description', 'Product Description'),
  language: Type.Unsafe<'en' | 'ar'>({ type: 'string', enum: ['en', 'ar'] }),
  currency: Type.String({ examples: ['QAR'] }),
  status: Type.String({ examples: ['Normal'] }),
  category: nullable<string>('string', 'Category', 'General'),
  setting: ProductSettingSchema,
}, { $id: 'Product', title: 'Product', additionalProperties: false })

export type Product = Static<typeof ProductSchema>

export const PRODUCT_669_EXAMPLE: Product = {
  id: 669,
  name: 'Product Name',
  price: 100,
  sku: 'SKU-669',
  image: 'https://example.com/images/product-669.png',
  description: 'Product Description',
  language: 'en',
  currency: 'QAR',
  status: 'Normal',
  category: 'General',
  setting: { is_public: true, is_limited: false, is_cashier: false, max_count: null, max_order: null },
}

export const GetProductResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  product: Type.Unsafe<Product>({ $ref: 'Product#' }),
}, {
  $id: 'GetProductResponse',
  title: 'GetProductResponse',
  description: 'The product',
  additionalProperties: false,
  examples: [{ status: 'SUCCESS', product: PRODUCT_669_EXAMPLE }],
})

// true or false exactly, read from the query's text (http/validators.ts).
const BOOLEAN_QUERY = Type.Boolean()
// An ISO 8601 date or date-time with a zone, on a day that exists (the pattern says which).
const DATE_QUERY = (description: string) => Type.String({
  pattern: ISO_DATE_PATTERN,
  description,
  examples: ['2025-01-01'],
})

export const ListProductsQuerySchema = Type.Object({
  ...pagingQuery('Products'),
  status: Type.Optional(Type.String({ maxLength: PRODUCT_LIMITS.status, description: 'Exact status (case-sensitive)', examples: ['Normal'] })),
  sku: Type.Optional(Type.String({ maxLength: PRODUCT_LIMITS.sku, description: 'Exact sku (case-sensitive)', examples: ['SKU-669'] })),
  category: Type.Optional(Type.String({ maxLength: PRODUCT_LIMITS.category, description: 'Exact category (case-sensitive)', examples: ['General'] })),
  is_cashier: Type.Optional({ ...BOOLEAN_QUERY, description: 'true or false' }),
  is_public: Type.Optional({ ...BOOLEAN_QUERY, description: 'true or false' }),
  from: Type.Optional(DATE_QUERY('Created on or after (a date: from its start)')),
  to: Type.Optional(DATE_QUERY('Created on or before (a date: to its end)')),
})

export type ListProductsQuery = Static<typeof ListProductsQuerySchema>

const optional = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer> | ReturnType<typeof Type.Boolean>>(schema: T, description: string, example: unknown) =>
  Type.Optional(Type.Union([schema, Type.Null()], { description, examples: [example] }))

// Fatora's Create/Update Product body. Unknown fields are ignored, as a lenient API would;
// null means "not sent" (backends that send every key), so language, currency, status and the
// setting flags then take their defaults.
export const ProductBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: PRODUCT_LIMITS.name, description: 'Name (required)', examples: ['Product Name'] }),
  price: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_PRICE, description: 'From 0 to 999999999.999, at most 3 decimals (default 0)', examples: [100] })),
  sku: optional(Type.String({ maxLength: PRODUCT_LIMITS.sku }), 'Unique within the merchant (case-sensitive): a duplicate answers 409', 'SKU-669'),
  image: optional(Type.String({ maxLength: PRODUCT_LIMITS.image }), 'Absolute http(s) URL', 'https://example.com/images/product-669.png'),
  description: optional(Type.String({ maxLength: PRODUCT_LIMITS.description }), 'Description', 'Product Description'),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ar'), Type.Null()], { description: 'en or ar (default en)' })),
  currency: optional(Type.String({ pattern: '^[A-Z]{3}$' }), 'Three upper-case letters (default QAR)', 'QAR'),
  status: optional(Type.String({ minLength: 1, maxLength: PRODUCT_LIMITS.status }), 'Default Normal', 'Normal'),
  category: optional(Type.String({ maxLength: PRODUCT_LIMITS.category }), 'Category', 'General'),
  setting: Type.Optional(Type.Union([Type.Object({
    is_public: optional(Type.Boolean(), 'Default true', true),
    is_limited: optional(Type.Boolean(), 'Default false', false),
    is_cashier: optional(Type.Boolean(), 'Default false', false),
    max_count: optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), 'Stock limit, 0 or more', null),
    max_order: optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), 'Most items in one order, 1 or more', null),
  }), Type.Null()], { description: 'Every flag optional' })),
}, { $id: 'ProductBody', title: 'ProductBody', description: 'Unknown fields are ignored' })

export type ProductBody = Static<typeof ProductBodySchema>

export const ListProductsResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  products: Type.Array(Type.Unsafe<Product>({ $ref: 'Product#' })),
  page: Type.Integer({ minimum: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100 }),
  total: Type.Integer({ minimum: 0, description: 'Products matching the filters, on all pages' }),
}, {
  $id: 'ListProductsResponse',
  title: 'ListProductsResponse',
  description: "One page of the merchant's products, ordered by id",
  additionalProperties: false,
  examples: [{ status: 'SUCCESS', products: [PRODUCT_669_EXAMPLE], page: 1, page_size: 20, total: 1 }],
})

export type ListProductsResponse = Static<typeof ListProductsResponseSchema>

// The fixtures format: hand-written products per merchant, the same fields as the body plus an id.
const FixtureOptional = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer> | ReturnType<typeof Type.Boolean>>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]))

export const FixtureProductSchema = Type.Object({
  id: Id,
  name: Type.String({ minLength: 1, maxLength: PRODUCT_LIMITS.name }),
  price: Type.Number({ minimum: 0, maximum: MAX_PRICE }),
  sku: FixtureOptional(Type.String({ minLength: 1, maxLength: PRODUCT_LIMITS.sku })),
  image: FixtureOptional(Type.String({ pattern: '^https?://[^\\s/]+', maxLength: PRODUCT_LIMITS.image })),
  description: FixtureOptional(Type.String({ maxLength: PRODUCT_LIMITS.description })),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('ar')])),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  status: Type.Optional(Type.String({ minLength: 1, maxLength: PRODUCT_LIMITS.status })),
  category: FixtureOptional(Type.String({ maxLength: PRODUCT_LIMITS.category })),
  setting: Type.Optional(Type.Object({
    is_public: Type.Optional(Type.Boolean()),
    is_limited: Type.Optional(Type.Boolean()),
    is_cashier: Type.Optional(Type.Boolean()),
    max_count: FixtureOptional(Type.Integer({ minimum: 0 })),
    max_order: FixtureOptional(Type.Integer({ minimum: 1 })),
  }, { additionalProperties: false })),
  created_at: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false })

export type FixtureProduct = Static<typeof FixtureProductSchema>

/** A recipe for seeded fake products: the same shape as fake_clients (CONTRACT §3). */
export const FakeProductsRecipeSchema = Type.Object({
  count: Type.Integer({ minimum: 0, maximum: 10000 }),
  first_id: Id,
  seed: Type.Integer({ minimum: 0 }),
  locale: Type.Union([Type.Literal('en'), Type.Literal('ar')]),
}, { additionalProperties: false })

export type FakeProductsRecipe = Static<typeof FakeProductsRecipeSchema>

/** Each fixtures merchant's products (optional: a file without them has none). */
export const productFixtureFields = {
  products: Type.Optional(Type.Array(FixtureProductSchema, { description: 'Hand-written products' })),
  fake_products: Type.Optional(FakeProductsRecipeSchema),
}
