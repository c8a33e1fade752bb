// The document describes what the server does (/documentation/json). Two checks: (1) values at
// the edge of each rule the document states — ids, paging, e-mail, a fault's path, merchant_id
// with api_key — are accepted by the document's own schema exactly when the server accepts them;
// (2) every answer the HTTP edge gives an operation (406, 415, a bad Prefer, malformed JSON, 413,
// 414, a fault's status) is one that operation documents.
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { FastifyInstance, InjectOptions } from 'fastify'
import t from 'tap'
import { build, DEMO_KEY, failure } from './helper.js'

interface Operation { parameters?: Array<{ in: string, name: string, schema: object }>, requestBody?: { content: Record<string, { schema: object }> }, responses: Record<string, unknown> }
interface Spec { paths: Record<string, Record<string, Operation>> }

async function documentOf (app: FastifyInstance): Promise<Spec> {
  return (await app.inject({ url: '/documentation/json' })).json()
}

/** The document's schema of one parameter or body, compiled as a tool would: JSON Schema 2020-12, formats on. */
function validatorFor (spec: Spec, path: string, method: string, where: { parameter: string } | 'body'): (value: unknown) => boolean {
  const ajv = addFormats.default(new Ajv2020.default({ strict: false, allErrors: true }))
  ajv.addSchema(spec, 'doc')
  const op = spec.paths[path]?.[method] as Operation
  const pointer = where === 'body'
    ? `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/requestBody/content/application~1json/schema`
    : `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/parameters/${op.parameters?.findIndex((p) => p.name === where.parameter)}/schema`
  const validate = ajv.compile({ $ref: `doc#${pointer}` })
  return (value) => validate(value)
}

t.test("integers in the path and the query: the document's range is the server's", async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const clientId = validatorFor(spec, '/v1/clients/{client_id}', 'get', { parameter: 'client_id' })
  const page = validatorFor(spec, '/v1/clients', 'get', { parameter: 'page' })
  const pageSize = validatorFor(spec, '/v1/clients', 'get', { parameter: 'page_size' })
  const headers = { api_key: DEMO_KEY }
  // [what, value the document is asked about, the request, whether both accept it]
  const cases: Array<[string, number, string, boolean]> = [
    ['client_id 1024', 1024, '/v1/clients/1024', true],
    ['client_id 2^53−1', 9007199254740991, '/v1/clients/9007199254740991', true],
    ['client_id 2^53', 9007199254740992, '/v1/clients/9007199254740992', false],
    // 16 nines, which a JavaScript number holds as 10^16.
    ['client_id of 16 digits past the maximum', 1e16, '/v1/clients/9999999999999999', false],
    ['client_id 0', 0, '/v1/clients/0', false],
    ['client_id −3', -3, '/v1/clients/-3', false],
    ['page 999999999', 999999999, '/v1/clients?page=999999999', true],
    ['page 1000000000', 1000000000, '/v1/clients?page=1000000000', false],
    ['page_size 100', 100, '/v1/clients?page_size=100', true],
    ['page_size 101', 101, '/v1/clients?page_size=101', false],
    ['page_size 999', 999, '/v1/clients?page_size=999', false],
    ['page_size 0', 0, '/v1/clients?page_size=0', false],
  ]
  for (const [what, value, url, accepted] of cases) {
    const validate = what.startsWith('client_id') ? clientId : what.startsWith('page_size') ? pageSize : page
    t.equal(validate(value), accepted, `the document: ${what}`)
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode !== 400, accepted, `the server: ${what} (${res.statusCode})`)
  }
  // Text that is no decimal integer is refused by both (the document's type is integer).
  for (const text of ['1e3', '0x10', '1.0', '01024', '+5', '%2012', '']) {
    const res = await app.inject({ url: `/v1/clients/${text}?page=${text}`, headers })
    t.equal(res.statusCode === 400 || (text === '' && res.statusCode === 200), true, `${JSON.stringify(text)} is not an integer (${res.statusCode})`)
  }
  t.same((await app.inject({ url: '/v1/clients?page_size=101', headers })).json(), failure(400, 'Invalid query field page_size: must be an integer from 1 to 100'))
  t.same((await app.inject({ url: '/v1/clients/9007199254740992', headers })).json(), failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991'))
})

t.test("e-mail: the document's pattern is the server's rule", async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const body = validatorFor(spec, '/v1/clients', 'post', 'body')
  const cases: Array<[string, boolean]> = [
    ['client.one@example.com', true],
    ['A.B+tag@sub.Example.QA', true],
    ["o'brien@example.com", true],
    ['user@localhost', false],
    ['"quoted"@example.com', false],
    ['user@[127.0.0.1]', false],
    ['a..b@example.com', false],
    ['user@-example.com', false],
    ['not-an-email', false],
  ]
  let n = 0
  for (const [email, accepted] of cases) {
    t.equal(body({ name: 'Mail', email }), accepted, `the document: ${email}`)
    const res = await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: DEMO_KEY }, payload: { name: `Mail ${n++}`, email } })
    t.equal(res.statusCode, accepted ? 201 : 400, `the server: ${email}`)
    if (!accepted) t.same(res.json(), failure(400, 'Invalid body field email: must be a valid e-mail address'))
  }
})

t.test('note and notes: null is "not sent"; two different strings are the one rule the document states in words', async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const body = validatorFor(spec, '/v1/clients', 'post', 'body')
  const headers = { api_key: DEMO_KEY }
  const cases: Array<[object, number, string | null]> = [
    [{ name: 'N1', notes: 'VIP', note: null }, 201, 'VIP'],
    [{ name: 'N2', note: 'VIP', notes: null }, 201, 'VIP'],
    [{ name: 'N3', note: null, notes: null }, 201, null],
    [{ name: 'N4', note: 'VIP', notes: 'VIP' }, 201, 'VIP'],
  ]
  for (const [payload, status, notes] of cases) {
    t.ok(body(payload), `the document accepts ${JSON.stringify(payload)}`)
    const res = await app.inject({ method: 'POST', url: '/v1/clients', headers, payload })
    t.equal(res.statusCode, status, JSON.stringify(payload))
    t.equal(res.json().client.notes, notes)
    t.equal(res.json().client.note, notes)
  }
  const differ = { name: 'N5', note: 'VIP', notes: 'Regular' }
  t.ok(body(differ), 'JSON Schema cannot compare two fields: the document admits it…')
  const res = await app.inject({ method: 'POST', url: '/v1/clients', headers, payload: differ })
  t.same([res.statusCode, res.json()], [400, failure(400, 'Invalid body: note and notes differ; send one of them')])
  const schema = spec.paths['/v1/clients']?.post?.requestBody?.content['application/json']?.schema as { description: string, properties: Record<string, { description: string }> }
  for (const text of [schema.description, schema.properties.note?.description, schema.properties.notes?.description]) {
    t.match(text, 'two different strings are a 400', '…and says the rule in words')
    t.match(text, 'null counts as not sent')
  }
})

t.test("/__admin bodies: a fault's path and merchant_id with api_key, as the document says", async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const fault = validatorFor(spec, '/__admin/faults', 'post', 'body')
  const faultCases: Array<[string, boolean]> = [['/v1/*', true], ['/api/v1/payments/refund', true], ['/v1/clients/:client_id', true], ['/health', false], ['/v1', false], ['/__admin/*', false], ['v1/clients', false]]
  for (const [path, accepted] of faultCases) {
    t.equal(fault({ path, status: 503 }), accepted, `the document: fault path ${path}`)
    const res = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { path, status: 503, times: 1 } })
    t.equal(res.statusCode, accepted ? 201 : 400, `the server: fault path ${path}`)
  }
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  t.same((await app.inject({ method: 'POST', url: '/__admin/faults', payload: { path: '/health', status: 503 } })).json(),
    failure(400, 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/ (or /api/v1/)'))

  const client = validatorFor(spec, '/__admin/clients', 'post', 'body')
  const seed = validatorFor(spec, '/__admin/seed', 'post', 'body')
  const both = failure(400, 'Give merchant_id or api_key, not both')
  const refCases: Array<[object, boolean]> = [[{ merchant_id: 2 }, true], [{ api_key: DEMO_KEY }, true], [{}, true], [{ merchant_id: 1, api_key: DEMO_KEY }, false]]
  for (const [ref, accepted] of refCases) {
    t.equal(client({ ...ref, name: 'Ref' }), accepted, `the document (client): ${JSON.stringify(ref)}`)
    t.equal(seed({ ...ref, count: 1 }), accepted, `the document (seed): ${JSON.stringify(ref)}`)
    const created = await app.inject({ method: 'POST', url: '/__admin/clients', payload: { ...ref, name: 'Ref' } })
    t.equal(created.statusCode, accepted ? 201 : 400, `the server (client): ${JSON.stringify(ref)}`)
    const seeded = await app.inject({ method: 'POST', url: '/__admin/seed', payload: { ...ref, count: 1 } })
    t.equal(seeded.statusCode, accepted ? 201 : 400, `the server (seed): ${JSON.stringify(ref)}`)
    if (!accepted) t.same([created.json(), seeded.json()], [both, both])
  }
  // A body that is no object at all still says so, not "not both".
  t.same((await app.inject({ method: 'POST', url: '/__admin/clients', payload: [] })).json(), failure(400, 'Invalid body: expected a JSON object'))
})

t.test('dates: the document\'s pattern admits exactly the days and times that exist', async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const from = validatorFor(spec, '/v1/products', 'get', { parameter: 'from' })
  const invoice = validatorFor(spec, '/v1/invoices', 'post', 'body')
  const clock = validatorFor(spec, '/__admin/clock', 'post', 'body')
  const headers = { api_key: DEMO_KEY }
  const cases: Array<[string, boolean]> = [
    ['2024-02-29', true], ['2000-02-29', true], ['2023-02-28T23:59:59.999Z', true], ['2023-09-30T10:00+03:00', true],
    ['2023-02-29', false], ['1900-02-29', false], ['2023-04-31', false], ['2023-13-01', false], ['2023-00-10', false],
    ['2023-09-30T24:00Z', false], ['2023-09-30T10:60Z', false], ['2023-09-30T10:00:60Z', false], ['2023-09-30T10:00+24:00', false], ['2023-09-30T10:00', false],
  ]
  let n = 0
  for (const [date, accepted] of cases) {
    t.equal(from(date), accepted, `the document (products from): ${date}`)
    t.equal((await app.inject({ url: `/v1/products?from=${encodeURIComponent(date)}`, headers })).statusCode, accepted ? 200 : 400, `the server (products from): ${date}`)
    t.equal(invoice({ amount: 1, date }), accepted, `the document (invoice date): ${date}`)
    const created = await app.inject({ method: 'POST', url: '/v1/invoices', headers, payload: { amount: 1, date, number: `DATE-${n++}` } })
    t.equal(created.statusCode, accepted ? 201 : 400, `the server (invoice date): ${date}`)
    if (date.length > 10) {
      t.equal(clock({ now: date }), accepted, `the document (clock): ${date}`)
      t.equal((await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: date } })).statusCode, accepted ? 200 : 400, `the server (clock): ${date}`)
    }
  }
})

t.test("an invoice item's product_id as digits: the document's pattern stops at 2^53−1, as the server does", async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const body = validatorFor(spec, '/v1/invoices', 'post', 'body')
  const cases: Array<[string, number, string]> = [
    ['669', 201, ''],
    ['9007199254740991', 400, 'Invalid body field items[0].product_id: the merchant has no product 9007199254740991'],
    ['9007199254740992', 400, 'Invalid body field items[0].product_id: must be a positive integer (or its digits as a string), or null'],
    ['0669', 400, 'Invalid body field items[0].product_id: must be a positive integer (or its digits as a string), or null'],
  ]
  for (const [productId, status, description] of cases) {
    const payload = { amount: 1, items: [{ product_id: productId, qty: 1, amount: 1 }] }
    t.equal(body(payload), status === 201 || description.includes('has no product'), `the document: ${productId}`)
    const res = await app.inject({ method: 'POST', url: '/v1/invoices', headers: { api_key: DEMO_KEY }, payload })
    t.equal(res.statusCode, status, `the server: ${productId}`)
    if (status === 400) t.same(res.json(), failure(400, description))
  }
})

t.test('verify and refund: transaction_id, order_id or both, null meaning not sent, as the document says', async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const verify = validatorFor(spec, '/v1/payments/verify', 'post', 'body')
  const refund = validatorFor(spec, '/v1/payments/refund', 'post', 'body')
  const neither = failure(400, 'Invalid body: send transaction_id, order_id or both')
  const cases: Array<[object, boolean]> = [
    [{ order_id: '123456789' }, true], [{ transaction_id: 123456789, order_id: null }, true], [{ order_id: 123456789, note: 'unknown fields are ignored' }, true],
    [{}, false], [{ transaction_id: null, order_id: null }, false], [{ transaction_id: null }, false], [{ other: 1 }, false],
  ]
  for (const [payload, accepted] of cases) {
    t.equal(verify(payload), accepted, `the document (verify): ${JSON.stringify(payload)}`)
    t.equal(refund(payload), accepted, `the document (refund): ${JSON.stringify(payload)}`)
    const res = await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: { api_key: DEMO_KEY }, payload })
    t.equal(res.statusCode, accepted ? 200 : 400, `the server (verify): ${JSON.stringify(payload)}`)
    if (!accepted) {
      t.same(res.json(), neither)
      t.same((await app.inject({ method: 'POST', url: '/v1/payments/refund', headers: { api_key: DEMO_KEY }, payload })).json(), neither, `the server (refund): ${JSON.stringify(payload)}`)
    }
  }
  // A body that is no object says so, not "send transaction_id…".
  t.same((await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: { api_key: DEMO_KEY }, payload: [] })).json(), failure(400, 'Invalid body: expected a JSON object'))
})

t.test('checkout: the amount\'s bounds are in the document', async (t) => {
  const app = await build(t)
  const spec = await documentOf(app)
  const body = validatorFor(spec, '/v1/payments/checkout', 'post', 'body')
  const cases: Array<[number, boolean]> = [[0.001, true], [999999999.999, true], [0, false], [-1, false], [1000000000, false]]
  for (const [amount, accepted] of cases) {
    const payload = { amount, currency: 'QAR', order_id: 'bounds', client: { name: 'Card Holder' } }
    t.equal(body(payload), accepted, `the document: ${amount}`)
    t.equal((await app.inject({ method: 'POST', url: '/v1/payments/checkout', headers: { api_key: DEMO_KEY }, payload })).statusCode, accepted ? 200 : 400, `the server: ${amount}`)
  }
})

// A valid-looking value for each path parameter of the document.
const PARAMETERS: Readonly<Record<string, string>> = {
  client_id: '1024', product_id: '669', invoice_id: '2075', key: DEMO_KEY, paymentID: 'K7Q2M9X4TB3N8R1W5C6VK7', merchantId: '1', id: '1',
}

t.test('every answer the edge gives an operation is one it documents', async (t) => {
  // A small body limit, so "too large" is cheap to send.
  const app = await build(t, { BODY_LIMIT: 1024 })
  const spec = await documentOf(app)
  const undocumented: string[] = []
  let checked = 0
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const url = template.replace(/\{([^}]+)\}/g, (_m, name: string) => PARAMETERS[name] ?? 'x')
      const api = template.startsWith('/v1/') || template.startsWith('/api/v1/')
      const page = !api && !template.startsWith('/__admin/')
      const withBody = method !== 'get'
      const headers = api ? { api_key: DEMO_KEY } : {}
      const triggers: Array<[string, number, InjectOptions]> = []
      if (!page) {
        triggers.push(['Accept without JSON', 406, { headers: { ...headers, accept: 'application/xml' } }])
        triggers.push(['a Content-Type other than JSON', 415, { headers: { ...headers, 'content-type': 'text/plain' }, payload: 'x' }])
      }
      if (api) triggers.push(['a malformed Prefer', 400, { headers: { ...headers, prefer: 'code=abc' } }])
      if (withBody && !page) triggers.push(['malformed JSON', 400, { headers: { ...headers, 'content-type': 'application/json' }, payload: '{"name":' }])
      if (withBody) {
        const type = page ? 'application/x-www-form-urlencoded' : 'application/json'
        triggers.push(['a body past BODY_LIMIT', 413, { headers: { ...headers, 'content-type': type }, payload: page ? `x=${'a'.repeat(2000)}` : JSON.stringify({ name: 'a'.repeat(2000) }) }])
      }
      if (template.includes('{')) {
        // Path parameters may have up to 200 characters (docs/decisions.md, Order of checks).
        const long = template.replace(/\{[^}]+\}/, 'x'.repeat(201)).replace(/\{([^}]+)\}/g, (_m, name: string) => PARAMETERS[name] ?? 'x')
        triggers.push(['a path parameter too long', 414, { url: long, headers }])
      }
      for (const [what, expected, request] of triggers) {
        const res = await app.inject({ method: method.toUpperCase() as 'GET', url, ...request })
        checked++
        if (res.statusCode !== expected) undocumented.push(`${method.toUpperCase()} ${template}, ${what}: answered ${res.statusCode}, expected ${expected}`)
        else if (op.responses[String(expected)] === undefined) undocumented.push(`${method.toUpperCase()} ${template}, ${what}: ${expected} is not documented`)
      }
      if (api) {
        // A fault may force any status: the operation's default response documents the rest.
        const fault = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { method: method.toUpperCase(), path: url, status: 502, times: 1 } })
        t.equal(fault.statusCode, 201)
        const res = await app.inject({ method: method.toUpperCase() as 'GET', url, headers })
        checked++
        if (res.statusCode !== 502) undocumented.push(`${method.toUpperCase()} ${template}, a fault: answered ${res.statusCode}`)
        else if (op.responses['502'] === undefined && op.responses.default === undefined) undocumented.push(`${method.toUpperCase()} ${template}, a fault: 502 is not documented`)
      }
    }
  }
  t.same(undocumented, [], `${checked} answers, each documented`)
  t.ok(checked > 200, `${checked} answers checked`)
})
