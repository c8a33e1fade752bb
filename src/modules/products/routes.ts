// /v1/products routes (CONTRACT §7): parse → service → SUCCESS body. No SQL and no rules here:
// the service applies them, tenancy-scoped; the response schema serialises. api_key or bearer,
// like the client routes (CONTRACT §4, §7).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { InvalidInputError } from '../../domain-errors.js'
import { commonErrorResponses, errorResponse } from '../../http/responses.js'
import { DEFAULT_PAGE_SIZE } from '../params.js'
import { fromMilli } from '../payments/money.js'
import { productMessages as messages } from './messages.js'
import {
  GetProductResponseSchema, ListProductsQuerySchema, ListProductsResponseSchema, PRODUCT_LIMITS, ProductBodySchema, ProductIdParamsSchema,
  type ListProductsQuery, type ListProductsResponse, type Product,
} from './schema.js'
import type { ProductsService } from './service.js'
import type { ProductRow } from './store.js'

export interface ProductsRoutesOptions {
  products: ProductsService
}

/** A product as Fatora shows it: every field present, null for nothing (CONTRACT §7). */
export function toApiProduct (row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    price: fromMilli(row.priceMilli),
    sku: row.sku,
    image: row.image,
    description: row.description,
    language: row.language,
    currency: row.currency,
    status: row.status,
    category: row.category,
    setting: { is_public: row.isPublic, is_limited: row.isLimited, is_cashier: row.isCashier, max_count: row.maxCount, max_order: row.maxOrder },
  }
}

const security: Array<Record<string, string[]>> = [{ api_key: [] }, { bearer: [] }]

// Schema failures described in the product API's own words (each names its field).
const idMessages = { params: messages.productIdInvalid, 'params.product_id': messages.productIdInvalid }
const listMessages = {
  'querystring.page': messages.pageInvalid,
  'querystring.page_size': messages.pageSizeInvalid,
  'querystring.status': messages.textQueryInvalid('status', PRODUCT_LIMITS.status),
  'querystring.sku': messages.textQueryInvalid('sku', PRODUCT_LIMITS.sku),
  'querystring.category': messages.textQueryInvalid('category', PRODUCT_LIMITS.category),
  'querystring.is_cashier': messages.booleanQueryInvalid('is_cashier'),
  'querystring.is_public': messages.booleanQueryInvalid('is_public'),
  'querystring.from': messages.dateQueryInvalid('from'),
  'querystring.to': messages.dateQueryInvalid('to'),
}
const bodyMessages = {
  'body.name': messages.nameInvalid,
  'body.price': messages.priceInvalid,
  'body.sku': messages.skuInvalid,
  'body.image': messages.imageInvalid,
  'body.description': messages.descriptionInvalid,
  'body.language': messages.languageInvalid,
  'body.currency': messages.currencyInvalid,
  'body.status': messages.statusInvalid,
  'body.category': messages.categoryInvalid,
  'body.setting': messages.settingInvalid,
  'body.setting.is_public': messages.settingFlagInvalid('is_public'),
  'body.setting.is_limited': messages.settingFlagInvalid('is_limited'),
  'body.setting.is_cashier': messages.settingFlagInvalid('is_cashier'),
  'body.setting.max_count': messages.maxCountInvalid,
  'body.setting.max_order': messages.maxOrderInvalid,
}

// SQLite compares text up to a NUL like any other character, but a NUL in a filter is never
// meant: refused like the clients' keyword.
function text (value: string | undefined, field: 'status' | 'sku' | 'category'): string | undefined {
  if (value?.includes('\0') === true) throw new InvalidInputError(messages.textQueryInvalid(field, PRODUCT_LIMITS[field]))
  return value
}

const writeErrors = {
  400: errorResponse(400, 'The body is invalid (the description names the field)', messages.priceInvalid),
  409: errorResponse(409, 'Another product of this merchant has the same sku', messages.duplicateSku),
}
const notFound = errorResponse(404, 'No such product for this merchant', messages.productNotFound)

export const productsRoutes: FastifyPluginCallbackTypebox<ProductsRoutesOptions> = (app, { products }, done) => {
  const listSchema = {
    operationId: 'listProducts',
    summary: 'List Products',
    description: "The merchant's products, ordered by id, filtered (every filter exact; from/to on the creation date, ISO 8601) and paged.",
    tags: ['products'],
    security,
    querystring: ListProductsQuerySchema,
    response: {
      200: ListProductsResponseSchema,
      400: errorResponse(400, 'A query parameter is invalid', messages.pageSizeInvalid),
      ...commonErrorResponses,
    },
  }
  const list = (request: { query: ListProductsQuery, merchantId: number }): ListProductsResponse => {
    const q = request.query
    const page = q.page ?? 1
    const pageSize = q.page_size ?? DEFAULT_PAGE_SIZE
    const { rows, total } = products.list({
      merchantId: request.merchantId,
      status: text(q.status, 'status'),
      sku: text(q.sku, 'sku'),
      category: text(q.category, 'category'),
      isCashier: q.is_cashier,
      isPublic: q.is_public,
      from: q.from,
      to: q.to,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    })
    return { status: 'SUCCESS' as const, products: rows.map(toApiProduct), page, page_size: pageSize, total }
  }
  app.get('/products', { schema: listSchema, config: { validationMessages: listMessages } }, list)
  // A trailing slash works too, as for clients (Fatora's curl samples use one).
  app.get('/products/', { schema: { ...listSchema, hide: true }, config: { validationMessages: listMessages } }, list)

  app.post('/products', {
    config: { validationMessages: bodyMessages },
    schema: {
      operationId: 'createProduct',
      summary: 'Create Product',
      tags: ['products'],
      security,
      body: ProductBodySchema,
      response: { 201: GetProductResponseSchema, ...writeErrors, ...commonErrorResponses },
    },
  }, async (request, reply) => {
    const row = await products.create(request.merchantId, request.body)
    return await reply.code(201).send({ status: 'SUCCESS' as const, product: toApiProduct(row) })
  })

  app.put('/products/:product_id', {
    config: { validationMessages: { ...idMessages, ...bodyMessages } },
    schema: {
      operationId: 'updateProduct',
      summary: 'Update Product',
      description: "Replaces the product's fields: optional fields left out become their defaults (language en, currency QAR, status Normal, setting flags) or null.",
      tags: ['products'],
      security,
      params: ProductIdParamsSchema,
      body: ProductBodySchema,
      response: { 200: GetProductResponseSchema, ...writeErrors, ...commonErrorResponses, 404: notFound },
    },
  }, async (request) => {
    const row = await products.update(request.merchantId, request.params.product_id, request.body)
    return { status: 'SUCCESS' as const, product: toApiProduct(row) }
  })

  app.delete('/products/:product_id', {
    config: { validationMessages: idMessages },
    schema: {
      operationId: 'deleteProduct',
      summary: 'Delete Product',
      tags: ['products'],
      security,
      params: ProductIdParamsSchema,
      response: {
        204: { type: 'null', description: 'Deleted; no body' },
        400: errorResponse(400, 'product_id is not a positive integer', messages.productIdInvalid),
        ...commonErrorResponses,
        404: notFound,
        409: errorResponse(409, "An invoice's item names the product (CONTRACT §7 Decision)", messages.productInUse),
      },
    },
  }, async (request, reply) => {
    await products.remove(request.merchantId, request.params.product_id)
    return await reply.code(204).send(null)
  })

  app.get('/products/:product_id', {
    config: { validationMessages: idMessages },
    schema: {
      operationId: 'getProduct',
      summary: 'Get Product',
      description: "Retrieves one of the merchant's products by id. Another merchant's product answers 404, exactly like a missing one.",
      tags: ['products'],
      security,
      params: ProductIdParamsSchema,
      response: {
        200: GetProductResponseSchema,
        400: errorResponse(400, 'product_id is not a positive integer', messages.productIdInvalid),
        ...commonErrorResponses,
        404: notFound,
      },
    },
  }, (request) => {
    const row = products.get(request.merchantId, request.params.product_id)
    return { status: 'SUCCESS' as const, product: toApiProduct(row) }
  })
  done()
}
