// Fatora's product API (CONTRACT §7): create, get, list with every filter, replace, delete — full
// bodies with literal values, every field's rule, the sku conflict, tenancy, exact prices and a
// restart on a file database.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { join } from 'node:path'
import { buildWithDb, build, DEMO_KEY, failure, fixturesDb, SECOND_KEY } from '../../helper.js'
import { openDatabase } from '../../../src/db/open.js'

async function req (app: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: any, body: string }> {
  const res = await app.inject({ method: method as 'GET', url, headers: { api_key: DEMO_KEY, ...headers }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json(), body: res.body }
}

const DEFAULT_SETTING = { is_public: true, is_limited: false, is_cashier: false, max_count: null, max_order: null }

const PRODUCT_669 = {
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
  setting: DEFAULT_SETTING,
}

const FULL_BODY = {
  name: 'Arabic Coffee Beans',
  price: 45.75,
  sku: 'COF-001',
  image: 'https://shop.example/images/coffee.jpg',
  description: '1 kg, medium roast',
  language: 'ar',
  currency: 'USD',
  status: 'Active',
  category: 'Coffee',
  setting: { is_public: false, is_limited: true, is_cashier: true, max_count: 30, max_order: 3 },
}

t.test('GET /v1/products/669: Fatora\'s sample product, for api_key and bearer', async (t) => {
  const app = await build(t)
  const res = await req(app, 'GET', '/v1/products/669')
  t.equal(res.status, 200)
  t.same(res.json, { status: 'SUCCESS', product: PRODUCT_669 })
  t.same(Object.keys(res.json.product), ['id', 'name', 'price', 'sku', 'image', 'description', 'language', 'currency', 'status', 'category', 'setting'], 'every field, in order')

  const token = (await app.inject({ method: 'GET', url: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY } })).json().bearer_token as string
  const bearer = await app.inject({ method: 'GET', url: '/v1/products/669', headers: { authorization: `Bearer ${token}` } })
  t.same([bearer.statusCode, bearer.json()], [200, { status: 'SUCCESS', product: PRODUCT_669 }], 'a bearer token works too')
})

t.test('GET /v1/products/{product_id}: missing and another merchant\'s are the same 404; bad ids are 400', async (t) => {
  const app = await build(t)
  const missing = await req(app, 'GET', '/v1/products/999999')
  const foreign = await req(app, 'GET', '/v1/products/2669')
  t.same([missing.status, missing.json], [404, failure(404, 'Product not found')])
  t.equal(foreign.body, missing.body, 'byte-identical')
  const own = await req(app, 'GET', '/v1/products/2669', undefined, { api_key: SECOND_KEY })
  t.equal(own.json.product.name, 'Second Merchant Product', 'its owner sees it')
  const invalid = failure(400, 'Invalid product_id: must be a positive integer from 1 to 9007199254740991')
  for (const id of ['abc', '1.5', '-3', '0', '1e3', '0x10', '0669', '%20669', '9007199254740992', '99999999999999999']) {
    const res = await req(app, 'GET', `/v1/products/${id}`)
    t.same([res.status, res.json], [400, invalid], `product_id ${id}`)
  }
})

t.test('POST /v1/products: a full body, then defaults for everything left out', async (t) => {
  const app = await build(t)
  const created = await req(app, 'POST', '/v1/products', FULL_BODY)
  t.equal(created.status, 201)
  t.same(created.json, { status: 'SUCCESS', product: { id: 2671, ...FULL_BODY } }, 'ids continue after the largest (2670)')
  t.same((await req(app, 'GET', '/v1/products/2671')).json.product, created.json.product, 'read back as created')

  const minimal = await req(app, 'POST', '/v1/products', { name: 'Only A Name' })
  t.same(minimal.json, {
    status: 'SUCCESS',
    product: { id: 2672, name: 'Only A Name', price: 0, sku: null, image: null, description: null, language: 'en', currency: 'QAR', status: 'Normal', category: null, setting: DEFAULT_SETTING },
  }, 'defaults: price 0, en, QAR, Normal, public; the rest null')

  const nulls = await req(app, 'POST', '/v1/products', { name: 'Nulls', sku: null, image: null, description: null, language: null, currency: null, status: null, category: null, setting: null, unknown: 'ignored' })
  t.same(nulls.json.product, { id: 2673, name: 'Nulls', price: 0, sku: null, image: null, description: null, language: 'en', currency: 'QAR', status: 'Normal', category: null, setting: DEFAULT_SETTING }, 'null means not sent; unknown fields are ignored')

  const partial = await req(app, 'POST', '/v1/products', { name: 'Partial Setting', setting: { is_cashier: true, max_order: null } })
  t.same(partial.json.product.setting, { ...DEFAULT_SETTING, is_cashier: true }, 'setting fields left out take their defaults')
})

t.test('POST /v1/products: every field\'s rule, each named in the description', async (t) => {
  const app = await build(t)
  const name = 'Invalid body field name: must be a non-empty string of at most 200 characters'
  const price = 'Invalid body field price: must be a number from 0 to 999999999.999 with at most 3 decimals'
  const sku = 'Invalid body field sku: must be a string of at most 100 characters, or null'
  const image = 'Invalid body field image: must be an absolute http or https URL of at most 2048 characters, or null'
  const description = 'Invalid body field description: must be a string of at most 2000 characters, or null'
  const language = 'Invalid body field language: must be en or ar'
  const currency = 'Invalid body field currency: must be three upper-case letters (QAR)'
  const status = 'Invalid body field status: must be a non-empty string of at most 50 characters'
  const category = 'Invalid body field category: must be a string of at most 100 characters, or null'
  const setting = 'Invalid body field setting: must be an object, or null'
  const flag = (f: string): string => `Invalid body field setting.${f}: must be true or false`
  const maxCount = 'Invalid body field setting.max_count: must be an integer of at least 0, or null'
  const maxOrder = 'Invalid body field setting.max_order: must be an integer of at least 1, or null'
  const cases: Array<[string, unknown, string]> = [
    ['name missing', { price: 1 }, 'Invalid body: name is required'],
    ['name empty', { name: '' }, name],
    ['name too long (201)', { name: 'n'.repeat(201) }, name],
    ['name a number', { name: 12 }, name],
    ['name null', { name: null }, name],
    ['price negative', { name: 'P', price: -1 }, price],
    ['price past the maximum', { name: 'P', price: 1000000000 }, price],
    ['price with 4 decimals', { name: 'P', price: 1.2345 }, price],
    ['price 0.1 + 0.2 (not a 3-decimal number)', { name: 'P', price: 0.30000000000000004 }, price],
    ['price a string (no coercion)', { name: 'P', price: '100' }, price],
    ['price null', { name: 'P', price: null }, price],
    ['sku too long (101)', { name: 'P', sku: 's'.repeat(101) }, sku],
    ['sku a number', { name: 'P', sku: 669 }, sku],
    ['image relative', { name: 'P', image: '/images/p.png' }, image],
    ['image ftp', { name: 'P', image: 'ftp://example.com/p.png' }, image],
    ['image javascript:', { name: 'P', image: 'javascript:alert(1)' }, image],
    ['image with spaces', { name: 'P', image: ' https://example.com/p.png' }, image],
    ['image too long', { name: 'P', image: `https://example.com/${'a'.repeat(2048)}` }, image],
    ['image a number', { name: 'P', image: 1 }, image],
    ['description too long (2001)', { name: 'P', description: 'd'.repeat(2001) }, description],
    ['description an object', { name: 'P', description: {} }, description],
    ['language fr', { name: 'P', language: 'fr' }, language],
    ['language EN', { name: 'P', language: 'EN' }, language],
    ['currency lower-case', { name: 'P', currency: 'qar' }, currency],
    ['currency 4 letters', { name: 'P', currency: 'QARS' }, currency],
    ['currency a number', { name: 'P', currency: 634 }, currency],
    ['status empty', { name: 'P', status: '' }, status],
    ['status too long (51)', { name: 'P', status: 's'.repeat(51) }, status],
    ['category too long (101)', { name: 'P', category: 'c'.repeat(101) }, category],
    ['category a boolean', { name: 'P', category: true }, category],
    ['setting a string', { name: 'P', setting: 'public' }, setting],
    ['setting an array', { name: 'P', setting: [] }, setting],
    ['setting.is_public a string (no coercion)', { name: 'P', setting: { is_public: 'true' } }, flag('is_public')],
    ['setting.is_limited a number', { name: 'P', setting: { is_limited: 1 } }, flag('is_limited')],
    ['setting.is_cashier a string', { name: 'P', setting: { is_cashier: 'yes' } }, flag('is_cashier')],
    ['setting.max_count negative', { name: 'P', setting: { max_count: -1 } }, maxCount],
    ['setting.max_count a fraction', { name: 'P', setting: { max_count: 1.5 } }, maxCount],
    ['setting.max_count a string', { name: 'P', setting: { max_count: '5' } }, maxCount],
    ['setting.max_order 0', { name: 'P', setting: { max_order: 0 } }, maxOrder],
    ['setting.max_order a string', { name: 'P', setting: { max_order: '2' } }, maxOrder],
  ]
  for (const [what, body, description] of cases) {
    const created = await req(app, 'POST', '/v1/products', body)
    t.same([created.status, created.json], [400, failure(400, description)], `POST: ${what}`)
    const replaced = await req(app, 'PUT', '/v1/products/669', body)
    t.same([replaced.status, replaced.json], [400, failure(400, description)], `PUT: ${what}`)
  }
  t.same((await req(app, 'GET', '/v1/products/669')).json.product, PRODUCT_669, 'nothing was changed')
  const array = await req(app, 'POST', '/v1/products', [])
  t.same([array.status, array.json], [400, failure(400, 'Invalid body: expected a JSON object')])
})

t.test('prices are exact: thousandths in, the same number out', async (t) => {
  const app = await build(t)
  for (const price of [0, 0.1, 0.001, 12.5, 123.456, 999999999.999]) {
    const created = await req(app, 'POST', '/v1/products', { name: `Priced ${price}`, price })
    t.equal(created.status, 201, `${price} accepted`)
    t.match(created.body, `"price":${String(price)},`, `${price} answered as written`)
    const read = await req(app, 'GET', `/v1/products/${created.json.product.id as number}`)
    t.equal(read.json.product.price, price, `${price} read back exactly`)
  }
  const drift = await req(app, 'POST', '/v1/products', { name: 'Drift', price: 0.1 + 0.2 })
  t.equal(drift.status, 400, '0.1 + 0.2 (0.30000000000000004) is refused, not rounded')
})

t.test('sku: 409 for a duplicate within the merchant (case-sensitive); another merchant may reuse it', async (t) => {
  const app = await build(t)
  const conflict = failure(409, 'A product with this sku already exists')
  const dup = await req(app, 'POST', '/v1/products', { name: 'Copy', sku: 'SKU-669' })
  t.same([dup.status, dup.json], [409, conflict], 'POST with 669\'s sku')
  const other = await req(app, 'POST', '/v1/products', { name: 'Copy', sku: 'sku-669' })
  t.equal(other.status, 201, 'a different case is a different sku')
  const put = await req(app, 'PUT', '/v1/products/670', { name: 'Cashier Coffee', sku: 'SKU-669' })
  t.same([put.status, put.json], [409, conflict], 'PUT to another product\'s sku')
  const same = await req(app, 'PUT', '/v1/products/669', { name: 'Renamed', sku: 'SKU-669' })
  t.equal(same.status, 200, 'a product keeps its own sku')
  const second = await req(app, 'POST', '/v1/products', { name: 'Reused', sku: 'SKU-671' }, { api_key: SECOND_KEY })
  t.equal(second.status, 201, 'merchant 2 may use merchant 1\'s sku')
  const noSku = [await req(app, 'POST', '/v1/products', { name: 'A' }), await req(app, 'POST', '/v1/products', { name: 'B', sku: null })]
  t.same(noSku.map((r) => r.status), [201, 201], 'any number of products without a sku')
  // 671: no fixture invoice names it (669 and 670 are invoice 2075's items, CONTRACT §7).
  t.equal((await req(app, 'DELETE', '/v1/products/671')).status, 204)
  t.equal((await req(app, 'POST', '/v1/products', { name: 'After delete', sku: 'SKU-671' })).status, 201, 'a deleted product\'s sku is free again')
})

t.test('PUT /v1/products/{product_id}: replaces every field; left-out ones become defaults or null', async (t) => {
  const app = await build(t)
  const full = await req(app, 'PUT', '/v1/products/669', FULL_BODY)
  t.same([full.status, full.json], [200, { status: 'SUCCESS', product: { id: 669, ...FULL_BODY } }])
  const bare = await req(app, 'PUT', '/v1/products/669', { name: 'Bare' })
  t.same(bare.json.product, { id: 669, name: 'Bare', price: 0, sku: null, image: null, description: null, language: 'en', currency: 'QAR', status: 'Normal', category: null, setting: DEFAULT_SETTING })
  t.same((await req(app, 'GET', '/v1/products/669')).json.product, bare.json.product, 'stored')
  const missing = await req(app, 'PUT', '/v1/products/999999', { name: 'X' })
  const foreign = await req(app, 'PUT', '/v1/products/2669', { name: 'X' })
  t.same([missing.status, missing.json], [404, failure(404, 'Product not found')])
  t.equal(foreign.body, missing.body, 'another merchant\'s: byte-identical 404')
  t.equal((await req(app, 'GET', '/v1/products/2669', undefined, { api_key: SECOND_KEY })).json.product.name, 'Second Merchant Product', 'and untouched')
  const badId = await req(app, 'PUT', '/v1/products/abc', { name: 'X' })
  t.same([badId.status, badId.json], [400, failure(400, 'Invalid product_id: must be a positive integer from 1 to 9007199254740991')])
})

t.test('DELETE /v1/products/{product_id}: 204, then 404; never another merchant\'s', async (t) => {
  const app = await build(t)
  const foreign = await req(app, 'DELETE', '/v1/products/2669')
  t.same([foreign.status, foreign.json], [404, failure(404, 'Product not found')])
  // 671: no fixture invoice names it (an invoice's product is a 409: test/modules/invoices/crud.test.ts).
  const gone = await req(app, 'DELETE', '/v1/products/671')
  t.same([gone.status, gone.body], [204, ''])
  t.equal((await req(app, 'GET', '/v1/products/671')).status, 404)
  t.equal((await req(app, 'DELETE', '/v1/products/671')).status, 404, 'twice: 404')
  // CONTRACT §7 Decision: invoice 2075's items name 669 and 670.
  const used = await req(app, 'DELETE', '/v1/products/669')
  t.same([used.status, used.json], [409, failure(409, 'The product is used by an invoice: remove it from the invoice first')])
  t.equal((await req(app, 'GET', '/v1/products/669')).status, 200, 'still there')
  t.equal((await req(app, 'DELETE', '/v1/invoices/2075')).status, 204)
  t.equal((await req(app, 'DELETE', '/v1/products/669')).status, 204, 'once no invoice names it, it goes')
  t.equal((await req(app, 'GET', '/v1/products/2669', undefined, { api_key: SECOND_KEY })).status, 200, 'merchant 2 keeps its product')
})

t.test('GET /v1/products: the merchant\'s products by id, paged', async (t) => {
  const app = await build(t)
  // The fixtures: fake products 1–20 (CONTRACT §3), then the hand-written 669–672.
  const fake = Array.from({ length: 20 }, (_, i) => i + 1)
  const all = await req(app, 'GET', '/v1/products')
  t.same(Object.keys(all.json), ['status', 'products', 'page', 'page_size', 'total'])
  t.same([all.json.status, all.json.page, all.json.page_size, all.json.total], ['SUCCESS', 1, 20, 24])
  t.same(all.json.products.map((p: { id: number }) => p.id), fake)
  const written = await req(app, 'GET', '/v1/products?page=2')
  t.same([written.json.products.map((p: { id: number }) => p.id), written.json.page, written.json.total], [[669, 670, 671, 672], 2, 24], 'page 2: the hand-written ones')
  t.same(written.json.products[0], PRODUCT_669)
  t.same(written.json.products[3], {
    id: 672, name: 'Gift Card', price: 0, sku: null, image: null, description: null, language: 'ar', currency: 'USD', status: 'Normal', category: null, setting: { ...DEFAULT_SETTING, is_cashier: true },
  })
  const page2 = await req(app, 'GET', '/v1/products?page=8&page_size=3')
  t.same([page2.json.products.map((p: { id: number }) => p.id), page2.json.page, page2.json.page_size, page2.json.total], [[670, 671, 672], 8, 3, 24])
  const past = await req(app, 'GET', '/v1/products?page=9&page_size=3')
  t.same(past.json, { status: 'SUCCESS', products: [], page: 9, page_size: 3, total: 24 }, 'past the end: empty, with the total')
  const full = await req(app, 'GET', '/v1/products?page=12&page_size=2')
  t.same([full.json.products.map((p: { id: number }) => p.id), full.json.total], [[671, 672], 24], 'a full last page')
  const slash = await req(app, 'GET', '/v1/products/?page_size=1')
  t.same(slash.json.products.map((p: { id: number }) => p.id), [1], 'a trailing slash works too')
  const second = await req(app, 'GET', '/v1/products?page=2', undefined, { api_key: SECOND_KEY })
  t.same([second.json.products.map((p: { id: number }) => p.id), second.json.total], [[2669, 2670], 22], 'tenancy: only its own (fake 2001–2020, then 2669 and 2670)')
})

t.test('GET /v1/products: every filter, alone and combined', async (t) => {
  const app = await build(t)
  const ids = async (query: string, key = DEMO_KEY): Promise<number[]> => {
    const res = await req(app, 'GET', `/v1/products?${query}`, undefined, { api_key: key })
    t.equal(res.status, 200, query)
    return res.json.products.map((p: { id: number }) => p.id)
  }
  // The fixtures' fake products 1–20 (CONTRACT §3) answer every filter like the hand-written ones.
  t.same(await ids('status=Normal'), [1, 2, 5, 8, 9, 10, 11, 12, 13, 15, 19, 20, 669, 670, 672], 'status: exact')
  t.same(await ids('status=normal'), [], 'status: case-sensitive')
  t.same(await ids('status=Draft'), [4, 7, 14, 18, 671])
  t.same(await ids('sku=SKU-670'), [670], 'sku: exact')
  t.same(await ids('sku=SKU'), [], 'sku: not a substring')
  t.same(await ids('sku=SKU-669', SECOND_KEY), [2669], 'sku: within the merchant')
  t.same(await ids('category=General'), [669, 671], 'category: exact')
  t.same(await ids('category=Drinks'), [670])
  t.same(await ids('is_cashier=true'), [3, 13, 15, 670, 672], 'is_cashier=true')
  t.same(await ids('is_cashier=false&page_size=100'), [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18, 19, 20, 669, 671], 'is_cashier=false')
  t.same(await ids('is_public=false'), [3, 6, 13, 14, 18, 670], 'is_public=false')
  t.same(await ids('is_public=true&page_size=100'), [1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 15, 16, 17, 19, 20, 669, 671, 672], 'is_public=true')
  t.same(await ids('from=2024-08-15'), [2, 3, 5, 6, 7, 8, 10, 12, 13, 19, 670, 671, 672], 'from: a date includes the whole day')
  t.same(await ids('to=2024-08-15'), [1, 4, 9, 11, 14, 15, 16, 17, 18, 20, 669, 670], 'to: a date includes the whole day')
  t.same(await ids('from=2024-08-01&to=2024-12-31'), [1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 19, 670, 671], 'from and to')
  t.same(await ids('from=2024-08-15T09:00:01Z'), [2, 3, 5, 6, 7, 8, 10, 12, 13, 19, 671, 672], 'from: a date-time, exactly')
  t.same(await ids('to=2024-08-15T09:00:00Z'), [1, 4, 9, 11, 14, 15, 16, 17, 18, 20, 669, 670], 'to: a date-time, inclusive')
  t.same(await ids('to=2024-08-15T11:00:00%2B02:00'), [1, 4, 9, 11, 14, 15, 16, 17, 18, 20, 669, 670], 'to: a date-time with an offset')
  t.same(await ids('from=2025-01-02'), [], 'nothing that late')
  t.same(await ids('from=2025-01-01&to=2024-01-01'), [], 'from after to: nothing')
  t.same(await ids('to=9999-12-31&page_size=100'), [...Array.from({ length: 20 }, (_, i) => i + 1), 669, 670, 671, 672], 'to: the last day there is')
  t.same(await ids('status=Normal&is_cashier=true&category=Drinks&is_public=false&sku=SKU-670&from=2024-01-01&to=2024-12-31'), [670], 'all filters combine')
  t.same(await ids('status=Normal&is_cashier=true&from=2024-12-01'), [672])
  const paged = await req(app, 'GET', '/v1/products?status=Normal&page_size=2&page=2')
  t.same([paged.json.products.map((p: { id: number }) => p.id), paged.json.total], [[5, 8], 15], 'filters and paging together')
  const created = await req(app, 'POST', '/v1/products', { name: 'New', category: 'General' })
  const today = new Date().toISOString().slice(0, 10)
  t.same(await ids(`from=${today}&category=General`), [created.json.product.id], 'a new product is created today')
})

t.test('GET /v1/products: bad query parameters, each named', async (t) => {
  const app = await build(t)
  const date = (f: string): string => `Invalid query field ${f}: must be an ISO 8601 date (2025-01-31) or date-time (2025-01-31T10:00:00Z)`
  const cases: Array<[string, string]> = [
    ['page=0', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=abc', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page_size=0', 'Invalid query field page_size: must be an integer from 1 to 100'],
    ['page_size=101', 'Invalid query field page_size: must be an integer from 1 to 100'],
    ['is_cashier=yes', 'Invalid query field is_cashier: must be true or false'],
    ['is_cashier=1', 'Invalid query field is_cashier: must be true or false'],
    ['is_public=TRUE', 'Invalid query field is_public: must be true or false'],
    ['from=yesterday', date('from')],
    ['from=2025-02-30', date('from')],
    ['from=2025-13-01', date('from')],
    ['to=2025-01-01T25:00:00Z', date('to')],
    ['to=01/02/2025', date('to')],
    [`status=${'s'.repeat(51)}`, 'Invalid query field status: must be a string of at most 50 characters, without NUL characters'],
    [`sku=${'s'.repeat(101)}`, 'Invalid query field sku: must be a string of at most 100 characters, without NUL characters'],
    ['category=a%00b', 'Invalid query field category: must be a string of at most 100 characters, without NUL characters'],
  ]
  for (const [query, description] of cases) {
    const res = await req(app, 'GET', `/v1/products?${query}`)
    t.same([res.status, res.json], [400, failure(400, description)], query)
  }
})

t.test('products survive a restart on a file database', async (t) => {
  const path = join(t.testdir(), 'products.db')
  const first = await buildWithDb(t, {}, fixturesDb(path))
  const created = await req(first.app, 'POST', '/v1/products', FULL_BODY)
  await req(first.app, 'PUT', '/v1/products/669', { name: 'Changed', price: 123.456, sku: 'SKU-669' })
  await req(first.app, 'DELETE', '/v1/products/672')
  await first.app.close()
  first.db.close()

  const { app } = await buildWithDb(t, {}, openDatabase(path).db)
  t.same((await req(app, 'GET', `/v1/products/${created.json.product.id as number}`)).json.product, created.json.product, 'the created product')
  const changed = (await req(app, 'GET', '/v1/products/669')).json.product
  t.same([changed.name, changed.price, changed.sku], ['Changed', 123.456, 'SKU-669'], 'the replaced one, price exact')
  t.equal((await req(app, 'GET', '/v1/products/672')).status, 404, 'the deleted one stays deleted')
  t.equal((await req(app, 'POST', '/v1/products', { name: 'Dup', sku: 'COF-001' })).status, 409, 'sku uniqueness survives too')
})
