// The Prefer request header on /v1 (CONTRACT §5, Prism's convention): `code=NNN` forces
// one of the route's documented answers with its documented body, `delay=MS` delays the answer,
// Preference-Applied echoes what was honoured; bad values are a 400, unknown preferences are
// ignored, nothing else (unknown routes, 405s, /__admin, /health, later requests) is affected,
// and PREFER_ENABLED=false turns it all off.
import t from 'tap'
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { build, CLIENT_1024, DEMO_KEY, failure, httpGet, INACTIVE_KEY, listen } from '../helper.js'

const JSON_TYPE = 'application/json; charset=utf-8'
const GET_CLIENT = '/v1/clients/1024'
const AUTHORIZE = '/v1/Authorization/Authorize'
const OK_1024 = { status: 'SUCCESS', client: CLIENT_1024 }
const NEW_CLIENT = { name: 'Prefer Test Client', email: 'prefer.test@example.com' }

const CODE_INVALID = 'Invalid Prefer header: code must be a 3-digit HTTP status such as 404'
const DELAY_INVALID = 'Invalid Prefer header: delay must be an integer number of milliseconds from 0 to 60000'

/** GET /v1/clients/1024 with the demo key and `prefer`. */
async function getClient (app: FastifyInstance, prefer: string | string[], headers: Record<string, string> = {}) {
  return await app.inject({ url: GET_CLIENT, headers: { api_key: DEMO_KEY, prefer, ...headers } })
}

t.test('GET /v1/clients/:client_id: every documented error code, forced, is its documented envelope', async (t) => {
  const app = await build(t)
  // The route's OpenAPI examples, one per documented error status.
  const cases: Array<[number, string]> = [
    [400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991'],
    [401, "Merchant API key isn't valid"],
    [403, 'Merchant API key is inactive'],
    [404, 'Client not found'],
    [406, 'Not acceptable: the Accept header must allow application/json'],
    [415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    [500, 'Internal server error'],
    [503, 'Storage unavailable'],
  ]
  for (const [code, description] of cases) {
    const res = await getClient(app, `code=${code}`)
    t.equal(res.statusCode, code, `code=${code}`)
    t.equal(res.body, JSON.stringify(failure(code, description)), `code=${code}: the exact bytes`)
    t.equal(res.headers['content-type'], JSON_TYPE, `code=${code}`)
    t.equal(res.headers['preference-applied'], `code=${code}`, `code=${code}`)
  }
})

t.test('a forced 404 is byte-for-byte the real one', async (t) => {
  const app = await build(t)
  const forced = await getClient(app, 'code=404')
  const real = await app.inject({ url: '/v1/clients/999999', headers: { api_key: DEMO_KEY } })
  t.equal(real.statusCode, 404)
  t.equal(forced.body, real.body)
  t.equal(forced.headers['content-length'], real.headers['content-length'])
})

t.test('the other client routes force their own documented answers', async (t) => {
  const app = await build(t)
  const cases: Array<['GET' | 'POST' | 'PUT' | 'DELETE', string, number, string]> = [
    ['POST', '/v1/clients', 409, 'A client with this email already exists'],
    ['POST', '/v1/clients', 400, 'Invalid body: name is required'],
    ['PUT', '/v1/clients/1024', 409, 'A client with this email already exists'],
    ['PUT', '/v1/clients/1024', 404, 'Client not found'],
    ['DELETE', '/v1/clients/1024', 404, 'Client not found'],
    ['DELETE', '/v1/clients/1024', 503, 'Storage unavailable'],
    ['GET', '/v1/clients', 400, 'Invalid query field page_size: must be an integer from 1 to 100'],
    ['GET', '/v1/clients', 403, 'Merchant API key is inactive'],
  ]
  for (const [method, url, code, description] of cases) {
    const name = `${method} ${url} code=${code}`
    const write = method === 'POST' || method === 'PUT'
    const res = await app.inject({
      method,
      url,
      headers: { api_key: DEMO_KEY, prefer: `code=${code}`, ...(write ? { 'content-type': 'application/json' } : {}) },
      ...(write ? { payload: NEW_CLIENT } : {}),
    })
    t.equal(res.statusCode, code, name)
    t.equal(res.body, JSON.stringify(failure(code, description)), name)
    t.equal(res.headers['preference-applied'], `code=${code}`, name)
  }
  // Forced errors change nothing: client 1024 is still there and no client was created.
  const still = await app.inject({ url: GET_CLIENT, headers: { api_key: DEMO_KEY } })
  t.same(still.json(), OK_1024, 'DELETE code=404 deleted nothing; PUT changed nothing')
  const list = await app.inject({ url: '/v1/clients?email=prefer.test@example.com', headers: { api_key: DEMO_KEY } })
  t.equal(list.json().total, 0, 'POST code=409 created nothing')
})

t.test('Authorize: forced 401/403 in Fatora\'s own shape, other codes in the envelope', async (t) => {
  const app = await build(t)
  const cases: Array<['GET' | 'POST', number, object]> = [
    ['GET', 401, { status: 'ERROR', error: 'Invalid API Key' }],
    ['GET', 403, { status: 'ERROR', error: 'Inactive API Key' }],
    ['POST', 401, { status: 'ERROR', error: 'Invalid API Key' }],
    ['POST', 403, { status: 'ERROR', error: 'Inactive API Key' }],
    ['GET', 503, failure(503, 'Storage unavailable')],
    ['GET', 406, failure(406, 'Not acceptable: the Accept header must allow application/json')],
    ['POST', 400, failure(400, 'Invalid JSON body')],
  ]
  for (const [method, code, body] of cases) {
    const name = `${method} Authorize code=${code}`
    const res = await app.inject({ method, url: AUTHORIZE, headers: { api_key: DEMO_KEY, prefer: `code=${code}` } })
    t.equal(res.statusCode, code, name)
    t.equal(res.body, JSON.stringify(body), name)
    t.equal(res.headers['content-type'], JSON_TYPE, name)
    t.equal(res.headers['preference-applied'], `code=${code}`, name)
  }
})

t.test('Preference-Applied names the honoured preferences, code first', async (t) => {
  const app = await build(t)
  const cases: Array<[string, number, string]> = [
    ['code=404', 404, 'code=404'],
    ['code=200', 200, 'code=200'],
    ['delay=20', 200, 'delay=20'],
    ['code=200, delay=20', 200, 'code=200, delay=20'],
    ['delay=20, code=200', 200, 'code=200, delay=20'],
    ['code=404, delay=20', 404, 'code=404, delay=20'],
    ['code=404, delay=0', 404, 'code=404, delay=0'],
  ]
  for (const [prefer, status, applied] of cases) {
    const res = await getClient(app, prefer)
    t.equal(res.statusCode, status, prefer)
    t.equal(res.headers['preference-applied'], applied, prefer)
  }
})

t.test('code=200 (code=201 on POST) is the normal answer, normal checks included', async (t) => {
  const app = await build(t)
  const ok = await getClient(app, 'code=200')
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), OK_1024)

  const created = await app.inject({
    method: 'POST',
    url: '/v1/clients',
    headers: { api_key: DEMO_KEY, prefer: 'code=201', 'content-type': 'application/json' },
    payload: NEW_CLIENT,
  })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['preference-applied'], 'code=201')
  t.match(created.json(), { status: 'SUCCESS', client: { name: 'Prefer Test Client', email: 'prefer.test@example.com', address: null } })

  // A success code forces nothing: the usual checks still answer.
  const cases: Array<[string, string, Record<string, string>, number, string]> = [
    ['no api_key', GET_CLIENT, {}, 401, 'Missing api_key header'],
    ['inactive key', GET_CLIENT, { api_key: INACTIVE_KEY }, 403, 'Merchant API key is inactive'],
    ['absent client', '/v1/clients/999999', { api_key: DEMO_KEY }, 404, 'Client not found'],
  ]
  for (const [name, url, headers, status, description] of cases) {
    const res = await app.inject({ url, headers: { prefer: 'code=200', ...headers } })
    t.equal(res.statusCode, status, name)
    t.equal(res.body, JSON.stringify(failure(status, description)), name)
  }
  const authorize = await app.inject({ url: AUTHORIZE, headers: { prefer: 'code=200' } })
  t.equal(authorize.statusCode, 401, 'Authorize code=200 without a key')
  t.equal(authorize.body, '{"status":"ERROR","error":"Invalid API Key"}')
})

t.test('a code the route does not document is a 400 listing the documented ones', async (t) => {
  const app = await build(t)
  const cases: Array<['GET' | 'POST' | 'PUT' | 'DELETE', string, string, string]> = [
    ['GET', GET_CLIENT, 'code=418', 'Invalid Prefer header: code=418 is not documented for GET /v1/clients/:client_id; allowed: 200, 400, 401, 403, 404, 406, 414, 415, 500, 503'],
    ['GET', GET_CLIENT, 'code=201', 'Invalid Prefer header: code=201 is not documented for GET /v1/clients/:client_id; allowed: 200, 400, 401, 403, 404, 406, 414, 415, 500, 503'],
    ['GET', GET_CLIENT, 'code=302', 'Invalid Prefer header: code=302 is not documented for GET /v1/clients/:client_id; allowed: 200, 400, 401, 403, 404, 406, 414, 415, 500, 503'],
    ['GET', '/v1/clients', 'code=404', 'Invalid Prefer header: code=404 is not documented for GET /v1/clients; allowed: 200, 400, 401, 403, 406, 415, 500, 503'],
    ['POST', '/v1/clients', 'code=200', 'Invalid Prefer header: code=200 is not documented for POST /v1/clients; allowed: 201, 400, 401, 403, 406, 409, 413, 415, 500, 503'],
    ['PUT', GET_CLIENT, 'code=418', 'Invalid Prefer header: code=418 is not documented for PUT /v1/clients/:client_id; allowed: 200, 400, 401, 403, 404, 406, 409, 413, 414, 415, 500, 503'],
    ['DELETE', GET_CLIENT, 'code=200', 'Invalid Prefer header: code=200 is not documented for DELETE /v1/clients/:client_id; allowed: 204, 400, 401, 403, 404, 406, 413, 414, 415, 500, 503'],
    ['GET', AUTHORIZE, 'code=404', 'Invalid Prefer header: code=404 is not documented for GET /v1/Authorization/Authorize; allowed: 200, 400, 401, 403, 406, 415, 500, 503'],
  ]
  for (const [method, url, prefer, description] of cases) {
    const name = `${method} ${url} ${prefer}`
    const res = await app.inject({ method, url, headers: { api_key: DEMO_KEY, prefer } })
    t.equal(res.statusCode, 400, name)
    t.equal(res.body, JSON.stringify(failure(400, description)), name)
    t.equal(res.headers['preference-applied'], undefined, `${name}: nothing applied`)
  }
})

t.test('malformed code and delay values are a 400', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string]> = [
    ['code=abc', CODE_INVALID],
    ['code=4040', CODE_INVALID],
    ['code=', CODE_INVALID],
    ['code=99', CODE_INVALID],
    ['code=40', CODE_INVALID],
    ['code=600', CODE_INVALID],
    ['code=404.0', CODE_INVALID],
    ['code=-404', CODE_INVALID],
    ['delay=abc', DELAY_INVALID],
    ['delay=-1', DELAY_INVALID],
    ['delay=60001', DELAY_INVALID],
    ['delay=', DELAY_INVALID],
    ['delay=1.5', DELAY_INVALID],
    ['delay=1e3', DELAY_INVALID],
    // A bad value spoils the whole header, even next to a good one.
    ['code=404, delay=abc', DELAY_INVALID],
    ['delay=10, code=abc', CODE_INVALID],
  ]
  for (const [prefer, description] of cases) {
    const res = await getClient(app, prefer)
    t.equal(res.statusCode, 400, prefer)
    t.equal(res.body, JSON.stringify(failure(400, description)), prefer)
    t.equal(res.headers['preference-applied'], undefined, `${prefer}: nothing applied`)
  }
  // The bounds themselves are fine (delay=60000 is not sent: the test would wait a minute).
  for (const prefer of ['delay=0', 'code=200, delay=1']) {
    const res = await getClient(app, prefer)
    t.equal(res.statusCode, 200, prefer)
  }
})

t.test('unknown preferences are ignored (RFC 7240)', async (t) => {
  const app = await build(t)
  for (const prefer of ['return=minimal', 'return=representation', 'respond-async', 'wait=10', 'handling=strict', 'codes=404', 'x-code=404', '', ',;']) {
    const res = await getClient(app, prefer)
    t.equal(res.statusCode, 200, JSON.stringify(prefer))
    t.same(res.json(), OK_1024, JSON.stringify(prefer))
    t.equal(res.headers['preference-applied'], undefined, `${JSON.stringify(prefer)}: nothing applied`)
  }
})

t.test('syntax: quotes, ; and , separators, any case, two Prefer headers', async (t) => {
  const app = await build(t)
  const cases: Array<[string | string[], string]> = [
    ['code="404"', 'code=404'],
    ['CODE=404', 'code=404'],
    ['Code=404', 'code=404'],
    [' code = 404 ', 'code=404'],
    ['return=minimal; code=404', 'code=404'],
    ['return=minimal, code=404', 'code=404'],
    ['respond-async, code=404', 'code=404'],
    ['code=404;delay=10', 'code=404, delay=10'],
    ['code=404,delay=10', 'code=404, delay=10'],
    ['code="404"; DELAY="10"', 'code=404, delay=10'],
    [['return=minimal', 'code=404'], 'code=404'],
    [['code=404', 'delay=10'], 'code=404, delay=10'],
  ]
  for (const [prefer, applied] of cases) {
    const name = JSON.stringify(prefer)
    const res = await getClient(app, prefer)
    t.equal(res.statusCode, 404, name)
    t.equal(res.body, JSON.stringify(failure(404, 'Client not found')), name)
    t.equal(res.headers['preference-applied'], applied, name)
  }
  // The header's own name is case-insensitive too.
  const upper = await app.inject({ url: GET_CLIENT, headers: { api_key: DEMO_KEY, PREFER: 'code=503' } })
  t.equal(upper.statusCode, 503, 'PREFER: code=503')
})

t.test('delay=150 waits at least that long, then answers normally', async (t) => {
  const app = await build(t)
  const started = performance.now()
  const res = await getClient(app, 'delay=150')
  const elapsed = performance.now() - started
  t.ok(elapsed >= 140, `elapsed ${Math.round(elapsed)} ms ≥ 140 ms`)
  t.equal(res.statusCode, 200)
  t.same(res.json(), OK_1024)
  t.equal(res.headers['preference-applied'], 'delay=150')

  // With a code, the forced answer is delayed too.
  const forcedStart = performance.now()
  const forced = await getClient(app, 'code=503, delay=150')
  const forcedElapsed = performance.now() - forcedStart
  t.ok(forcedElapsed >= 140, `elapsed ${Math.round(forcedElapsed)} ms ≥ 140 ms`)
  t.equal(forced.statusCode, 503)
  t.equal(forced.body, JSON.stringify(failure(503, 'Storage unavailable')))
})

t.test('forced errors apply before auth, media types and params', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, Record<string, string>, number, string]> = [
    ['no api_key', GET_CLIENT, { prefer: 'code=404' }, 404, 'Client not found'],
    ['an unknown key', GET_CLIENT, { api_key: 'not-a-key', prefer: 'code=503' }, 503, 'Storage unavailable'],
    ['an inactive key', GET_CLIENT, { api_key: INACTIVE_KEY, prefer: 'code=500' }, 500, 'Internal server error'],
    ['a bad Content-Type', GET_CLIENT, { api_key: DEMO_KEY, 'content-type': 'text/plain', prefer: 'code=404' }, 404, 'Client not found'],
    ['a bad Accept', GET_CLIENT, { api_key: DEMO_KEY, accept: 'text/html', prefer: 'code=503' }, 503, 'Storage unavailable'],
    ['a bad client_id', '/v1/clients/abc', { api_key: DEMO_KEY, prefer: 'code=404' }, 404, 'Client not found'],
    ['an absent client', '/v1/clients/999999', { api_key: DEMO_KEY, prefer: 'code=403' }, 403, 'Merchant API key is inactive'],
  ]
  for (const [name, url, headers, status, description] of cases) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, status, name)
    t.equal(res.body, JSON.stringify(failure(status, description)), name)
  }
  // A malformed Prefer is reported before a missing key, too.
  const bad = await app.inject({ url: GET_CLIENT, headers: { prefer: 'code=abc' } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.body, JSON.stringify(failure(400, CODE_INVALID)))
})

t.test('Prefer never affects other requests', async (t) => {
  const app = await build(t)
  const forced = await getClient(app, 'code=503')
  t.equal(forced.statusCode, 503)
  const next = await app.inject({ url: GET_CLIENT, headers: { api_key: DEMO_KEY } })
  t.equal(next.statusCode, 200, 'the next request without Prefer is normal')
  t.same(next.json(), OK_1024)
  t.equal(next.headers['preference-applied'], undefined)
  const afterBad = await getClient(app, 'code=abc')
  t.equal(afterBad.statusCode, 400)
  const again = await app.inject({ url: GET_CLIENT, headers: { api_key: DEMO_KEY } })
  t.equal(again.statusCode, 200, 'nor does a rejected Prefer linger')
})

t.test('unknown routes, 405s, /__admin and /health ignore Prefer', async (t) => {
  const app = await build(t)
  const cases: Array<[HTTPMethods, string, Record<string, string>, number, object]> = [
    ['GET', '/v1/nope', { api_key: DEMO_KEY, prefer: 'code=500' }, 404, failure(404, 'Route GET /v1/nope not found')],
    ['GET', '/v1/nope', { prefer: 'code=abc' }, 404, failure(404, 'Route GET /v1/nope not found')],
    ['GET', '/v1', { prefer: 'code=503' }, 404, failure(404, 'Route GET /v1 not found')],
    ['PATCH', GET_CLIENT, { api_key: DEMO_KEY, prefer: 'code=404' }, 405, failure(405, 'Method PATCH not allowed; this route allows GET, HEAD, PUT, DELETE')],
    ['OPTIONS', '/v1/clients', { prefer: 'delay=abc' }, 405, failure(405, 'Method OPTIONS not allowed; this route allows GET, HEAD, POST')],
    ['GET', '/health', { prefer: 'code=503' }, 200, { status: 'ok' }],
    ['GET', '/health', { prefer: 'code=abc' }, 200, { status: 'ok' }],
  ]
  for (const [method, url, headers, status, body] of cases) {
    const name = `${method} ${url} ${headers.prefer ?? ''}`
    const res = await app.inject({ method, url, headers })
    t.equal(res.statusCode, status, name)
    t.same(res.json(), body, name)
    t.equal(res.headers['preference-applied'], undefined, `${name}: nothing applied`)
  }
  const admin = await app.inject({ url: '/__admin/state', headers: { prefer: 'code=500' } })
  t.equal(admin.statusCode, 200, 'GET /__admin/state code=500')
  t.match(admin.json(), { totals: { merchants: 2 } })
  t.equal(admin.headers['preference-applied'], undefined)
})

t.test('PREFER_ENABLED=false: the header is ignored completely', async (t) => {
  const app = await build(t, { PREFER_ENABLED: false })
  for (const prefer of ['code=404', 'code=503, delay=20', 'code=418', 'code=abc', 'delay=-1', 'delay=60001']) {
    const res = await getClient(app, prefer)
    t.equal(res.statusCode, 200, prefer)
    t.same(res.json(), OK_1024, prefer)
    t.equal(res.headers['preference-applied'], undefined, `${prefer}: nothing applied`)
  }
  const unauthenticated = await app.inject({ url: GET_CLIENT, headers: { prefer: 'code=404' } })
  t.equal(unauthenticated.statusCode, 401, 'no forced error before auth either')
  t.equal(unauthenticated.body, JSON.stringify(failure(401, 'Missing api_key header')))
  const authorize = await app.inject({ url: AUTHORIZE, headers: { api_key: DEMO_KEY, prefer: 'code=401' } })
  t.equal(authorize.statusCode, 200, 'Authorize ignores it too')
  t.equal(authorize.json().success, true)
})

t.test('over a real socket, a forced 503 arrives intact', async (t) => {
  const { port } = await listen(t)
  const res = await httpGet(port, GET_CLIENT, { api_key: DEMO_KEY, prefer: 'code=503' })
  t.equal(res.status, 503)
  t.equal(res.body, '{"status":"FAILURE","error":{"error_code":"503","description":"Storage unavailable"}}')
  const next = await httpGet(port, GET_CLIENT, { api_key: DEMO_KEY })
  t.equal(next.status, 200, 'the next request on the same server is normal')
})
