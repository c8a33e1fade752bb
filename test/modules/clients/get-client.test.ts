// GET /v1/clients/:client_id through the real app (CONTRACT §1–2): success, auth, tenancy,
// media types, client_id validation and the order of the checks.
import t from 'tap'
import { build, buildWithDb, CLIENT_1024, CLIENT_2048, DEMO_KEY, failure, INACTIVE_KEY, SECOND_KEY } from '../../helper.js'

const json = 'application/json; charset=utf-8'

t.test('the docs\' exact request answers 200 with the documented client, note and notes both', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'GET',
    url: '/v1/clients/1024',
    headers: { api_key: DEMO_KEY, 'Content-Type': 'application/json' },
  })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], json)
  t.equal(res.body, '{"status":"SUCCESS","client":{"id":1024,"name":"Client Name","address":"Client Address",' +
    '"phone":"Client Phone","email":"client@example.com","note":"Additional notes","notes":"Additional notes"}}')
})

t.test('a client without optional fields has them as null', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/clients/1025', headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    status: 'SUCCESS',
    client: { id: 1025, name: 'Client Without Details', address: null, phone: null, email: null, note: null, notes: null },
  })
})

t.test('the second merchant sees its own client', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/clients/2048', headers: { api_key: SECOND_KEY } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'SUCCESS', client: CLIENT_2048 })
})

t.test('tenancy: another merchant\'s client is byte-for-byte the same 404 as a missing one', async (t) => {
  const app = await build(t)
  const foreign = await app.inject({ url: '/v1/clients/2048', headers: { api_key: DEMO_KEY } })
  const missing = await app.inject({ url: '/v1/clients/999999', headers: { api_key: DEMO_KEY } })
  const reverse = await app.inject({ url: '/v1/clients/1024', headers: { api_key: SECOND_KEY } })
  t.equal(foreign.statusCode, 404)
  t.same(foreign.json(), failure(404, 'Client not found'))
  t.equal(foreign.body, missing.body)
  t.equal(reverse.body, missing.body)
  t.same(foreign.headers['content-type'], missing.headers['content-type'])
  t.same(foreign.headers['content-length'], missing.headers['content-length'])
})

t.test('faker clients of the demo merchant are served', async (t) => {
  const app = await build(t)
  for (const id of [1, 20, 40]) {
    const res = await app.inject({ url: `/v1/clients/${id}`, headers: { api_key: DEMO_KEY } })
    t.equal(res.statusCode, 200, `client ${id}`)
    t.equal(res.json().client.id, id)
  }
  const past = await app.inject({ url: '/v1/clients/41', headers: { api_key: DEMO_KEY } })
  t.equal(past.statusCode, 404)
})

t.test('authentication (CONTRACT §1)', async (t) => {
  const app = await build(t)
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['no api_key header', {}, 401, 'Missing api_key header'],
    ['empty api_key', { api_key: '' }, 401, 'Empty api_key header'],
    ['whitespace-only api_key (HTTP trims it to empty)', { api_key: '   ' }, 401, 'Empty api_key header'],
    ['unknown key', { api_key: 'not-a-key' }, 401, "Merchant API key isn't valid"],
    ['key in lower case (keys are case-sensitive)', { api_key: DEMO_KEY.toLowerCase() }, 401, "Merchant API key isn't valid"],
    ['key with a suffix', { api_key: DEMO_KEY + 'X' }, 401, "Merchant API key isn't valid"],
    ['key sent as Authorization instead', { authorization: DEMO_KEY }, 401, 'Missing api_key header'],
    ['inactive key', { api_key: INACTIVE_KEY }, 403, 'Merchant API key is inactive'],
  ]
  for (const [name, headers, status, description] of cases) {
    const res = await app.inject({ url: '/v1/clients/1024', headers })
    t.equal(res.statusCode, status, name)
    t.same(res.json(), failure(status, description), name)
    t.equal(res.headers['content-type'], json, name)
  }
})

t.test('header name case does not matter; HTTP trims the value', async (t) => {
  const app = await build(t)
  for (const headers of [{ API_KEY: DEMO_KEY }, { Api_Key: DEMO_KEY }, { api_key: `  ${DEMO_KEY}  ` }]) {
    const res = await app.inject({ url: '/v1/clients/1024', headers })
    t.equal(res.statusCode, 200, JSON.stringify(Object.keys(headers)))
  }
})

t.test('two api_key headers never authenticate', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: [DEMO_KEY, DEMO_KEY] } })
  t.equal(res.statusCode, 401)
  t.same(res.json(), failure(401, "Merchant API key isn't valid"))
})

t.test('media types (CONTRACT §1)', async (t) => {
  const app = await build(t)
  const ok: Array<Record<string, string>> = [
    {},
    { 'content-type': 'application/json' },
    { 'content-type': 'application/json; charset=utf-8' },
    { 'content-type': 'Application/JSON' },
    { 'content-type': '' },
    { accept: '*/*' },
    { accept: 'application/*' },
    { accept: 'application/json' },
    { accept: 'application/json; charset=utf-8' },
    { accept: 'text/html, application/json;q=0.1' },
    { accept: 'application/xml, */*;q=0.5' },
    { accept: '' },
    { accept: ',' },
    { accept: 'application/json;q=' },
    { accept: 'application/json;q=abc' },
  ]
  for (const headers of ok) {
    const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY, ...headers } })
    t.equal(res.statusCode, 200, JSON.stringify(headers))
  }
  const bad: Array<[Record<string, string>, number, string]> = [
    [{ 'content-type': 'application/xml' }, 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    [{ 'content-type': 'text/plain' }, 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    [{ 'content-type': 'application/jsonp' }, 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    [{ accept: 'application/xml' }, 406, 'Not acceptable: the Accept header must allow application/json'],
    [{ accept: 'text/html' }, 406, 'Not acceptable: the Accept header must allow application/json'],
    [{ accept: 'text/*' }, 406, 'Not acceptable: the Accept header must allow application/json'],
    [{ accept: 'application/json;q=0' }, 406, 'Not acceptable: the Accept header must allow application/json'],
    [{ accept: 'application/json;q=0, */*' }, 406, 'Not acceptable: the Accept header must allow application/json'],
    [{ accept: 'application/xml, */*;q=0' }, 406, 'Not acceptable: the Accept header must allow application/json'],
  ]
  for (const [headers, status, description] of bad) {
    const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY, ...headers } })
    t.equal(res.statusCode, status, JSON.stringify(headers))
    t.same(res.json(), failure(status, description), JSON.stringify(headers))
    t.equal(res.headers['content-type'], json, JSON.stringify(headers))
  }
})

t.test('client_id must be a positive integer up to 2^53−1 (CONTRACT §2)', async (t) => {
  const app = await build(t)
  const bad = [
    'abc', '1.5', '-3', '0', '1e3', '0x10', '1024abc', '01024', '+1', '1,0', '%201024', '1024%20',
    '9007199254740992', '9999999999999999', '12345678901234567',
    '١٠٢٤', // Arabic-Indic digits
    '１０２４', // full-width digits
  ]
  for (const id of bad) {
    const res = await app.inject({ url: `/v1/clients/${id}`, headers: { api_key: DEMO_KEY } })
    t.equal(res.statusCode, 400, `client_id ${JSON.stringify(id)}`)
    t.same(res.json(), failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991'), `client_id ${JSON.stringify(id)}`)
  }
  const edge = await app.inject({ url: '/v1/clients/9007199254740991', headers: { api_key: DEMO_KEY } })
  t.equal(edge.statusCode, 404, 'the largest id is valid, just absent')
  t.same(edge.json(), failure(404, 'Client not found'))
})

t.test('percent-encoded ASCII digits are the same id', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/clients/%31%30%32%34', headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'SUCCESS', client: CLIENT_1024 })
})

t.test('query strings are ignored', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/clients/1024?client_id=5&x=1', headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'SUCCESS', client: CLIENT_1024 })
})

t.test('check order: route → api_key → media types → client_id → lookup', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, Record<string, string>, number]> = [
    ['unknown route beats a missing key', '/v1/nothing', {}, 404],
    ['a missing key beats a bad media type and a bad id', '/v1/clients/abc', { 'content-type': 'text/plain', accept: 'text/html' }, 401],
    ['an inactive key beats a bad media type', '/v1/clients/abc', { api_key: INACTIVE_KEY, 'content-type': 'text/plain' }, 403],
    ['415 beats 406 and a bad id', '/v1/clients/abc', { api_key: DEMO_KEY, 'content-type': 'text/plain', accept: 'text/html' }, 415],
    ['406 beats a bad id', '/v1/clients/abc', { api_key: DEMO_KEY, accept: 'text/html' }, 406],
    ['a bad id beats the lookup', '/v1/clients/0', { api_key: DEMO_KEY }, 400],
  ]
  for (const [name, url, headers, status] of cases) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, status, name)
    t.equal(res.json().error.error_code, String(status), name)
  }
})

t.test('HEAD answers like GET without a body', async (t) => {
  const app = await build(t)
  const ok = await app.inject({ method: 'HEAD', url: '/v1/clients/1024', headers: { api_key: DEMO_KEY } })
  t.equal(ok.statusCode, 200)
  t.equal(ok.body, '')
  const denied = await app.inject({ method: 'HEAD', url: '/v1/clients/1024' })
  t.equal(denied.statusCode, 401)
})

t.test('a storage failure answers 503 without detail; an unexpected failure 500', async (t) => {
  const { app, db } = await buildWithDb(t)
  db.exec('DROP TABLE clients')
  const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 503)
  t.same(res.json(), failure(503, 'Storage unavailable'))
  t.notMatch(res.body, /SQLITE|clients|sql|\/|at /i)
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 503, '/health fails exactly when the API would')
  t.same(health.json(), failure(503, 'Storage unavailable'))
})

t.test('a closed database answers 503 Storage unavailable, no stack', async (t) => {
  const { app, db } = await buildWithDb(t)
  db.close()
  const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 503)
  t.same(res.json(), failure(503, 'Storage unavailable'))
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 503)
  t.same(health.json(), failure(503, 'Storage unavailable'))
})
