// The /__admin API (CONTRACT §5): every route and error through the real app, its
// effects seen through Fatora's /v1 routes, the token and disabled modes.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { openDatabase } from '../../src/db/open.js'
import { createStores } from '../../src/db/stores.js'
import { loadFixtures } from '../../src/seed/fixtures.js'
import { seedFixtures } from '../../src/seed/seed.js'
import { build, buildWithDb, DEMO_KEY, failure, SECOND_KEY, INACTIVE_KEY } from '../helper.js'

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/

async function post (app: FastifyInstance, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: any }> {
  const res = await app.inject({ method: 'POST', url, ...(body === undefined ? {} : { payload: body as object }), headers })
  return { status: res.statusCode, json: res.json() }
}

async function getClient (app: FastifyInstance, id: number, key: string): Promise<{ status: number, json: any }> {
  const res = await app.inject({ url: `/v1/clients/${id}`, headers: { api_key: key } })
  return { status: res.statusCode, json: res.json() }
}

t.test('POST /__admin/merchants creates a merchant with a working key', async (t) => {
  const app = await build(t)
  const res = await post(app, '/__admin/merchants', { name: 'Acme Ltd' })
  t.equal(res.status, 201)
  t.same(res.json.merchant, { id: 3, name: 'Acme Ltd' })
  t.match(res.json.api_key, UUID)
  t.same(Object.keys(res.json), ['merchant', 'api_key'])
  const created = await post(app, '/__admin/clients', { api_key: res.json.api_key, name: 'First Client' })
  t.equal(created.status, 201)
  const got = await getClient(app, created.json.client.id, res.json.api_key)
  t.equal(got.status, 200)
  t.same((await getClient(app, 1024, res.json.api_key)).json, failure(404, 'Client not found'), 'tenancy holds for new merchants')
  const chosen = await post(app, '/__admin/merchants', { name: 'Chosen', id: 77 })
  t.same(chosen.json.merchant, { id: 77, name: 'Chosen' })
  const dup = await post(app, '/__admin/merchants', { name: 'Again', id: 77 })
  t.equal(dup.status, 409)
  t.same(dup.json, failure(409, 'Merchant 77 already exists'))
})

t.test('api keys: create (random or chosen, active or inactive), list, deactivate, activate', async (t) => {
  const app = await build(t)
  const random = await post(app, '/__admin/api-keys', { merchant_id: 2 })
  t.equal(random.status, 201)
  t.match(random.json, { merchant_id: 2, status: 'active', key: UUID })
  t.equal((await getClient(app, 2048, random.json.key)).status, 200)

  const chosen = await post(app, '/__admin/api-keys', { merchant_id: 1, status: 'inactive', key: 'my-test-key' })
  t.same(chosen.json, { key: 'my-test-key', merchant_id: 1, status: 'inactive' })
  t.same((await getClient(app, 1024, 'my-test-key')).json, failure(403, 'Merchant API key is inactive'))

  const activate = await app.inject({ method: 'PATCH', url: '/__admin/api-keys/my-test-key', payload: { status: 'active' } })
  t.equal(activate.statusCode, 200)
  t.same(activate.json(), { key: 'my-test-key', merchant_id: 1, status: 'active' })
  t.equal((await getClient(app, 1024, 'my-test-key')).status, 200, 'the change applies to the next request')

  const deactivate = await app.inject({ method: 'PATCH', url: `/__admin/api-keys/${DEMO_KEY}`, payload: { status: 'inactive' } })
  t.same(deactivate.json(), { key: DEMO_KEY, merchant_id: 1, status: 'inactive' })
  t.same((await getClient(app, 1024, DEMO_KEY)).json, failure(403, 'Merchant API key is inactive'))

  const list = await app.inject({ url: '/__admin/api-keys' })
  t.same(list.json().api_keys.map((k: { key: string }) => k.key).sort(), [INACTIVE_KEY, DEMO_KEY, 'my-test-key', SECOND_KEY, random.json.key].sort())

  const cases: Array<[string, string, unknown, number, object]> = [
    ['POST', '/__admin/api-keys', { merchant_id: 99 }, 422, failure(422, 'Unknown merchant_id: no merchant 99')],
    ['POST', '/__admin/api-keys', { merchant_id: 1, key: DEMO_KEY }, 409, failure(409, 'This api_key already exists')],
    ['POST', '/__admin/api-keys', { merchant_id: 1, status: 'paused' }, 400, failure(400, 'Invalid body field status: must be one of active, inactive')],
    ['POST', '/__admin/api-keys', { merchant_id: 1, key: 'has space' }, 400, failure(400, 'Invalid body field key: must match pattern "^[\\x21-\\x7e]+$"')],
    ['POST', '/__admin/api-keys', { status: 'active' }, 400, failure(400, 'Invalid body: merchant_id is required')],
    ['PATCH', '/__admin/api-keys/nope', { status: 'inactive' }, 404, failure(404, 'API key not found')],
    ['PATCH', `/__admin/api-keys/${DEMO_KEY}`, { status: 'off' }, 400, failure(400, 'Invalid body field status: must be one of active, inactive')],
    ['PATCH', `/__admin/api-keys/${DEMO_KEY}`, {}, 400, failure(400, 'Invalid body: status is required')],
  ]
  for (const [method, url, payload, status, body] of cases) {
    const res = await app.inject({ method: method as 'POST', url, payload: payload as object })
    t.equal(res.statusCode, status, `${method} ${url} ${JSON.stringify(payload)}`)
    t.same(res.json(), body, `${method} ${url} ${JSON.stringify(payload)}`)
  }
})

t.test('POST /__admin/clients creates the exact client a test asserts on', async (t) => {
  const app = await build(t)
  const res = await post(app, '/__admin/clients', {
    merchant_id: 2, id: 5000, name: 'Test Client', address: 'Pearl, Doha', phone: '+974 5555 0000', email: 'test@example.com', note: 'made by a test',
  })
  t.equal(res.status, 201)
  const client = { id: 5000, name: 'Test Client', address: 'Pearl, Doha', phone: '+974 5555 0000', email: 'test@example.com', note: 'made by a test', notes: 'made by a test' }
  t.same(res.json, { merchant_id: 2, client })
  t.same((await getClient(app, 5000, SECOND_KEY)).json, { status: 'SUCCESS', client })
  t.same((await getClient(app, 5000, DEMO_KEY)).json, failure(404, 'Client not found'))

  const auto = await post(app, '/__admin/clients', { name: 'Next Id' })
  t.same(auto.json, { merchant_id: 1, client: { id: 5001, name: 'Next Id', address: null, phone: null, email: null, note: null, notes: null } },
    'no id: the next free one; no merchant: the demo merchant')
  const byKey = await post(app, '/__admin/clients', { api_key: SECOND_KEY, name: 'By Key' })
  t.equal(byKey.json.merchant_id, 2)

  const cases: Array<[unknown, number, object]> = [
    [{ merchant_id: 1, id: 1024, name: 'Taken' }, 409, failure(409, 'Client id 1024 is already taken')],
    [{ merchant_id: 9, name: 'X' }, 422, failure(422, 'Unknown merchant_id: no merchant 9')],
    [{ api_key: 'nope', name: 'X' }, 422, failure(422, 'Unknown api_key: no merchant has this key')],
    [{ merchant_id: 1, api_key: DEMO_KEY, name: 'X' }, 400, failure(400, 'Give merchant_id or api_key, not both')],
    [{ merchant_id: 1 }, 400, failure(400, 'Invalid body: name is required')],
    [{ name: '' }, 400, failure(400, 'Invalid body field name: must NOT have fewer than 1 characters')],
    [{ name: 42 }, 400, failure(400, 'Invalid body field name: must be string')],
    [{ name: 'X', id: 0 }, 400, failure(400, 'Invalid body field id: must be >= 1')],
    [{ name: 'X', id: '7' }, 400, failure(400, 'Invalid body field id: must be integer')],
    [{ name: 'X', address: 'a'.repeat(501) }, 400, failure(400, 'Invalid body field address: must NOT have more than 500 characters')],
    [{ name: 'X', colour: 'red' }, 400, failure(400, 'Invalid body: unknown field colour')],
    [{ name: 'X', note: 'a', notes: 'b' }, 400, failure(400, 'Invalid body: note and notes differ; send one of them')],
    [[], 400, failure(400, 'Invalid body: expected a JSON object')],
  ]
  for (const [payload, status, body] of cases) {
    const res = await app.inject({ method: 'POST', url: '/__admin/clients', payload: payload as object })
    t.equal(res.statusCode, status, JSON.stringify(payload).slice(0, 60))
    t.same(res.json(), body, JSON.stringify(payload).slice(0, 60))
  }
})

t.test('POST /__admin/seed adds deterministic fake clients after the largest id', async (t) => {
  const dump = async (): Promise<string> => {
    const { app, db } = await buildWithDb(t)
    const res = await post(app, '/__admin/seed', { api_key: SECOND_KEY, count: 1200, seed: 9, locale: 'ar', batch: 100 })
    t.equal(res.status, 201)
    t.match(res.json, { merchant_id: 2, inserted: 1200, first_id: 2049, last_id: 3248 })
    t.same(Object.keys(res.json).sort(), ['first_id', 'inserted', 'last_id', 'merchant_id', 'ms'])
    const got = await getClient(app, 2049, SECOND_KEY)
    t.equal(got.status, 200)
    t.match(got.json.client.phone, /^\+(974|971|966|965|973|968) /)
    return JSON.stringify(db.prepare('SELECT * FROM clients WHERE id > 2048 ORDER BY id').all())
  }
  t.equal(await dump(), await dump(), 'same seed, count, locale and starting data: identical rows')

  const app = await build(t)
  const a = await post(app, '/__admin/seed', { count: 10 })
  t.match(a.json, { merchant_id: 1, inserted: 10, first_id: 2049, last_id: 2058 }, 'defaults: demo merchant, seed 1, en')
  const cases: Array<[unknown, number, object]> = [
    [{}, 400, failure(400, 'Invalid body: count is required')],
    [{ count: 0 }, 400, failure(400, 'Invalid body field count: must be >= 1')],
    [{ count: 1_000_001 }, 400, failure(400, 'Invalid body field count: must be <= 1000000')],
    [{ count: '10' }, 400, failure(400, 'Invalid body field count: must be integer')],
    [{ count: 10, locale: 'fr' }, 400, failure(400, 'Invalid body field locale: must be one of en, ar')],
    [{ count: 10, merchant_id: 5 }, 422, failure(422, 'Unknown merchant_id: no merchant 5')],
  ]
  for (const [payload, status, body] of cases) {
    const res = await post(app, '/__admin/seed', payload)
    t.equal(res.status, status, JSON.stringify(payload))
    t.same(res.json, body, JSON.stringify(payload))
  }
})

t.test('concurrent writers are serialised: two seeds and a client never collide', async (t) => {
  const app = await build(t)
  const [a, b, c] = await Promise.all([
    post(app, '/__admin/seed', { count: 12_000, batch: 1000 }),
    post(app, '/__admin/clients', { name: 'In between' }),
    post(app, '/__admin/seed', { count: 3_000, merchant_id: 2, batch: 500 }),
  ])
  t.equal(a.status, 201)
  t.equal(b.status, 201)
  t.equal(c.status, 201)
  t.same([a.json.first_id, a.json.last_id], [2049, 14048], 'writers run in arrival order')
  t.equal(b.json.client.id, 14049)
  t.same([c.json.first_id, c.json.last_id], [14050, 17049])
  const state = (await app.inject({ url: '/__admin/state' })).json()
  t.equal(state.totals.clients, 83 + 12_000 + 1 + 3_000, 'nothing lost, nothing doubled')
})

t.test('Get Client keeps answering while a large seed runs (the seed yields between batches)', async (t) => {
  const app = await build(t)
  const order: string[] = []
  const seed = post(app, '/__admin/seed', { count: 50_000, batch: 2_000 }).then((r) => { order.push('seed'); return r })
  const gets = (async () => {
    for (let i = 0; i < 5; i++) {
      const r = await getClient(app, 1024, DEMO_KEY)
      order.push(`get ${r.status}`)
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()
  const [seeded] = await Promise.all([seed, gets])
  t.equal(seeded.status, 201)
  t.same(order.slice(0, 5), ['get 200', 'get 200', 'get 200', 'get 200', 'get 200'], 'every GET answered before the seed finished')
})

t.test('POST /__admin/reset and GET /__admin/state', async (t) => {
  const app = await build(t)
  await post(app, '/__admin/merchants', { name: 'Temp' })
  await post(app, '/__admin/seed', { count: 100 })
  await app.inject({ method: 'PATCH', url: `/__admin/api-keys/${DEMO_KEY}`, payload: { status: 'inactive' } })
  const before = (await app.inject({ url: '/__admin/state' })).json()
  t.same(before.totals, { merchants: 3, api_keys: 4, clients: 183, products: 46, payments: 2, card_tokens: 2, invoices: 83 })
  t.same(before.merchants.map((m: { id: number, clients: number }) => [m.id, m.clients]), [[1, 142], [2, 41], [3, 0]])

  const reset = await post(app, '/__admin/reset')
  t.equal(reset.status, 200)
  t.same(reset.json, { merchants: 2, api_keys: 3, clients: 83, products: 46, payments: 2, card_tokens: 2, invoices: 83 })
  const after = (await app.inject({ url: '/__admin/state' })).json()
  t.same(after, {
    totals: { merchants: 2, api_keys: 3, clients: 83, products: 46, payments: 2, card_tokens: 2, invoices: 83 },
    merchants: [
      { id: 1, name: 'Demo Merchant', clients: 42, products: 24, payments: 1, card_tokens: 1, invoices: 42, api_keys: [{ key: 'E4B73FEE-F492-4607-A38D-852B0EBC91C9', status: 'active' }, { key: '0B1C7E52-6A3D-4F9E-8C21-7D5A4E3F2B10', status: 'inactive' }] },
      { id: 2, name: 'Doha Trading Co.', clients: 41, products: 22, payments: 1, card_tokens: 1, invoices: 41, api_keys: [{ key: '9F2D4A61-3B8E-4C7D-A5F0-6E1B2C3D4E5F', status: 'active' }] },
    ],
  })
  t.equal((await getClient(app, 1024, DEMO_KEY)).status, 200, 'the demo key is active again')
})

t.test('reset gives exactly the rows of a fresh database', async (t) => {
  const { app, db } = await buildWithDb(t)
  const fresh = openDatabase(':memory:', { onCreate: (d) => { seedFixtures(createStores(d), loadFixtures()) } }).db
  t.teardown(() => fresh.close())
  await post(app, '/__admin/seed', { count: 500 })
  await post(app, '/__admin/clients', { id: 1, merchant_id: 2, name: 'x' }).catch(() => undefined)
  await post(app, '/__admin/reset')
  const dump = (d: typeof db): string => JSON.stringify(['merchants', 'api_keys', 'clients'].map((table) =>
    d.prepare(`SELECT * FROM ${table} ORDER BY 1`).all().map((row) => ({ ...(row as object), created_at: undefined }))))
  t.equal(dump(db), dump(fresh))
})

t.test('admin requests: 404/405 routing, media types, the envelope', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, Record<string, string>, string | undefined, number, object]> = [
    ['GET', '/__admin/nothing', {}, undefined, 404, failure(404, 'Route GET /__admin/nothing not found')],
    ['DELETE', '/__admin/reset', {}, undefined, 405, failure(405, 'Method DELETE not allowed; this route allows POST')],
    ['GET', '/__admin/seed', {}, undefined, 405, failure(405, 'Method GET not allowed; this route allows POST')],
    ['POST', '/__admin/merchants', { 'content-type': 'text/plain' }, 'name=x', 415, failure(415, 'Unsupported Content-Type: send application/json or no Content-Type header')],
    ['POST', '/__admin/merchants', { 'content-type': 'application/json' }, '{"name":', 400, failure(400, 'Invalid JSON body')],
    ['POST', '/__admin/merchants', { 'content-type': 'application/json' }, '{"__proto__":{"x":1},"name":"p"}', 400, failure(400, 'JSON body refused: the key __proto__ is not accepted (it could alter object prototypes)')],
    ['POST', '/__admin/merchants', { 'content-type': 'application/json' }, '', 400, failure(400, 'Invalid body: expected a JSON object')],
    ['GET', '/__admin/state', { accept: 'text/html' }, undefined, 406, failure(406, 'Not acceptable: the Accept header must allow application/json')],
  ]
  for (const [method, url, headers, payload, status, body] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) })
    t.equal(res.statusCode, status, `${method} ${url} ${payload ?? ''}`)
    t.same(res.json(), body, `${method} ${url} ${payload ?? ''}`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset', headers: { 'content-type': 'application/json' } })).statusCode, 200,
    'an empty JSON body is fine where no body is needed')
})

t.test('ADMIN_TOKEN: Bearer required, compared exactly', async (t) => {
  const app = await build(t, { ADMIN_TOKEN: 's3cret-token' })
  const cases: Array<[Record<string, string>, number, object | undefined]> = [
    [{}, 401, failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>')],
    [{ authorization: '' }, 401, failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>')],
    [{ authorization: 'Bearer wrong' }, 401, failure(401, 'Invalid admin token')],
    [{ authorization: 'Bearer s3cret-token-and-more' }, 401, failure(401, 'Invalid admin token')],
    [{ authorization: 'Bearer S3CRET-TOKEN' }, 401, failure(401, 'Invalid admin token')],
    [{ authorization: 's3cret-token' }, 401, failure(401, 'Invalid admin token')],
    [{ authorization: 'Basic s3cret-token' }, 401, failure(401, 'Invalid admin token')],
    [{ authorization: 'Bearer s3cret-token' }, 200, undefined],
    [{ authorization: 'bearer  s3cret-token' }, 200, undefined],
  ]
  for (const [headers, status, body] of cases) {
    const res = await app.inject({ url: '/__admin/state', headers })
    t.equal(res.statusCode, status, JSON.stringify(headers))
    if (body !== undefined) {
      t.same(res.json(), body, JSON.stringify(headers))
      t.match(res.headers['www-authenticate'], /^Bearer realm="fatora-mock admin"/)
      t.notMatch(res.body, /s3cret/, 'the token is never echoed')
    }
  }
  const noToken = await app.inject({ method: 'POST', url: '/__admin/seed', payload: { count: 5 } })
  t.equal(noToken.statusCode, 401, 'the token is checked before the body')
  t.equal((await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY } })).statusCode, 200, '/v1 does not need the admin token')
})

t.test('ADMIN_ENABLED=false: every /__admin route is a plain 404 and the spec omits them', async (t) => {
  const app = await build(t, { ADMIN_ENABLED: false })
  for (const [method, url] of [['GET', '/__admin/state'], ['POST', '/__admin/reset'], ['POST', '/__admin/seed']] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, 404)
    t.same(res.json(), failure(404, `Route ${method} ${url} not found`))
  }
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  t.same(Object.keys(spec.paths).filter((p) => !p.startsWith('/pay/') && !p.startsWith('/Pay/')).sort(), ['/api/v1/payments/refund', '/v1/Authorization/Authorize', '/v1/clients', '/v1/clients/{client_id}', '/v1/invoices', '/v1/invoices/{invoice_id}', '/v1/payments/checkout', '/v1/payments/collect-payment', '/v1/payments/deactivate-token', '/v1/payments/refund', '/v1/payments/verify', '/v1/products', '/v1/products/{product_id}'])
  t.same(spec.tags.map((tag: { name: string }) => tag.name), ['clients', 'products', 'payments', 'payment pages', 'invoices', 'authorization'])
})

t.test('OpenAPI documents the admin routes under the admin tag with the bearer scheme', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  t.same(Object.keys(spec.paths).filter((p) => p.startsWith('/__admin/')).sort(), [
    '/__admin/api-keys', '/__admin/api-keys/{key}', '/__admin/clients', '/__admin/clock', '/__admin/faults', '/__admin/faults/{id}', '/__admin/merchants',
    '/__admin/merchants/{merchantId}/webhook', '/__admin/payments', '/__admin/payments/{paymentID}/complete', '/__admin/push',
    '/__admin/requests', '/__admin/reset', '/__admin/seed', '/__admin/state', '/__admin/tokens', '/__admin/tokens/card', '/__admin/webhooks',
  ])
  for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { tags: string[], security: unknown }>>)) {
    if (!path.startsWith('/__admin/')) continue
    for (const op of Object.values(item)) {
      t.same(op.tags, ['admin'], path)
      t.same(op.security, [{ admin_token: [] }], path)
    }
  }
  t.same(spec.components.securitySchemes.admin_token.type, 'http')
  t.same(spec.components.securitySchemes.admin_token.scheme, 'bearer')
})
