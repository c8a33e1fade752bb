// Ids at the limit (CONTRACT §2: ids are 1 … 9007199254740991 = 2^53 − 1): once a family's largest
// id is taken, the ids the mock assigns itself — a create without an id, a bulk seed — take the
// lowest free ones instead of passing the limit, where a JavaScript number cannot hold them. Every
// family that assigns ids (merchants, clients, products, invoices), through the real app; products
// and invoices at the limit come from a fixtures directory (they have no admin create).
import type { FastifyInstance } from 'fastify'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parseFixtures, DEFAULT_FIXTURES_PATH } from '../src/seed/fixtures.js'
import { build, DEMO_KEY, failure, SECOND_KEY } from './helper.js'

const MAX = 9007199254740991
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/

async function call (app: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: any }> {
  const res = await app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json() }
}
const v1 = (app: FastifyInstance, method: string, url: string, body?: unknown, key = DEMO_KEY): Promise<{ status: number, json: any }> => call(app, method, url, body, { api_key: key })

const client = (id: number, name: string): object => ({ id, name, address: null, phone: null, email: null, note: null, notes: null })
const SETTING = { is_public: true, is_limited: false, is_cashier: false, max_count: null, max_order: null }
const product = (id: number, name: string): object => ({ id, name, price: 0, sku: null, image: null, description: null, language: 'en', currency: 'QAR', status: 'Normal', category: null, setting: SETTING })
const invoice = (id: number, title: string): object => ({
  id,
  number: `INV${id}`,
  type: 'quick',
  title,
  description: null,
  amount: 5,
  currency: 'QAR',
  status: 'unpaid',
  date: '2025-01-02T00:00:00Z',
  due_date: null,
  terms_conditions: null,
  note: null,
  client: { name: null, email: null, phone: null, address: null },
  items: [],
  payments: [],
  setting: { tax: null, discount: null, discount_type: null, language: 'en', accepted_payment_methods: [] },
})

/**
 * An app whose fixtures are the default ones plus, for the demo merchant, a product and an
 * invoice at each of `ids` (copies of product 669 and invoice 2075), loaded by POST /__admin/reset.
 */
async function withFixtureIds (t: Test, ids: number[]): Promise<FastifyInstance> {
  const data = JSON.parse(readFileSync(DEFAULT_FIXTURES_PATH, 'utf8'))
  const demo = data.merchants[0]
  for (const id of ids) {
    demo.products.push({ ...demo.products[0], id, sku: `SKU-${id}` })
    demo.invoices.push({ ...demo.invoices[0], id, number: `LIMIT-${id}` })
  }
  const dir = t.testdir({})
  writeFileSync(join(dir, 'default.json'), JSON.stringify(data))
  const app = await build(t, { FIXTURES_DIR: dir })
  t.equal((await call(app, 'POST', '/__admin/reset')).status, 200, 'fixtures loaded')
  return app
}

t.test('merchants: once 9007199254740991 is taken, new merchants take the lowest free ids, and their keys act for them', async (t) => {
  const app = await build(t)
  const atMax = await call(app, 'POST', '/__admin/merchants', { name: 'At the limit', id: MAX })
  t.equal(atMax.status, 201)
  t.same(atMax.json.merchant, { id: MAX, name: 'At the limit' })
  const three = await call(app, 'POST', '/__admin/merchants', { name: 'Third' })
  const four = await call(app, 'POST', '/__admin/merchants', { name: 'Fourth' })
  t.same([three.status, three.json.merchant], [201, { id: 3, name: 'Third' }], 'the lowest free id (the fixtures hold 1 and 2)')
  t.same([four.status, four.json.merchant], [201, { id: 4, name: 'Fourth' }], 'then the next free one: never 9007199254740992')
  t.match(three.json.api_key, UUID)
  t.match(four.json.api_key, UUID)

  // Every merchant's first key is its own.
  const keys = (await call(app, 'GET', '/__admin/api-keys')).json.api_keys as Array<{ key: string, merchant_id: number }>
  t.same(keys.filter((k) => [atMax.json.api_key, three.json.api_key, four.json.api_key].includes(k.key)), [
    { key: three.json.api_key, merchant_id: 3, status: 'active' },
    { key: four.json.api_key, merchant_id: 4, status: 'active' },
    { key: atMax.json.api_key, merchant_id: MAX, status: 'active' },
  ])
  // A key added later goes to the merchant named, and acts for it alone.
  const added = await call(app, 'POST', '/__admin/api-keys', { merchant_id: 4, key: 'KEY-OF-MERCHANT-4' })
  t.same([added.status, added.json], [201, { key: 'KEY-OF-MERCHANT-4', merchant_id: 4, status: 'active' }])
  const created = await v1(app, 'POST', '/v1/clients', { name: 'Of merchant 4' }, 'KEY-OF-MERCHANT-4')
  t.same([created.status, created.json], [201, { status: 'SUCCESS', client: client(2049, 'Of merchant 4') }])
  t.same(await v1(app, 'GET', '/v1/clients', undefined, four.json.api_key), { status: 200, json: { status: 'SUCCESS', clients: [client(2049, 'Of merchant 4')], page: 1, page_size: 20, total: 1 } }, "merchant 4's first key sees it")
  for (const [name, key] of [['merchant 3', three.json.api_key], ['the merchant at the limit', atMax.json.api_key]]) {
    t.same(await v1(app, 'GET', '/v1/clients/2049', undefined, key), { status: 404, json: failure(404, 'Client not found') }, `${name} does not`)
    t.same(await v1(app, 'GET', '/v1/clients', undefined, key), { status: 200, json: { status: 'SUCCESS', clients: [], page: 1, page_size: 20, total: 0 } }, `${name} has no clients`)
  }
})

t.test('merchants: 9007199254740990 taken, the next is 9007199254740991, then the lowest free', async (t) => {
  const app = await build(t)
  const steps: Array<[object, object]> = [
    [{ name: 'Below the limit', id: MAX - 1 }, { id: MAX - 1, name: 'Below the limit' }],
    [{ name: 'At the limit' }, { id: MAX, name: 'At the limit' }],
    [{ name: 'Past it' }, { id: 3, name: 'Past it' }],
  ]
  for (const [body, merchant] of steps) {
    const res = await call(app, 'POST', '/__admin/merchants', body)
    t.same([res.status, res.json.merchant], [201, merchant], JSON.stringify(body))
    t.same((await v1(app, 'GET', '/v1/clients', undefined, res.json.api_key)).json.total, 0, "its key acts for it (no one else's clients)")
  }
})

t.test('an id past the limit is still refused where the API takes one', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, object, object]> = [
    ['merchant', '/__admin/merchants', { name: 'Too far', id: MAX + 1 }, failure(400, 'Invalid body field id: must be <= 9007199254740991')],
    ['client', '/__admin/clients', { name: 'Too far', id: MAX + 1 }, failure(400, 'Invalid body field id: must be <= 9007199254740991')],
    ['api key', '/__admin/api-keys', { merchant_id: MAX + 1 }, failure(400, 'Invalid body field merchant_id: must be <= 9007199254740991')],
  ]
  for (const [name, url, body, answer] of cases) t.same(await call(app, 'POST', url, body), { status: 400, json: answer }, name)
})

t.test('clients: after 9007199254740991, creates take the lowest free id, which can be fetched, replaced and deleted', async (t) => {
  const app = await build(t)
  const atMax = await call(app, 'POST', '/__admin/clients', { name: 'At the limit', id: MAX })
  t.same([atMax.status, atMax.json], [201, { merchant_id: 1, client: client(MAX, 'At the limit') }])
  // The fixtures hold 1–40, 1024, 1025 (merchant 1) and 2001–2040, 2048 (merchant 2).
  const created = await v1(app, 'POST', '/v1/clients', { name: 'After the limit' })
  t.same(created, { status: 201, json: { status: 'SUCCESS', client: client(41, 'After the limit') } })
  t.same(await v1(app, 'GET', '/v1/clients/41'), { status: 200, json: { status: 'SUCCESS', client: client(41, 'After the limit') } })
  t.same(await v1(app, 'PUT', '/v1/clients/41', { name: 'Replaced' }), { status: 200, json: { status: 'SUCCESS', client: client(41, 'Replaced') } })
  t.same(await v1(app, 'GET', '/v1/clients/41', undefined, SECOND_KEY), { status: 404, json: failure(404, 'Client not found') }, "another merchant's 404")
  t.same(await v1(app, 'DELETE', '/v1/clients/41'), { status: 204, json: undefined })
  t.same(await v1(app, 'GET', '/v1/clients/41'), { status: 404, json: failure(404, 'Client not found') })
  // The lowest free id again (41 is free once more), then the next; merchant 2's creates share the ids.
  t.same((await v1(app, 'POST', '/v1/clients', { name: 'Again' })).json, { status: 'SUCCESS', client: client(41, 'Again') })
  t.same((await v1(app, 'POST', '/v1/clients', { name: 'Second merchant' }, SECOND_KEY)).json, { status: 'SUCCESS', client: client(42, 'Second merchant') })
  t.same((await call(app, 'POST', '/__admin/clients', { name: 'Admin' })).json, { merchant_id: 1, client: client(43, 'Admin') })
  // The client at the limit is an ordinary client; once it is gone, ids follow the largest again.
  t.same(await v1(app, 'GET', `/v1/clients/${MAX}`), { status: 200, json: { status: 'SUCCESS', client: client(MAX, 'At the limit') } })
  t.same(await v1(app, 'DELETE', `/v1/clients/${MAX}`), { status: 204, json: undefined })
  t.same((await v1(app, 'POST', '/v1/clients', { name: 'After the largest' })).json, { status: 'SUCCESS', client: client(2049, 'After the largest') })
})

t.test('clients: 9007199254740990 taken, the next create is 9007199254740991, then the lowest free', async (t) => {
  const app = await build(t)
  t.equal((await call(app, 'POST', '/__admin/clients', { name: 'Below the limit', id: MAX - 1 })).status, 201)
  t.same((await v1(app, 'POST', '/v1/clients', { name: 'At the limit' })).json, { status: 'SUCCESS', client: client(MAX, 'At the limit') })
  t.same(await v1(app, 'GET', `/v1/clients/${MAX}`), { status: 200, json: { status: 'SUCCESS', client: client(MAX, 'At the limit') } })
  t.same((await v1(app, 'POST', '/v1/clients', { name: 'Past it' })).json, { status: 'SUCCESS', client: client(41, 'Past it') })
})

t.test('products: after 9007199254740991, creates take the lowest free id, which can be fetched, replaced and deleted', async (t) => {
  const app = await withFixtureIds(t, [MAX])
  // The fixtures hold 1–20, 669–672 (merchant 1) and 2001–2020, 2669, 2670 (merchant 2).
  t.same(await v1(app, 'POST', '/v1/products', { name: 'After the limit' }), { status: 201, json: { status: 'SUCCESS', product: product(21, 'After the limit') } })
  t.same(await v1(app, 'GET', '/v1/products/21'), { status: 200, json: { status: 'SUCCESS', product: product(21, 'After the limit') } })
  t.same(await v1(app, 'PUT', '/v1/products/21', { name: 'Replaced' }), { status: 200, json: { status: 'SUCCESS', product: product(21, 'Replaced') } })
  t.same(await v1(app, 'DELETE', '/v1/products/21'), { status: 204, json: undefined })
  t.same(await v1(app, 'GET', '/v1/products/21'), { status: 404, json: failure(404, 'Product not found') })
  t.same((await v1(app, 'POST', '/v1/products', { name: 'Second merchant' }, SECOND_KEY)).json, { status: 'SUCCESS', product: product(21, 'Second merchant') })
  t.same((await v1(app, 'POST', '/v1/products', { name: 'Next' })).json, { status: 'SUCCESS', product: product(22, 'Next') })
  t.equal((await v1(app, 'GET', `/v1/products/${MAX}`)).json.product.sku, `SKU-${MAX}`, 'the product at the limit is there')
})

t.test('products: 9007199254740990 taken, the next create is 9007199254740991, then the lowest free', async (t) => {
  const app = await withFixtureIds(t, [MAX - 1])
  t.same((await v1(app, 'POST', '/v1/products', { name: 'At the limit' })).json, { status: 'SUCCESS', product: product(MAX, 'At the limit') })
  t.same(await v1(app, 'GET', `/v1/products/${MAX}`), { status: 200, json: { status: 'SUCCESS', product: product(MAX, 'At the limit') } })
  t.same((await v1(app, 'POST', '/v1/products', { name: 'Past it' })).json, { status: 'SUCCESS', product: product(21, 'Past it') })
})

t.test('invoices: after 9007199254740991, creates take the lowest free id, which can be fetched, replaced and deleted', async (t) => {
  const app = await withFixtureIds(t, [MAX])
  const body = (title: string): object => ({ amount: 5, title, date: '2025-01-02' })
  // The fixtures hold 1–40, 2075, 2076 (merchant 1) and 2001–2040, 4075 (merchant 2).
  t.same(await v1(app, 'POST', '/v1/invoices', body('After the limit')), { status: 201, json: { status: 'SUCCESS', invoice: invoice(41, 'After the limit') } })
  t.same(await v1(app, 'GET', '/v1/invoices/41'), { status: 200, json: { status: 'SUCCESS', invoice: invoice(41, 'After the limit') } })
  t.same(await v1(app, 'PUT', '/v1/invoices/41', body('Replaced')), { status: 200, json: { status: 'SUCCESS', invoice: invoice(41, 'Replaced') } })
  t.same(await v1(app, 'DELETE', '/v1/invoices/41'), { status: 204, json: undefined })
  t.same(await v1(app, 'GET', '/v1/invoices/41'), { status: 404, json: failure(404, 'Invoice not found') })
  t.same((await v1(app, 'POST', '/v1/invoices', body('Second merchant'), SECOND_KEY)).json, { status: 'SUCCESS', invoice: invoice(41, 'Second merchant') })
  t.same((await v1(app, 'POST', '/v1/invoices', body('Next'))).json, { status: 'SUCCESS', invoice: invoice(42, 'Next') })
  t.equal((await v1(app, 'GET', `/v1/invoices/${MAX}`)).json.invoice.number, `LIMIT-${MAX}`, 'the invoice at the limit is there')
})

t.test('invoices: 9007199254740990 taken, the next create is 9007199254740991, then the lowest free', async (t) => {
  const app = await withFixtureIds(t, [MAX - 1])
  const body = (title: string): object => ({ amount: 5, title, date: '2025-01-02' })
  t.same((await v1(app, 'POST', '/v1/invoices', body('At the limit'))).json, { status: 'SUCCESS', invoice: invoice(MAX, 'At the limit') })
  t.same(await v1(app, 'GET', `/v1/invoices/${MAX}`), { status: 200, json: { status: 'SUCCESS', invoice: invoice(MAX, 'At the limit') } })
  t.same((await v1(app, 'POST', '/v1/invoices', body('Past it'))).json, { status: 'SUCCESS', invoice: invoice(41, 'Past it') })
})

t.test('seeds near the limit: a run that fits after the largest id ends at 9007199254740991 at most, else the lowest free run', async (t) => {
  // [family, the fixtures' extra ids (products, invoices) or an admin client's id, count, first_id, last_id, a /v1 path of the family]
  const cases: Array<[string, number, number, number, number, string]> = [
    ['clients', MAX, 3, 41, 43, '/v1/clients/'],
    ['clients', MAX - 2, 2, MAX - 1, MAX, '/v1/clients/'],
    ['clients', MAX - 2, 3, 41, 43, '/v1/clients/'],
    ['clients', MAX - 1, 1, MAX, MAX, '/v1/clients/'],
    ['products', MAX, 3, 21, 23, '/v1/products/'],
    ['products', MAX - 2, 2, MAX - 1, MAX, '/v1/products/'],
    ['products', MAX - 2, 3, 21, 23, '/v1/products/'],
    ['invoices', MAX, 3, 41, 43, '/v1/invoices/'],
    ['invoices', MAX - 2, 2, MAX - 1, MAX, '/v1/invoices/'],
    ['invoices', MAX - 2, 3, 41, 43, '/v1/invoices/'],
  ]
  for (const [family, taken, count, first, last, path] of cases) {
    await t.test(`${family}: ${taken} taken, ${count} more`, async (t) => {
      const app = family === 'clients' ? await build(t) : await withFixtureIds(t, [taken])
      if (family === 'clients') t.equal((await call(app, 'POST', '/__admin/clients', { name: 'Taken', id: taken })).status, 201)
      const seeded = await call(app, 'POST', '/__admin/seed', { family, count })
      t.equal(seeded.status, 201)
      t.same([seeded.json.merchant_id, seeded.json.inserted, seeded.json.first_id, seeded.json.last_id], [1, count, first, last])
      for (const id of [first, last]) t.equal((await v1(app, 'GET', `${path}${id}`)).status, 200, `${path}${id} answers`)
    })
  }
})

t.test('a fixtures file whose fake range would pass 9007199254740991 is refused, naming the entry', async (t) => {
  const good = JSON.parse(readFileSync(DEFAULT_FIXTURES_PATH, 'utf8'))
  // [recipe, first_id, count, the refusal or undefined] — MAX − 1 + 3 − 1 rounds back to MAX in
  // floating point: the check must not add first.
  const cases: Array<[string, number, number, string | undefined]> = [
    ['fake_clients', MAX, 1, undefined],
    ['fake_clients', MAX - 1, 2, undefined],
    ['fake_clients', MAX, 2, `x.json: /merchants/1/fake_clients would take client ids past ${MAX}`],
    ['fake_clients', MAX - 1, 3, `x.json: /merchants/1/fake_clients would take client ids past ${MAX}`],
    ['fake_products', MAX - 1, 3, `x.json: /merchants/1/fake_products would take product ids past ${MAX}`],
    ['fake_invoices', MAX - 1, 3, `x.json: /merchants/1/fake_invoices would take invoice ids past ${MAX}`],
  ]
  for (const [recipe, firstId, count, refusal] of cases) {
    const f = structuredClone(good)
    f.merchants[1][recipe] = { ...f.merchants[1][recipe], first_id: firstId, count }
    const label = `${recipe} first_id ${firstId}, count ${count}`
    if (refusal === undefined) t.doesNotThrow(() => parseFixtures(f, 'x.json'), label)
    else t.throws(() => parseFixtures(f, 'x.json'), { name: 'FixtureError', message: refusal }, label)
  }
})
