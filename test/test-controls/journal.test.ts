// The request journal and x-request-id (CONTRACT §5): what GET /__admin/requests records
// for /v1 (and only /v1), that no key, token or cookie ever enters it, bodies and their limit,
// the filters, the ring bound and its clearing, and the request id on every answer.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, DEMO_KEY, failure, INACTIVE_KEY } from '../helper.js'

// genReqId's fresh ids are randomUUID()s: lower-case v4.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

interface Entry {
  id: string
  time: string
  method: string
  url: string
  path: string
  status: number | null
  duration_ms: number
  merchant_id: number | null
  auth: string | null
  api_key: string | null
  headers: Record<string, string>
  body: unknown
  body_truncated: boolean
  fault_id: number | null
  prefer: string | null
  delay_ms: number
}

interface JournalBody { size: number, recorded: number, requests: Entry[] }

async function journal (app: FastifyInstance, query = ''): Promise<JournalBody> {
  const res = await app.inject({ url: `/__admin/requests${query}` })
  if (res.statusCode !== 200) throw new Error(`GET /__admin/requests${query} answered ${res.statusCode}: ${res.body}`)
  return res.json()
}

/** One request; `id` is sent as x-request-id so the journal can be read by name. */
async function send (app: FastifyInstance, method: Method, url: string, headers: Record<string, string> = {}, payload?: unknown): Promise<{ status: number, id: string }> {
  const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) })
  return { status: res.statusCode, id: String(res.headers['x-request-id']) }
}

t.test('every /v1 request is recorded, whatever its answer; /__admin, /health and /documentation are not', async (t) => {
  const app = await build(t)
  const cases: Array<[Method, string, Record<string, string>, number, boolean]> = [
    ['GET', '/v1/clients/1024', { api_key: DEMO_KEY }, 200, true],
    ['GET', '/v1/clients/1024', {}, 401, true],
    ['GET', '/v1/clients/999999', { api_key: DEMO_KEY }, 404, true],
    ['GET', '/v1/nothing', { api_key: DEMO_KEY }, 404, true], // unknown /v1 route
    ['PATCH', '/v1/clients/1024', { api_key: DEMO_KEY }, 405, true],
    ['GET', '/v1', {}, 404, true],
    ['GET', '/__admin/state', {}, 200, false],
    ['GET', '/__admin/nothing', {}, 404, false],
    ['GET', '/health', {}, 200, false],
    ['GET', '/documentation/json', {}, 200, false],
    ['GET', '/v10/clients/1024', {}, 404, false], // a prefix of /v1 but not /v1
  ]
  const expected: Array<[string, string, number]> = []
  for (const [method, url, headers, status, recorded] of cases) {
    const res = await send(app, method, url, headers)
    t.equal(res.status, status, `${method} ${url}`)
    if (recorded) expected.unshift([res.id, `${method} ${url}`, status])
  }
  const body = await journal(app)
  t.equal(body.size, 1000, 'the default JOURNAL_SIZE')
  t.equal(body.recorded, expected.length)
  t.same(body.requests.map((e) => [e.id, `${e.method} ${e.url}`, e.status]), expected, 'newest first, /v1 only')
})

t.test('a full entry: a GET of client 1024 with the demo key', async (t) => {
  const app = await build(t)
  const before = Date.now()
  const res = await app.inject({
    url: '/v1/clients/1024?page=1',
    headers: { api_key: DEMO_KEY, 'user-agent': 'journal-test/1', accept: 'application/json', 'x-custom': 'kept as sent' },
  })
  const after = Date.now()
  t.equal(res.statusCode, 200)
  const body = await journal(app)
  t.same(Object.keys(body), ['size', 'recorded', 'requests'])
  t.equal(body.recorded, 1)
  const entry = body.requests[0] as Entry
  const { time, duration_ms: duration, ...rest } = entry
  t.same(rest, {
    id: res.headers['x-request-id'],
    method: 'GET',
    url: '/v1/clients/1024?page=1',
    path: '/v1/clients/1024',
    status: 200,
    merchant_id: 1,
    auth: 'api_key',
    api_key: '****91C9',
    // The key is masked; every other header is kept as sent (inject adds host).
    headers: { api_key: '****91C9', 'user-agent': 'journal-test/1', accept: 'application/json', 'x-custom': 'kept as sent', host: 'localhost:80' },
    body: null,
    body_truncated: false,
    fault_id: null,
    prefer: null,
    delay_ms: 0,
  })
  t.match(entry.id, UUID)
  t.same(Object.keys(entry), ['id', 'time', 'method', 'url', 'path', 'status', 'duration_ms', 'merchant_id', 'auth', 'api_key', 'headers', 'body', 'body_truncated', 'fault_id', 'prefer', 'delay_ms'])
  t.match(time, ISO)
  const at = Date.parse(time)
  t.ok(at >= before - 5 && at <= after + 5, `time ${time} is when the request arrived`)
  t.type(duration, 'number')
  t.ok(duration >= 0, 'duration_ms ≥ 0')
})

t.test('the journal never holds a whole key, token or cookie', async (t) => {
  const app = await build(t)
  const UNKNOWN_KEY = 'DEADBEEF-0000-4000-8000-00000000CAFE'
  const SHORT_KEY = 'abc'
  const COOKIE = 'session=COOKIE-SECRET-42'
  const QUERY_SECRET = 'QUERY-SECRET-77'
  const authorize = await app.inject({ url: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY, 'x-request-id': 'authorize' } })
  t.equal(authorize.statusCode, 200)
  const token = authorize.json().bearer_token as string
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/)

  // Fixed request ids: no random hex in the journal to collide with the short key "abc".
  const cases: Array<[string, string, Record<string, string>, number, Partial<Entry>]> = [
    ['demo key', '/v1/clients/1024', { api_key: DEMO_KEY }, 200, { auth: 'api_key', api_key: '****91C9', merchant_id: 1 }],
    ['inactive key', '/v1/clients/1024', { api_key: INACTIVE_KEY }, 403, { auth: 'api_key', api_key: '****2B10', merchant_id: null }],
    ['unknown key', '/v1/clients/1024', { api_key: UNKNOWN_KEY }, 401, { auth: 'api_key', api_key: '****CAFE' }],
    ['short key', '/v1/clients/1024', { api_key: SHORT_KEY }, 401, { auth: 'api_key', api_key: '****', headers: { api_key: '****' } }],
    ['bearer', '/v1/clients/1024', { authorization: `Bearer ${token}` }, 200, { auth: 'bearer', api_key: null, merchant_id: 1, headers: { authorization: 'Bearer ****' } }],
    ['cookie', '/v1/clients/1024', { api_key: DEMO_KEY, cookie: COOKIE }, 200, { headers: { cookie: '****' } }],
    ['query', `/v1/clients?api_key=${QUERY_SECRET}&page=1`, {}, 401, { auth: null, api_key: null, url: '/v1/clients?api_key=****&page=1', path: '/v1/clients' }],
  ]
  for (const [label, url, headers, status] of cases) {
    t.equal((await send(app, 'GET', url, { ...headers, 'x-request-id': label.replace(' ', '-') })).status, status, label)
  }
  const res = await app.inject({ url: '/__admin/requests' })
  const text = res.body
  const byId = new Map((res.json() as JournalBody).requests.map((e) => [e.id, e]))
  for (const [label, , , , expected] of cases) t.match(byId.get(label.replace(' ', '-')), expected, `${label}: recorded masked`)
  t.equal(byId.get('authorize')?.api_key, '****91C9', 'the Authorize call is recorded masked too')

  const secrets: Array<[string, string]> = [
    ['demo key', DEMO_KEY],
    ['inactive key', INACTIVE_KEY],
    ['unknown key', UNKNOWN_KEY],
    ['short key', SHORT_KEY],
    ['bearer token', token],
    ['bearer token signature', token.split('.')[2] as string],
    ['cookie', 'COOKIE-SECRET-42'],
    ['api_key in the query', QUERY_SECRET],
  ]
  for (const [label, secret] of secrets) t.notOk(text.includes(secret), `${label} is nowhere in GET /__admin/requests`)
})

// A Cookie's first name=value pair is the secret: only Authorization keeps its scheme word.
t.test('a credential header with spaces is masked whole', async (t) => {
  const app = await build(t)
  // Browsers and cookie jars send every cookie in one header, "; "-separated: the first one leaks.
  const cases: Array<[string, Record<string, string>, string]> = [
    ['cookie', { cookie: 'session=COOKIE-SECRET-1; theme=dark' }, 'COOKIE-SECRET-1'],
    ['x-admin-token', { 'x-admin-token': 'ADMIN-SECRET-2 extra' }, 'ADMIN-SECRET-2'],
  ]
  for (const [, headers] of cases) await send(app, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY, ...headers })
  const text = (await app.inject({ url: '/__admin/requests' })).body
  for (const [label, , secret] of cases) t.notOk(text.includes(secret), `${label}: no part of its value is journaled`)
})

// Keys sent where the mock does not look for them are still credentials: under another header
// name, in a %-encoded query name, or in a JSON body (Authorize ignores its body).
t.test('credentials under other names, encodings and in bodies are masked too', async (t) => {
  const app = await build(t)
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['x-api-key header', async () => await send(app, 'GET', '/v1/clients/1024', { 'x-api-key': 'XKEY-SECRET-0001' }), 'XKEY-SECRET-0001'],
    ['%-encoded api_key query name', async () => await app.inject({ url: '/v1/clients/1024?api%5Fkey=QKEY-SECRET-0002', headers: { api_key: DEMO_KEY } }), 'QKEY-SECRET-0002'],
    ['access_token query', async () => await app.inject({ url: '/v1/clients?access_token=QTOKEN-SECRET-3', headers: { api_key: DEMO_KEY } }), 'QTOKEN-SECRET-3'],
    ['api_key in an Authorize body', async () => await app.inject({ method: 'POST', url: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY }, payload: { api_key: 'BODYKEY-SECRET-0004' } }), 'BODYKEY-SECRET-0004'],
    ['nested password in a body', async () => await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: DEMO_KEY }, payload: { name: 'Pw', meta: { password: 'PW-SECRET-5' } } }), 'PW-SECRET-5'],
    ['keys in an array and an object', async () => await app.inject({ method: 'PUT', url: '/v1/clients/1024', headers: { api_key: DEMO_KEY }, payload: { name: 'Arr', api_key: ['ARRAY-SECRET-6'], auth: { bearer: 'OBJECT-SECRET-7' } } }), 'ARRAY-SECRET-6'],
    ['the object one', async () => {}, 'OBJECT-SECRET-7'],
  ]
  for (const [, run] of cases) await run()
  const text = (await app.inject({ url: '/__admin/requests' })).body
  for (const [label, , secret] of cases) t.notOk(text.includes(secret), `${label}: the value is not journaled`)
  const [put] = (await app.inject({ url: '/__admin/requests?method=PUT' })).json().requests
  t.same(put.body, { name: 'Arr', api_key: '****', auth: '****' }, 'credential-like fields are masked whatever their type')
  const [nested, authorize] = (await app.inject({ url: '/__admin/requests?method=POST' })).json().requests
  t.same(authorize.body, { api_key: '****0004' }, 'an api_key field keeps its last 4 characters, like the header')
  t.same(nested.body, { name: 'Pw', meta: { password: '****' } })
})

t.test('writes keep their JSON body, up to 4096 characters; reads have none', async (t) => {
  const app = await build(t)
  const client = { name: 'Journal Client', address: 'Pearl, Doha', phone: '+974 5555 0101', email: 'journal@example.com', notes: 'from the journal test' }
  // notes is capped at 2000 characters, so a big body uses an unknown field (ignored by the route).
  const exactly4096 = { name: 'Edge', extra: 'x'.repeat(4096 - JSON.stringify({ name: 'Edge', extra: '' }).length) }
  const over4096 = { name: 'Big', extra: 'y'.repeat(5000) }
  t.equal(JSON.stringify(exactly4096).length, 4096)
  const cases: Array<[string, Method, string, unknown, number, unknown, boolean]> = [
    ['create', 'POST', '/v1/clients', client, 201, client, false],
    ['update', 'PUT', '/v1/clients/1025', { name: 'Renamed' }, 200, { name: 'Renamed' }, false],
    ['invalid body', 'POST', '/v1/clients', { name: 42 }, 400, { name: 42 }, false],
    ['exactly 4096', 'POST', '/v1/clients', exactly4096, 201, exactly4096, false],
    ['over 4096', 'POST', '/v1/clients', over4096, 201, JSON.stringify(over4096).slice(0, 4096), true],
    ['no body', 'DELETE', '/v1/clients/1025', undefined, 204, null, false],
    ['read', 'GET', '/v1/clients/1024', undefined, 200, null, false],
  ]
  for (const [label, method, url, payload, status] of cases) {
    t.equal((await send(app, method, url, { api_key: DEMO_KEY, 'x-request-id': label.replace(/ /g, '-') }, payload)).status, status, label)
  }
  const byId = new Map((await journal(app)).requests.map((e) => [e.id, e]))
  for (const [label, , , , , body, truncated] of cases) {
    const entry = byId.get(label.replace(/ /g, '-'))
    t.same(entry?.body, body, `${label}: body`)
    t.equal(entry?.body_truncated, truncated, `${label}: body_truncated`)
  }
  t.equal((byId.get('over-4096')?.body as string).length, 4096, 'a truncated body is a 4096-character string')
})

t.test('filters: method, path (exact or pattern), status (exact or class), limit', async (t) => {
  const app = await build(t)
  const requests: Array<[string, Method, string, Record<string, string>, unknown, number]> = [
    ['r1', 'GET', '/v1/clients/1024', { api_key: DEMO_KEY }, undefined, 200],
    ['r2', 'GET', '/v1/clients/999999', { api_key: DEMO_KEY }, undefined, 404],
    ['r3', 'GET', '/v1/clients?page=1', { api_key: DEMO_KEY }, undefined, 200],
    ['r4', 'POST', '/v1/clients', { api_key: DEMO_KEY }, { name: 'Filtered' }, 201],
    ['r5', 'GET', '/v1/clients/1024', {}, undefined, 401],
    ['r6', 'DELETE', '/v1/nothing', { api_key: DEMO_KEY }, undefined, 404],
    ['r7', 'PATCH', '/v1/clients/1024', { api_key: DEMO_KEY }, undefined, 405],
  ]
  for (const [id, method, url, headers, payload, status] of requests) {
    t.equal((await send(app, method, url, { ...headers, 'x-request-id': id }, payload)).status, status, id)
  }
  const cases: Array<[string, string[]]> = [
    ['', ['r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']],
    ['?method=GET', ['r5', 'r3', 'r2', 'r1']],
    ['?method=get', ['r5', 'r3', 'r2', 'r1']], // case-insensitive
    ['?method=Post', ['r4']],
    ['?method=PUT', []],
    ['?path=/v1/clients', ['r4', 'r3']], // the path, without the query string
    ['?path=/v1/clients/1024', ['r7', 'r5', 'r1']],
    ['?path=/v1/clients/:client_id', ['r7', 'r5', 'r2', 'r1']],
    ['?path=/v1/*', ['r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']],
    ['?path=/v1/nothing', ['r6']],
    ['?status=404', ['r6', 'r2']],
    ['?status=4xx', ['r7', 'r6', 'r5', 'r2']],
    ['?status=2xx', ['r4', 'r3', 'r1']],
    ['?status=201', ['r4']],
    ['?status=5xx', []],
    ['?limit=2', ['r7', 'r6']],
    ['?limit=100000', ['r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']],
    ['?method=get&status=4xx', ['r5', 'r2']],
    ['?path=/v1/clients/:client_id&status=2xx&limit=1', ['r1']],
  ]
  for (const [query, ids] of cases) {
    const body = await journal(app, query)
    t.same(body.requests.map((e) => e.id), ids, query || '(no filter)')
    t.equal(body.recorded, 7, `${query}: recorded counts every request, not the filtered ones`)
  }
})

t.test('invalid journal queries answer the 400 envelope', async (t) => {
  const app = await build(t)
  const pattern = 'Invalid query field status: must match pattern "^[1-5]([0-9]{2}|xx)$"'
  const cases: Array<[string, object]> = [
    ['status=abc', failure(400, pattern)],
    ['status=600', failure(400, pattern)],
    ['status=4x', failure(400, pattern)],
    ['status=4XX', failure(400, pattern)],
    ['limit=0', failure(400, 'Invalid query field limit: must be >= 1')],
    ['limit=100001', failure(400, 'Invalid query field limit: must be <= 100000')],
    ['limit=x', failure(400, 'Invalid query field limit: must be integer')],
    ['method=G1', failure(400, 'Invalid query field method: must match pattern "^[A-Za-z]{1,20}$"')],
    ['path=', failure(400, 'Invalid query field path: must NOT have fewer than 1 characters')],
  ]
  for (const [query, body] of cases) {
    const res = await app.inject({ url: `/__admin/requests?${query}` })
    t.equal(res.statusCode, 400, query)
    t.same(res.json(), body, query)
  }
})

// Known bug: a typo'd filter silently returns the whole journal, so a test asserting "no 500s" passes.

t.test('an unknown journal query field is a 400, not silently ignored', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/__admin/requests?stauts=500' })
  t.equal(res.statusCode, 400, 'status')
  t.same(res.json(), failure(400, 'Invalid query: unknown field stauts'), 'body')
})

t.test('the journal is a ring of JOURNAL_SIZE entries; DELETE and reset empty it', async (t) => {
  const app = await build(t, { JOURNAL_SIZE: 3 })
  for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await send(app, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY, 'x-request-id': id })
  let body = await journal(app)
  t.same([body.size, body.recorded], [3, 5], 'recorded counts the overwritten ones too')
  t.same(body.requests.map((e) => e.id), ['a5', 'a4', 'a3'], 'only the newest 3, newest first')

  const del = await app.inject({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  t.same(await journal(app), { size: 3, recorded: 0, requests: [] })

  // The ring starts over cleanly after a clear.
  for (const id of ['b1', 'b2', 'b3', 'b4']) await send(app, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY, 'x-request-id': id })
  body = await journal(app)
  t.same([body.recorded, body.requests.map((e) => e.id)], [4, ['b4', 'b3', 'b2']])

  const reset = await app.inject({ method: 'POST', url: '/__admin/reset' })
  t.equal(reset.statusCode, 200)
  t.same(await journal(app), { size: 3, recorded: 0, requests: [] }, 'POST /__admin/reset empties it too')
})

t.test('JOURNAL_SIZE 0 records nothing; with /__admin disabled there is no journal to read', async (t) => {
  const off = await build(t, { JOURNAL_SIZE: 0 })
  t.equal((await send(off, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY })).status, 200)
  t.same(await journal(off), { size: 0, recorded: 0, requests: [] })

  const disabled = await build(t, { ADMIN_ENABLED: false })
  t.equal((await send(disabled, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY })).status, 200, '/v1 still answers')
  for (const method of ['GET', 'DELETE'] as const) {
    const res = await disabled.inject({ method, url: '/__admin/requests' })
    t.equal(res.statusCode, 404, method)
    t.same(res.json(), failure(404, `Route ${method} /__admin/requests not found`), method)
  }
})

t.test('x-request-id: on every answer; the caller\'s is echoed and journaled when sane', async (t) => {
  const app = await build(t)
  const everywhere: Array<[Method, string, Record<string, string>, number]> = [
    ['GET', '/v1/clients/1024', { api_key: DEMO_KEY }, 200],
    ['GET', '/v1/clients/1024', {}, 401],
    ['GET', '/v1/nothing', {}, 404],
    ['PATCH', '/v1/clients/1024', {}, 405],
    ['GET', '/health', {}, 200],
    ['GET', '/__admin/state', {}, 200],
    ['GET', '/__admin/nothing', {}, 404],
  ]
  for (const [method, url, headers, status] of everywhere) {
    const res = await app.inject({ method, url, headers })
    t.equal(res.statusCode, status, `${method} ${url}`)
    t.match(res.headers['x-request-id'], UUID, `${method} ${url}: a fresh UUID`)
  }

  const max = 'i'.repeat(200)
  const cases: Array<[string, string, boolean]> = [
    ['a sane id', 'my-trace-1', true],
    ['200 characters', max, true],
    ['201 characters', max + 'i', false],
    ['a space', 'my trace', false],
    ['a tab', 'my\ttrace', false],
  ]
  for (const [label, given, echoed] of cases) {
    const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY, 'x-request-id': given } })
    const id = String(res.headers['x-request-id'])
    if (echoed) t.equal(id, given, `${label}: echoed`)
    else t.match(id, UUID, `${label}: replaced by a fresh UUID`)
    t.equal((await journal(app, '?limit=1')).requests[0]?.id, id, `${label}: the journal id is the answer's`)
  }

  const [a, b] = [await send(app, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY }), await send(app, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY })]
  t.not(a.id, b.id, 'two requests without one get different ids')
})

t.test('Prefer, faults and delays are marked on their entries', async (t) => {
  const app = await build(t)
  const prefer = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY, prefer: 'code=404', 'x-request-id': 'prefer-404' } })
  t.equal(prefer.statusCode, 404)
  t.same(prefer.json(), failure(404, 'Client not found'), 'the route\'s documented 404')
  t.equal(prefer.headers['preference-applied'], 'code=404')

  t.equal((await send(app, 'GET', '/v1/clients/1024', { api_key: DEMO_KEY, prefer: 'delay=20', 'x-request-id': 'prefer-delay' })).status, 200)

  const fault = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { path: '/v1/clients/:client_id', status: 503, times: 1 } })
  t.equal(fault.statusCode, 201)
  const faulted = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY, 'x-request-id': 'fault-503' } })
  t.same(faulted.json(), failure(503, 'Storage unavailable'))

  const byId = new Map((await journal(app)).requests.map((e) => [e.id, e]))
  const cases: Array<[string, Partial<Entry>]> = [
    ['prefer-404', { status: 404, prefer: 'code=404', fault_id: null, delay_ms: 0 }],
    ['prefer-delay', { status: 200, prefer: 'delay=20', fault_id: null, delay_ms: 20 }],
    ['fault-503', { status: 503, prefer: null, fault_id: fault.json().id, delay_ms: 0 }],
  ]
  for (const [id, expected] of cases) t.match(byId.get(id), expected, id)
  t.ok((byId.get('prefer-delay')?.duration_ms ?? 0) >= 19, 'the delay is in duration_ms')
})
