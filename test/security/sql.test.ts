// SQL is built from bound parameters only: injection payloads in every field that reaches SQL
// (path ids, paging, keys and tokens, bodies, admin references, keyword, status and email filters,
// invoices' text fields) are plain data, matched literally, and the database stays intact.
import t from 'tap'
import { build, CLIENT_1024, DEMO_KEY, failure, INACTIVE_KEY, SECOND_KEY } from '../helper.js'
import {
  asciiLower, byId, CLIENT_2048, getState, INVALID_CLIENT_ID, KEY_INVALID, keywordMatches, listAll, M1_IDS, M2_IDS, send,
  type ApiClient, type ListBody, type State,
} from './support.js'

const KEY_PATTERN = 'must match pattern "^[\\x21-\\x7e]+$"'

/** A header value made of the UTF-8 bytes of `text` (as Node sends a header: latin1 per byte). */
const headerSafe = (text: string): string => Buffer.from(text, 'utf8').toString('latin1')

const INJECTIONS: ReadonlyArray<[string, string]> = [
  ['quote OR 1=1 comment', "' OR 1=1 --"],
  ['statement separator', '1; DROP TABLE clients'],
  ['LIKE breakout', "%' OR '1'='1"],
  ['backslash (the ESCAPE character)', '\\'],
  ['double quote', '"'],
  ['percent', '%'],
  ['underscore', '_'],
  ['escaped percent', '\\%'],
  ['escaped underscore', '\\_'],
  ['unicode quotes', '\u2018\u2019\u201c\u201d \u02bc OR \uff071\uff07=\uff071'],
  ['NUL', 'a\u0000b'],
  ['stacked DELETE', "'); DELETE FROM api_keys; --"],
  ['UNION SELECT', "' UNION SELECT key, merchant_id, status, 1, 1, 1 FROM api_keys --"],
  ['comment opener', '/*'],
  ['lone semicolon', ';'],
]
/** Visible ASCII without spaces: what KeyText (admin key fields) accepts. */
const isKeyText = (s: string): boolean => /^[\x21-\x7e]{1,200}$/.test(s)
const NUL_KEYWORD = 'Invalid query field keyword: must not contain NUL characters'

t.test('SQL: injection payloads in every field that reaches SQL are data, and the database stays intact', async (t) => {
  const app = await build(t)
  const m1 = { api_key: DEMO_KEY }
  const m2 = { api_key: SECOND_KEY }
  const before = await getState(app)
  let created1 = 0
  let created2 = 0
  let createdMerchants = 0
  let createdKeys = 0

  // client_id in the path: 400 on every method, before any lookup.
  const pathIds: string[] = [...INJECTIONS.map(([, p]) => encodeURIComponent(p)), "1024'", '1024;DROP', '1024--', '1%20OR%201=1', '1024%20OR%201=1', '-1', '1024%00']
  for (const id of pathIds) {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE'] as const) {
      const res = await send(app, method, `/v1/clients/${id}`, m1, method === 'PUT' ? { name: 'x' } : undefined)
      t.equal(res.statusCode, 400, `${method} /v1/clients/${id}`)
      if (method !== 'HEAD') t.same(res.json(), INVALID_CLIENT_ID, `${method} /v1/clients/${id}: exact body`)
    }
  }

  // page and page_size: 400 naming the field.
  for (const [, payload] of INJECTIONS) {
    for (const [field, message] of [['page', 'Invalid query field page: must be an integer from 1 to 999999999'], ['page_size', 'Invalid query field page_size: must be an integer from 1 to 100']] as const) {
      for (const value of [payload, `1${payload}`]) {
        const res = await app.inject({ url: `/v1/clients?${field}=${encodeURIComponent(value)}`, headers: m1 })
        t.same([res.statusCode, res.json()], [400, failure(400, message)], `?${field}=${JSON.stringify(value)}`)
      }
    }
  }

  // api_key and bearer values: 401, never a match. (A NUL cannot be sent in a header at all: Node
  // answers 400 before routing — test/http/protocol.test.ts.)
  const keyPayloads = [
    ...INJECTIONS.filter(([name]) => name !== 'NUL').map(([, p]) => p),
    `${DEMO_KEY}' OR '1'='1`, `${DEMO_KEY.slice(0, -1)}%`, `${DEMO_KEY.slice(0, -1)}_`, `${DEMO_KEY.slice(0, -4)}%'--`, "x' OR key LIKE '%", "' OR status='active",
  ]
  for (const payload of keyPayloads) {
    const value = headerSafe(payload)
    for (const [method, url, body] of [['GET', '/v1/clients/1024', undefined], ['GET', '/v1/clients', undefined], ['POST', '/v1/clients', { name: 'x' }], ['DELETE', '/v1/clients/1', undefined]] as const) {
      const res = await send(app, method, url, { api_key: value }, body)
      t.same([res.statusCode, res.json()], [401, KEY_INVALID], `api_key ${JSON.stringify(payload)}: ${method} ${url}`)
    }
    const authorize = await app.inject({ url: '/v1/Authorization/Authorize', headers: { api_key: value } })
    t.same([authorize.statusCode, authorize.json()], [401, { status: 'ERROR', error: 'Invalid API Key' }], `Authorize with ${JSON.stringify(payload)}`)
    const asBearer = await app.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${value}` } })
    t.same([asBearer.statusCode, asBearer.json()], [401, failure(401, 'Invalid bearer token')], `Bearer ${JSON.stringify(payload)}`)
  }

  // Admin references by key, before any payload is a key: 422 unknown (or 400 when not KeyText).
  for (const [, payload] of INJECTIONS) {
    const expected = isKeyText(payload)
      ? [422, failure(422, 'Unknown api_key: no merchant has this key')]
      : [400, failure(400, `Invalid body field api_key: ${KEY_PATTERN}`)]
    const client = await send(app, 'POST', '/__admin/clients', {}, { api_key: payload, name: 'x' })
    t.same([client.statusCode, client.json()], expected, `POST /__admin/clients api_key ${JSON.stringify(payload)}`)
    const seed = await send(app, 'POST', '/__admin/seed', {}, { api_key: payload, count: 1 })
    t.same([seed.statusCode, seed.json()], expected, `POST /__admin/seed api_key ${JSON.stringify(payload)}`)
    const patch = await send(app, 'PATCH', `/__admin/api-keys/${encodeURIComponent(payload)}`, {}, { status: 'inactive' })
    t.same([patch.statusCode, patch.json()], [404, failure(404, 'API key not found')], `PATCH /__admin/api-keys/${JSON.stringify(payload)}`)
  }
  for (const bad of ['1 OR 1=1', "1'", '1; DROP TABLE merchants']) {
    const res = await send(app, 'POST', '/__admin/seed', {}, { merchant_id: bad, count: 1 })
    t.same([res.statusCode, res.json()], [400, failure(400, 'Invalid body field merchant_id: must be integer')], `seed merchant_id ${JSON.stringify(bad)}`)
  }

  // POST and PUT bodies: every text field takes the payload verbatim and gives it back.
  for (const [name, payload] of INJECTIONS) {
    const fields = { name: payload, address: payload, phone: payload.slice(0, 50), notes: payload }
    const res = await send(app, 'POST', '/v1/clients', m1, fields)
    t.equal(res.statusCode, 201, `POST fields = ${name}`)
    const id = (res.json() as { client: ApiClient }).client.id
    created1++
    const want = { id, name: payload, address: payload, phone: payload.slice(0, 50), email: null, note: payload, notes: payload }
    t.same(res.json(), { status: 'SUCCESS', client: want }, `POST fields = ${name}: verbatim`)
    const updated = { name: `${payload} (2)`, address: `(2) ${payload}`, phone: payload.slice(0, 46) + ' (2)', notes: `${payload}${payload}` }
    const put = await send(app, 'PUT', `/v1/clients/${id}`, m1, updated)
    const wantUpdated = { id, name: updated.name, address: updated.address, phone: updated.phone, email: null, note: updated.notes, notes: updated.notes }
    t.same([put.statusCode, put.json()], [200, { status: 'SUCCESS', client: wantUpdated }], `PUT fields = ${name}: verbatim`)
    const get = await app.inject({ url: `/v1/clients/${id}`, headers: m1 })
    t.same(get.json(), { status: 'SUCCESS', client: wantUpdated }, `GET after PUT = ${name}: as stored`)
    const email = await send(app, 'POST', '/v1/clients', m1, { name: `email ${name}`, email: payload })
    t.same([email.statusCode, email.json()], [400, failure(400, 'Invalid body field email: must be a valid e-mail address')], `POST email = ${name}`)
  }
  // E-mails with SQL and LIKE metacharacters that are valid addresses: stored as given, compared
  // with = (case-insensitive), never as a pattern.
  const emailCases: Array<[string, number, object | undefined]> = [
    ["o'neil@example.com", 201, undefined],
    ["x'or'1'='1@example.com", 201, undefined],
    ['a%b@example.com', 201, undefined],
    ['a_b@example.com', 201, undefined],
    ['axb@example.com', 201, undefined], // % is not a wildcard
    ['acb@example.com', 201, undefined], // _ is not a wildcard
    ["O'NEIL@EXAMPLE.COM", 409, failure(409, 'A client with this email already exists')],
    ['A%B@example.com', 409, failure(409, 'A client with this email already exists')],
  ]
  for (const [email, status, body] of emailCases) {
    const res = await send(app, 'POST', '/v1/clients', m1, { name: `E-mail ${email}`, email })
    t.equal(res.statusCode, status, `POST email ${email}`)
    if (body !== undefined) t.same(res.json(), body, `POST email ${email}: exact body`)
    else {
      t.equal((res.json() as { client: ApiClient }).client.email, email, `POST email ${email}: verbatim`)
      created1++
    }
  }
  // Name and phone duplicates (no e-mail) compare with =, payloads included.
  const np = { name: "x' OR '1'='1", phone: "' OR ''='" }
  t.equal((await send(app, 'POST', '/v1/clients', m1, np)).statusCode, 201, 'POST name/phone payload')
  t.equal((await send(app, 'POST', '/v1/clients', m1, { name: 'Someone Else', phone: np.phone })).statusCode, 201, 'the same phone with another name is no duplicate')
  created1 += 2
  t.same((await send(app, 'POST', '/v1/clients', m1, np)).json(), failure(409, 'A client with this name and phone already exists'), 'the same name and phone is')

  // Admin bodies: merchants, keys and clients with the payloads.
  for (const [name, payload] of INJECTIONS) {
    const merchant = await send(app, 'POST', '/__admin/merchants', {}, { name: payload })
    t.equal(merchant.statusCode, 201, `POST /__admin/merchants name = ${name}`)
    t.equal((merchant.json() as { merchant: { name: string } }).merchant.name, payload, `merchant name = ${name}: verbatim`)
    createdMerchants++
    const client = await send(app, 'POST', '/__admin/clients', {}, { merchant_id: 2, name: payload, address: payload, phone: payload.slice(0, 50), email: payload, notes: payload })
    t.equal(client.statusCode, 201, `POST /__admin/clients fields = ${name}`)
    const c = client.json() as { merchant_id: number, client: ApiClient }
    t.same(c, { merchant_id: 2, client: { id: c.client.id, name: payload, address: payload, phone: payload.slice(0, 50), email: payload, note: payload, notes: payload } }, `admin client = ${name}: verbatim`)
    created2++
    const key = await send(app, 'POST', '/__admin/api-keys', {}, { merchant_id: 1, key: payload })
    if (isKeyText(payload)) {
      t.same([key.statusCode, key.json()], [201, { key: payload, merchant_id: 1, status: 'active' }], `POST /__admin/api-keys key = ${name}`)
      createdKeys++
      // The payload is now just a key: it opens merchant 1's data, exactly and only.
      const get = await app.inject({ url: '/v1/clients/1024', headers: { api_key: payload } })
      t.same(get.json(), { status: 'SUCCESS', client: CLIENT_1024 }, `api_key ${JSON.stringify(payload)} is a plain key of merchant 1`)
      t.equal((await app.inject({ url: '/v1/clients/2048', headers: { api_key: payload } })).statusCode, 404, `api_key ${JSON.stringify(payload)}: merchant 2 stays foreign`)
      const off = await send(app, 'PATCH', `/__admin/api-keys/${encodeURIComponent(payload)}`, {}, { status: 'inactive' })
      t.same(off.json(), { key: payload, merchant_id: 1, status: 'inactive' }, `PATCH /__admin/api-keys/${JSON.stringify(payload)}`)
      t.equal((await app.inject({ url: '/v1/clients/1024', headers: { api_key: payload } })).statusCode, 403, `api_key ${JSON.stringify(payload)} inactive: 403`)
    } else {
      t.same([key.statusCode, key.json()], [400, failure(400, `Invalid body field key: ${KEY_PATTERN}`)], `POST /__admin/api-keys key = ${name}`)
    }
  }
  t.equal((await app.inject({ url: '/v1/clients/1024', headers: m1 })).statusCode, 200, 'the demo key still works: no UPDATE ran wider than its key')
  t.equal((await app.inject({ url: '/v1/clients/1024', headers: { api_key: INACTIVE_KEY } })).statusCode, 403, 'the inactive key is still inactive')
  // A seed through the '%' key lands on merchant 1 only.
  const reactivate = await send(app, 'PATCH', '/__admin/api-keys/%25', {}, { status: 'active' })
  t.equal(reactivate.statusCode, 200)
  const seeded = await send(app, 'POST', '/__admin/seed', {}, { api_key: '%', count: 1, seed: 9 })
  t.same([seeded.statusCode, (seeded.json() as { merchant_id: number, inserted: number }).merchant_id, (seeded.json() as { inserted: number }).inserted], [201, 1, 1], 'seed via api_key "%": merchant 1, one client')
  created1++

  // keyword: the payload literally (ASCII case-insensitive) in name, email, phone or address.
  for (const [who, headers] of [['merchant 1', m1], ['merchant 2', m2]] as const) {
    const everyone = (await listAll(app, headers)).clients
    for (const [name, payload] of [...INJECTIONS, ['double percent', '%%'], ['percent underscore', '%_'], ['unicode apostrophe', '\u2019']] as const) {
      if (payload.includes('\u0000')) {
        // SQLite's LIKE stops at a NUL: such a keyword is refused rather than cut short.
        const res = await app.inject({ url: `/v1/clients?keyword=${encodeURIComponent(payload)}`, headers })
        t.same({ status: res.statusCode, json: res.json() }, { status: 400, json: failure(400, NUL_KEYWORD) }, `${who} ?keyword=${JSON.stringify(payload)} (${name}): 400`)
        continue
      }
      const expected = everyone.filter((c) => keywordMatches(c, payload)).map((c) => c.id)
      const got = await listAll(app, headers, `keyword=${encodeURIComponent(payload)}`)
      t.same(got.ids, expected, `${who} ?keyword=${JSON.stringify(payload)} (${name}): literal matches only`)
      t.ok(got.totals.every((n) => n === expected.length), `${who} ?keyword=${JSON.stringify(payload)}: total`)
      if (who === 'merchant 1' && name !== 'double percent' && name !== 'percent underscore' && name !== 'unicode apostrophe') {
        t.ok(expected.length > 0 && expected.length < everyone.length, `${who} ?keyword=${JSON.stringify(payload)}: some rows match literally, not all`)
      }
    }
    // A NUL in the middle of a word: "Terry\0zzz" must not match "… Terry".
    const terry = await app.inject({ url: `/v1/clients?keyword=${encodeURIComponent('Terry\u0000zzz')}`, headers })
    t.same({ status: terry.statusCode, json: terry.json() }, { status: 400, json: failure(400, NUL_KEYWORD) }, `${who} ?keyword="Terry\\u0000zzz": refused, not cut at the NUL`)
    // email: exact and ASCII case-insensitive.
    for (const value of [...INJECTIONS.map(([, p]) => p), "o'neil@example.com", "O'NEIL@example.COM", 'a%b@example.com', 'a%@example.com', 'a_b@example.com', 'a_b@example.co_', '%@example.com', 'client@example.com\u0000zzz']) {
      const expected = everyone.filter((c) => c.email !== null && asciiLower(c.email) === asciiLower(value)).map((c) => c.id)
      const got = await listAll(app, headers, `email=${encodeURIComponent(value)}`)
      t.same(got.ids, expected, `${who} ?email=${JSON.stringify(value)}: exact matches only`)
    }
  }
  // Both filters with payloads at once, and the limits: still 200 or the documented 400.
  const both = await app.inject({ url: `/v1/clients?keyword=${encodeURIComponent("' OR 1=1 --")}&email=${encodeURIComponent("' OR 1=1 --")}`, headers: m1 })
  t.same((both.json() as ListBody).clients.map((c) => c.id), [], 'keyword and email payloads together: the email filter (an =) matches nothing on merchant 1')
  const long = await app.inject({ url: `/v1/clients?keyword=${encodeURIComponent("' OR 1=1 --".repeat(20))}`, headers: m1 })
  t.same([long.statusCode, long.json()], [400, failure(400, 'Invalid query field keyword: must NOT have more than 200 characters')], 'an over-long keyword payload')

  // Payments (CONTRACT §6): payloads as order ids and client fields are stored and found as data;
  // as verify's ids they find nothing.
  let createdPayments = 0
  for (const [name, payload] of INJECTIONS) {
    const order = payload.slice(0, 100)
    if (order === '') continue
    const checkout = await app.inject({ method: 'POST', url: '/v1/payments/checkout', headers: m1, payload: { amount: 1, currency: 'QAR', order_id: order, client: { name: payload.slice(0, 200) || 'x', phone: payload.slice(0, 50) }, note: payload } })
    t.equal(checkout.statusCode, 200, `checkout with ${name} as order_id, client and note`)
    createdPayments++
    const verify = await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: m1, payload: { order_id: order } })
    t.same([verify.statusCode, verify.json().result?.order_id, verify.json().result?.note], [200, order, payload], `verify finds ${name} as data`)
    const foreign = await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: m1, payload: { transaction_id: payload.slice(0, 100) || 'x' } })
    t.same([foreign.statusCode, foreign.json()], [404, failure(404, 'The requested payment was not found')], `verify by ${name} as transaction_id finds nothing`)
    const refund = await app.inject({ method: 'POST', url: '/api/v1/payments/refund', headers: m1, payload: { transaction_id: payload.slice(0, 100) || 'x' } })
    t.same([refund.statusCode, refund.json()], [404, failure(404, 'The requested payment was not found')], `refund by ${name} as transaction_id finds nothing`)
  }

  // Saved cards (CONTRACT §6.6): payloads as card tokens find nothing, deactivate nothing; as a
  // token's client they are stored verbatim and found as data by /__admin/tokens?client_email=.
  let createdTokens = 0
  for (const [name, payload] of INJECTIONS) {
    const token = payload.slice(0, 200) || 'x'
    for (const url of ['/v1/payments/collect-payment', '/v1/payments/deactivate-token']) {
      const res = await app.inject({ method: 'POST', url, headers: m1, payload: { card_token: token, order_id: 'o', amount: 1 } })
      t.same([res.statusCode, res.json()], [404, failure(404, 'The requested card token was not found')], `${url} with ${name} as card_token finds nothing`)
    }
    const issued = await app.inject({ method: 'POST', url: '/__admin/tokens', payload: { client: { name: payload.slice(0, 200) || 'x', phone: payload.slice(0, 50) } } })
    t.equal(issued.statusCode, 201, `a token for ${name} as client name and phone`)
    createdTokens++
    const found = (await app.inject({ url: `/__admin/tokens?${new URLSearchParams({ client_email: payload.slice(0, 254) })}` })).json()
    t.same(found.tokens, [], `?client_email=${name}: nothing (no token has it)`)
    t.same(issued.json().client, { name: payload.slice(0, 200) || 'x', email: null, phone: payload.slice(0, 50) }, `${name}: stored verbatim`)
  }

  // Products (CONTRACT §7): payloads as text fields are stored verbatim; as exact filters (sku,
  // status, category) they find only themselves; as product_id they are a 400.
  let createdProducts = 0
  for (const [name, payload] of INJECTIONS) {
    if (payload.includes('\u0000')) continue
    const body = { name: payload, sku: payload, description: payload, status: payload.slice(0, 50), category: payload }
    const res = await app.inject({ method: 'POST', url: '/v1/products', headers: m1, payload: body })
    t.equal(res.statusCode, 201, `POST /v1/products fields = ${name}`)
    createdProducts++
    const product = res.json().product as { id: number, name: string, sku: string, description: string, status: string, category: string }
    t.same([product.name, product.sku, product.description, product.status, product.category], [payload, payload, payload, payload.slice(0, 50), payload], `POST /v1/products ${name}: verbatim`)
    for (const field of ['sku', 'category'] as const) {
      const list = await app.inject({ url: `/v1/products?${field}=${encodeURIComponent(payload)}`, headers: m1 })
      t.same(list.json().products.map((p: { id: number }) => p.id), [product.id], `?${field}=${name}: only itself`)
    }
    const again = await app.inject({ method: 'POST', url: '/v1/products', headers: m1, payload: { name: 'again', sku: payload } })
    t.same([again.statusCode, again.json()], [409, failure(409, 'A product with this sku already exists')], `sku ${name}: compared as data`)
    const byId = await app.inject({ url: `/v1/products/${encodeURIComponent(payload)}`, headers: m1 })
    t.equal(byId.statusCode, 400, `GET /v1/products/${name}: 400`)
  }
  for (const [name, payload] of INJECTIONS) {
    const list = await app.inject({ url: `/v1/products?status=${encodeURIComponent(payload)}`, headers: m2 })
    t.same(list.json().products ?? [], [], `merchant 2 ?status=${name}: nothing (merchant 1's rows stay foreign)`)
  }

  // Invoices (CONTRACT §7): payloads in every text field are stored verbatim and given back; as
  // keyword (LIKE, literal), status (exact) and client_email (exact, case-insensitive) filters they
  // are data; as invoice_id or an item's product_id they are a 400.
  let createdInvoices = 0
  const invoiceText = (payload: string, suffix = ''): Record<string, unknown> => {
    const p = `${payload}${suffix}`
    return {
      amount: 1,
      number: p,
      title: p,
      description: p,
      note: p,
      terms_conditions: p,
      status: p.slice(0, 50),
      client: { name: p, phone: p.slice(0, 50), address: p },
      items: [{ product_id: null, description: p, qty: 1, amount: 0, type: p.slice(0, 50) }],
      payments: [{ payment_date: null, transaction_id: p, amount: null, note: p, payment_type: p.slice(0, 50), status: p.slice(0, 50) }],
      setting: { tax: null, discount: null, discount_type: null, language: 'en', accepted_payment_methods: [p.slice(0, 50)] },
    }
  }
  /** What the API answers for invoiceText's body (the rest its defaults). */
  const invoiceAnswer = (id: number, body: Record<string, unknown>, date: string): object => ({
    id,
    number: body.number,
    type: 'quick',
    title: body.title,
    description: body.description,
    amount: 1,
    currency: 'QAR',
    status: body.status,
    date,
    due_date: null,
    terms_conditions: body.terms_conditions,
    note: body.note,
    client: { ...(body.client as object), email: null },
    items: body.items,
    payments: body.payments,
    setting: body.setting,
  })
  for (const [name, payload] of INJECTIONS) {
    const body = invoiceText(payload)
    const res = await send(app, 'POST', '/v1/invoices', m1, body)
    t.equal(res.statusCode, 201, `POST /v1/invoices fields = ${name}`)
    createdInvoices++
    const created = (res.json() as { invoice: { id: number, date: string } }).invoice
    t.same(res.json(), { status: 'SUCCESS', invoice: invoiceAnswer(created.id, body, created.date) }, `POST /v1/invoices ${name}: verbatim`)
    const updated = invoiceText(payload, ' (2)')
    const put = await send(app, 'PUT', `/v1/invoices/${created.id}`, m1, { ...updated, date: '2024-01-01' })
    t.same([put.statusCode, put.json()], [200, { status: 'SUCCESS', invoice: invoiceAnswer(created.id, updated, '2024-01-01T00:00:00Z') }], `PUT /v1/invoices ${name}: verbatim`)
    const get = await app.inject({ url: `/v1/invoices/${created.id}`, headers: m1 })
    t.same(get.json(), put.json(), `GET after PUT ${name}: as stored`)
    const noPayload = await send(app, 'POST', '/v1/invoices', m1, { amount: 1, items: [{ product_id: payload }] })
    t.same([noPayload.statusCode, noPayload.json()], [400, failure(400, 'Invalid body field items[0].product_id: must be a positive integer (or its digits as a string), or null')], `items[0].product_id = ${name}`)
    const email = await send(app, 'POST', '/v1/invoices', m1, { amount: 1, client: { email: payload } })
    t.same([email.statusCode, email.json()], [400, failure(400, 'Invalid body field client.email: must be a valid e-mail address, or null')], `client.email = ${name}`)
  }
  const invoiceIdInvalid = failure(400, 'Invalid invoice_id: must be a positive integer from 1 to 9007199254740991')
  for (const id of [...INJECTIONS.map(([, p]) => encodeURIComponent(p)), "2075'", '2075;DROP', '2075--', '2075%20OR%201=1', '2075%00']) {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await send(app, method, `/v1/invoices/${id}`, m1, method === 'PUT' ? { amount: 1 } : undefined)
      t.same([res.statusCode, res.json()], [400, invoiceIdInvalid], `${method} /v1/invoices/${id}`)
    }
  }
  // E-mails with SQL and LIKE metacharacters that are valid addresses: stored as given, compared with =.
  for (const email of ["o'neil@example.com", 'a%b@example.com', 'a_b@example.com', 'axb@example.com', 'acb@example.com']) {
    const res = await send(app, 'POST', '/v1/invoices', m1, { amount: 1, client: { email } })
    t.same([res.statusCode, (res.json() as { invoice: { client: { email: string } } }).invoice.client.email], [201, email], `client.email ${email}: verbatim`)
    createdInvoices++
  }
  interface ApiInvoice { id: number, number: string, title: string | null, description: string | null, status: string, client: { name: string | null, email: string | null } }
  const invoicesOf = async (headers: Record<string, string>, query = ''): Promise<{ status: number, ids: number[], total: number, body: unknown, invoices: ApiInvoice[] }> => {
    const res = await app.inject({ url: `/v1/invoices?page_size=100${query === '' ? '' : '&'}${query}`, headers })
    const json = res.json() as { invoices?: ApiInvoice[], total?: number }
    return { status: res.statusCode, ids: (json.invoices ?? []).map((i) => i.id), total: json.total ?? -1, body: json, invoices: json.invoices ?? [] }
  }
  const invoiceKeyword = (i: ApiInvoice, keyword: string): boolean =>
    [i.number, i.title, i.description, i.client.name, i.client.email].some((f) => f !== null && asciiLower(f).includes(asciiLower(keyword)))
  const textInvalid = (field: string, max: number): object => failure(400, `Invalid query field ${field}: must be a string of at most ${max} characters, without NUL characters`)
  for (const [who, headers] of [['merchant 1', m1], ['merchant 2', m2]] as const) {
    const everyone = (await invoicesOf(headers)).invoices
    t.ok(everyone.length < 100, `${who}: every invoice on one page`)
    for (const [name, payload] of [...INJECTIONS, ['double percent', '%%'], ['percent underscore', '%_'], ['unicode apostrophe', '\u2019']] as const) {
      const keyword = await invoicesOf(headers, `keyword=${encodeURIComponent(payload)}`)
      if (payload.includes('\u0000')) {
        t.same([keyword.status, keyword.body], [400, textInvalid('keyword', 200)], `${who} invoices ?keyword=${name}: 400`)
      } else {
        const expected = everyone.filter((i) => invoiceKeyword(i, payload)).map((i) => i.id)
        t.same([keyword.ids, keyword.total], [expected, expected.length], `${who} invoices ?keyword=${name}: literal matches only`)
        if (who === 'merchant 1' && !['double percent', 'percent underscore', 'unicode apostrophe'].includes(name)) {
          t.ok(expected.length > 0 && expected.length < everyone.length, `${who} invoices ?keyword=${name}: some match literally, not all`)
        }
      }
      // The payload itself (no invoice has it: they were all replaced) and the replaced status.
      for (const value of [payload, `${payload} (2)`.slice(0, 50)]) {
        const status = await invoicesOf(headers, `status=${encodeURIComponent(value)}`)
        if (value.includes('\u0000') || value.length > 50) {
          t.same([status.status, status.body], [400, textInvalid('status', 50)], `${who} invoices ?status=${JSON.stringify(value)}: 400`)
          continue
        }
        const expected = everyone.filter((i) => i.status === value).map((i) => i.id)
        t.same(status.ids, expected, `${who} invoices ?status=${JSON.stringify(value)}: exact matches only`)
        if (who === 'merchant 1' && value !== payload && INJECTIONS.some(([n]) => n === name)) t.equal(expected.length, 1, `${who} invoices ?status=${JSON.stringify(value)}: the one invoice with it`)
      }
    }
    for (const value of [...INJECTIONS.map(([, p]) => p), "O'NEIL@example.COM", 'A%B@EXAMPLE.COM', 'a%@example.com', 'a_b@example.com', 'a_b@example.co_', '%@example.com', '_@example.com']) {
      const got = await invoicesOf(headers, `client_email=${encodeURIComponent(value)}`)
      if (value.includes('\u0000')) {
        t.same([got.status, got.body], [400, textInvalid('client_email', 254)], `${who} invoices ?client_email=${JSON.stringify(value)}: 400`)
        continue
      }
      const expected = everyone.filter((i) => i.client.email !== null && asciiLower(i.client.email) === asciiLower(value)).map((i) => i.id)
      t.same(got.ids, expected, `${who} invoices ?client_email=${JSON.stringify(value)}: exact matches only`)
    }
  }
  const aUnderscore = await invoicesOf(m1, 'client_email=a_b%40example.com')
  t.equal(aUnderscore.ids.length, 1, 'client_email a_b@example.com: itself, not axb or acb')
  // Merchant 2's own are its fixtures' (4075, faker 2001–2040): never one of merchant 1's.
  const paid2 = (await invoicesOf(m2, 'status=paid')).ids as number[]
  t.ok(paid2.every((id) => id === 4075 || (id >= 2001 && id <= 2040)), 'merchant 2 never sees merchant 1\'s invoices')
  t.same((await app.inject({ url: '/v1/invoices/2075', headers: m1 })).json().invoice.number, 'INV567', 'invoice 2075 as in the fixtures')
  t.same((await app.inject({ url: '/v1/invoices/4075', headers: m2 })).json().invoice.number, 'DTC-4075', 'invoice 4075 as in the fixtures')

  // The database is intact: only the rows created on purpose were added.
  const after = await getState(app)
  // /__admin/state counts invoices too (CONTRACT §7); support.ts's State predates them.
  const invoiceTotal = (state: State): number => (state.totals as State['totals'] & { invoices: number }).invoices
  t.same(after.totals, {
    merchants: before.totals.merchants + createdMerchants,
    api_keys: before.totals.api_keys + createdMerchants + createdKeys,
    clients: before.totals.clients + created1 + created2,
    products: before.totals.products + createdProducts,
    payments: before.totals.payments + createdPayments,
    card_tokens: before.totals.card_tokens + createdTokens,
    invoices: invoiceTotal(before) + createdInvoices,
  }, `totals: +${createdMerchants} merchants, +${createdMerchants + createdKeys} keys, +${created1 + created2} clients, +${createdProducts} products, +${createdPayments} payments, +${createdTokens} card tokens, +${createdInvoices} invoices`)
  const [b1, b2] = before.merchants
  const [a1, a2] = after.merchants
  t.same(a1 === undefined ? undefined : { ...a1, api_keys: a1.api_keys.slice(0, 2) }, b1 === undefined ? undefined : { ...b1, clients: b1.clients + created1, products: b1.products + createdProducts, payments: b1.payments + createdPayments, card_tokens: b1.card_tokens + createdTokens, invoices: (b1 as typeof b1 & { invoices: number }).invoices + createdInvoices }, 'merchant 1: its name and fixture keys, its own new clients, products, payments, card tokens and invoices')
  t.equal(a1?.api_keys.length, (b1?.api_keys.length ?? 0) + createdKeys, 'merchant 1: the keys added on purpose')
  t.same(a2, b2 === undefined ? undefined : { ...b2, clients: b2.clients + created2 }, 'merchant 2: unchanged but for its admin-created clients')
  t.same((await app.inject({ url: '/v1/clients/1024', headers: m1 })).json(), { status: 'SUCCESS', client: CLIENT_1024 }, 'client 1024 as in the fixtures')
  t.same((await app.inject({ url: '/v1/clients/2048', headers: m2 })).json(), { status: 'SUCCESS', client: CLIENT_2048 }, 'client 2048 as in the fixtures')
  t.same((await listAll(app, m2)).ids.filter((id) => M2_IDS.includes(id)), [...M2_IDS].sort(byId), 'merchant 2\'s fixture clients all there')
  t.same((await listAll(app, m1)).ids.filter((id) => M1_IDS.includes(id)), [...M1_IDS].sort(byId), 'merchant 1\'s fixture clients all there')
})
