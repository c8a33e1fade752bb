// Configured faults (CONTRACT §5): the /__admin/faults API, its validation, how a fault
// matches and answers /v1 requests (status, delay, reset, times, seeded probability), global
// latency, shutdown during a delay, reset and the admin token. Every body is a literal.
import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, CLIENT_1024, DEMO_KEY, failure, httpGet, listen } from '../helper.js'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const OK_1024 = { status: 'SUCCESS', client: CLIENT_1024 }
const KEY = { api_key: DEMO_KEY }

async function addFault (app: FastifyInstance, body: object, headers: Record<string, string> = {}): Promise<{ status: number, json: any }> {
  const res = await app.inject({ method: 'POST', url: '/__admin/faults', payload: body, headers })
  return { status: res.statusCode, json: res.json() }
}

async function listFaults (app: FastifyInstance): Promise<any> {
  return (await app.inject({ url: '/__admin/faults' })).json()
}

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = KEY): Promise<{ status: number, json: any }> {
  const res = await app.inject({ url, headers })
  return { status: res.statusCode, json: res.statusCode === 204 || res.body === '' ? null : res.json() }
}

/** A fault as POST /__admin/faults and GET /__admin/faults give it, created_at checked then dropped. */
function withoutCreatedAt (t: Test, fault: Record<string, unknown>): Record<string, unknown> {
  t.match(fault.created_at, ISO, 'created_at is an ISO timestamp')
  t.ok(Number.isFinite(Date.parse(fault.created_at as string)), 'created_at parses')
  const { created_at: _createdAt, ...rest } = fault
  return rest
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('POST /__admin/faults answers 201 with the whole fault; GET lists it with the seed; DELETE removes', async (t) => {
  const app = await build(t, { FAULT_SEED: 1234 })

  // Every field defaulted except path and status; the method is uppercased.
  const a = await addFault(app, { method: 'get', path: '/v1/clients/:client_id', status: 503 })
  t.equal(a.status, 201)
  const faultA = {
    id: 1,
    method: 'GET',
    path: '/v1/clients/:client_id',
    status: 503,
    delay_ms: 0,
    jitter_ms: 0,
    probability: 1,
    times: null,
    connection: null,
    hits: 0,
    remaining: null,
  }
  t.same(withoutCreatedAt(t, a.json), faultA)
  t.same(Object.keys(a.json).sort(), [...Object.keys(faultA), 'created_at'].sort(), 'no other fields')

  // Every field given.
  const b = await addFault(app, { method: 'Post', path: '/v1/clients', status: 500, delay_ms: 10, jitter_ms: 5, probability: 0.25, times: 3 })
  t.equal(b.status, 201)
  const faultB = {
    id: 2,
    method: 'POST',
    path: '/v1/clients',
    status: 500,
    delay_ms: 10,
    jitter_ms: 5,
    probability: 0.25,
    times: 3,
    connection: null,
    hits: 0,
    remaining: 3,
  }
  t.same(withoutCreatedAt(t, b.json), faultB)

  // No method: every method (null); a reset takes no status.
  const c = await addFault(app, { path: '/v1/*', connection: 'reset', times: 1 })
  t.equal(c.status, 201)
  const faultC = {
    id: 3,
    method: null,
    path: '/v1/*',
    status: null,
    delay_ms: 0,
    jitter_ms: 0,
    probability: 1,
    times: 1,
    connection: 'reset',
    hits: 0,
    remaining: 1,
  }
  t.same(withoutCreatedAt(t, c.json), faultC)

  // A delay alone and a jitter alone are effects too.
  const d = await addFault(app, { path: '/v1/clients/1025', delay_ms: 1 })
  t.equal(d.status, 201)
  t.equal(d.json.id, 4)
  const e = await addFault(app, { path: '/v1/clients/1025', jitter_ms: 1 })
  t.equal(e.status, 201)
  t.equal(e.json.id, 5)

  const list = await listFaults(app)
  t.same(Object.keys(list), ['seed', 'faults'])
  t.equal(list.seed, 1234, 'the seed is controls.faultSeed')
  t.same(list.faults.map((f: Record<string, unknown>) => withoutCreatedAt(t, f)).slice(0, 3), [faultA, faultB, faultC], 'in creation order')
  t.equal(list.faults[0].created_at, a.json.created_at, 'the list shows the same created_at')

  const del = await app.inject({ method: 'DELETE', url: '/__admin/faults/2' })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '', '204 has no body')
  t.same((await listFaults(app)).faults.map((f: { id: number }) => f.id), [1, 3, 4, 5])

  // Unknown (or already deleted) ids, and ids that are not positive integers.
  const cases: Array<[string, number, object]> = [
    ['/__admin/faults/2', 404, failure(404, 'Fault not found')],
    ['/__admin/faults/99', 404, failure(404, 'Fault not found')],
    ['/__admin/faults/abc', 400, failure(400, 'Invalid params field id: must be integer')],
    ['/__admin/faults/0', 400, failure(400, 'Invalid params field id: must be >= 1')],
  ]
  for (const [url, status, body] of cases) {
    const res = await app.inject({ method: 'DELETE', url })
    t.equal(res.statusCode, status, `DELETE ${url}`)
    t.same(res.json(), body, `DELETE ${url}`)
  }

  const all = await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  t.equal(all.statusCode, 204)
  t.equal(all.body, '')
  t.same(await listFaults(app), { seed: 1234, faults: [] })
  t.same(await get(app, '/v1/clients/1024'), { status: 200, json: OK_1024 }, 'no fault left')

  // Ids keep counting after a clear: an old id never names a new fault.
  t.equal((await addFault(app, { path: '/v1/*', status: 500 })).json.id, 6)
})

t.test('POST /__admin/faults rejects bad bodies with a 400 naming the problem', async (t) => {
  const app = await build(t)
  const cases: Array<[unknown, string]> = [
    [{ status: 503 }, 'Invalid body: path is required'],
    [{ path: '/clients/1', status: 503 }, 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/ (or /api/v1/)'],
    [{ path: '/v1', status: 503 }, 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/ (or /api/v1/)'],
    [{ path: '/__admin/*', status: 503 }, 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/ (or /api/v1/)'],
    [{ path: '/', status: 503 }, 'Invalid body field path: must NOT have fewer than 2 characters'],
    [{ path: 42, status: 503 }, 'Invalid body field path: must be string'],
    [{ path: '/v1/' + 'a'.repeat(1997), status: 503 }, 'Invalid body field path: must NOT have more than 2000 characters'],
    [{ path: '/v1/*' }, 'Invalid body: a fault needs status, delay_ms, jitter_ms or connection'],
    [{ path: '/v1/*', delay_ms: 0, jitter_ms: 0, times: 3 }, 'Invalid body: a fault needs status, delay_ms, jitter_ms or connection'],
    [{ path: '/v1/*', status: 503, connection: 'reset' }, 'Invalid body: connection reset sends no response, so it takes no status'],
    [{ path: '/v1/*', status: 399 }, 'Invalid body field status: must be >= 400'],
    [{ path: '/v1/*', status: 600 }, 'Invalid body field status: must be <= 599'],
    [{ path: '/v1/*', status: '500' }, 'Invalid body field status: must be integer'],
    [{ path: '/v1/*', status: 500.5 }, 'Invalid body field status: must be integer'],
    [{ path: '/v1/*', delay_ms: 60001 }, 'Invalid body field delay_ms: must be <= 60000'],
    [{ path: '/v1/*', delay_ms: -1 }, 'Invalid body field delay_ms: must be >= 0'],
    [{ path: '/v1/*', jitter_ms: 60001 }, 'Invalid body field jitter_ms: must be <= 60000'],
    [{ path: '/v1/*', status: 503, probability: 1.5 }, 'Invalid body field probability: must be <= 1'],
    [{ path: '/v1/*', status: 503, probability: -0.1 }, 'Invalid body field probability: must be >= 0'],
    [{ path: '/v1/*', status: 503, times: 0 }, 'Invalid body field times: must be >= 1'],
    [{ path: '/v1/*', status: 503, times: 1.5 }, 'Invalid body field times: must be integer'],
    [{ path: '/v1/*', connection: 'close' }, 'Invalid body field connection: must be one of reset'],
    [{ path: '/v1/*', status: 503, colour: 'red' }, 'Invalid body: unknown field colour'],
    [{ path: '/v1/*', status: 503, method: 'G E T' }, 'Invalid body field method: must match pattern "^[A-Za-z]{1,20}$"'],
    [{ path: '/v1/*', status: 503, method: '' }, 'Invalid body field method: must match pattern "^[A-Za-z]{1,20}$"'],
    [[], 'Invalid body: expected a JSON object'],
  ]
  for (const [payload, description] of cases) {
    const label = JSON.stringify(payload).slice(0, 80)
    const res = await addFault(app, payload as object)
    t.equal(res.status, 400, label)
    t.same(res.json, failure(400, description), label)
  }
  t.same((await listFaults(app)).faults, [], 'nothing was added')
})

t.test('a status fault answers with the route\'s documented envelope, or the reason phrase', async (t) => {
  const app = await build(t)
  // [route pattern, request, status, expected body]
  const cases: Array<[string, string, number, object]> = [
    // Documented on Get Client: its own example descriptions.
    ['/v1/clients/:client_id', '/v1/clients/1024', 503, failure(503, 'Storage unavailable')],
    ['/v1/clients/:client_id', '/v1/clients/1024', 500, failure(500, 'Internal server error')],
    ['/v1/clients/:client_id', '/v1/clients/1024', 404, failure(404, 'Client not found')],
    ['/v1/clients/:client_id', '/v1/clients/1024', 403, failure(403, 'Merchant API key is inactive')],
    // Not documented on Get Client: the standard reason phrase.
    ['/v1/clients/:client_id', '/v1/clients/1024', 502, failure(502, 'Bad Gateway')],
    ['/v1/clients/:client_id', '/v1/clients/1024', 429, failure(429, 'Too Many Requests')],
    ['/v1/clients/:client_id', '/v1/clients/1024', 599, failure(599, 'HTTP 599')],
    // Authorize keeps Fatora's own shape for its key errors, the envelope for the rest.
    ['/v1/Authorization/Authorize', '/v1/Authorization/Authorize', 401, { status: 'ERROR', error: 'Invalid API Key' }],
    ['/v1/Authorization/Authorize', '/v1/Authorization/Authorize', 403, { status: 'ERROR', error: 'Inactive API Key' }],
    ['/v1/Authorization/Authorize', '/v1/Authorization/Authorize', 503, failure(503, 'Storage unavailable')],
    ['/v1/Authorization/Authorize', '/v1/Authorization/Authorize', 404, failure(404, 'Not Found')],
  ]
  for (const [path, url, status, body] of cases) {
    await app.inject({ method: 'DELETE', url: '/__admin/faults' })
    t.equal((await addFault(app, { path, status })).status, 201)
    const res = await app.inject({ url, headers: KEY })
    t.equal(res.statusCode, status, `${status} on ${url}`)
    t.same(res.json(), body, `${status} on ${url}`)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', `${status} on ${url}: JSON`)
  }
})

t.test('faults apply before auth: Fatora down is down for every key, or none', async (t) => {
  const app = await build(t)
  await addFault(app, { path: '/v1/clients/:client_id', status: 503 })
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'no api_key'],
    [{ api_key: 'not-a-key' }, 'an unknown api_key'],
    [KEY, 'a valid api_key'],
  ]
  for (const [headers, label] of cases) {
    t.same(await get(app, '/v1/clients/1024', headers), { status: 503, json: failure(503, 'Storage unavailable') }, label)
  }
  t.equal((await listFaults(app)).faults[0].hits, cases.length, 'every key counted alike')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  t.same(await get(app, '/v1/clients/1024', {}), { status: 401, json: failure(401, 'Missing api_key header') }, 'without the fault, auth answers again')
})

t.test('matching: method, HEAD, exact paths, patterns, /v1/*, and what is never affected', async (t) => {
  const app = await build(t)
  const unavailable = { status: 503, json: failure(503, 'Storage unavailable') }

  // A POST fault does not touch GET on the same path.
  await addFault(app, { method: 'POST', path: '/v1/clients', status: 503 })
  t.equal((await get(app, '/v1/clients')).status, 200, 'GET /v1/clients unaffected by a POST fault')
  const posted = await app.inject({ method: 'POST', url: '/v1/clients', headers: KEY, payload: { name: 'Never Stored' } })
  t.equal(posted.statusCode, 503, 'POST /v1/clients hit')
  t.same(posted.json(), failure(503, 'Storage unavailable'))
  t.same((await get(app, '/v1/clients?keyword=Never%20Stored')).json.total, 0, 'the faulted write did not happen')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })

  // A GET fault also covers HEAD; a HEAD fault does not cover GET.
  await addFault(app, { method: 'GET', path: '/v1/clients/:client_id', status: 503 })
  const head = await app.inject({ method: 'HEAD', url: '/v1/clients/1024', headers: KEY })
  t.equal(head.statusCode, 503, 'HEAD hit by a GET fault')
  t.equal(head.body, '', 'HEAD has no body')
  // (An unknown id, so the fixture stays.)
  const deleted = await app.inject({ method: 'DELETE', url: '/v1/clients/999999', headers: KEY })
  t.same([deleted.statusCode, deleted.json()], [404, failure(404, 'Client not found')], 'DELETE unaffected by a GET fault')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  await addFault(app, { method: 'HEAD', path: '/v1/clients/:client_id', status: 503 })
  t.same(await get(app, '/v1/clients/1025'), { status: 200, json: { status: 'SUCCESS', client: { id: 1025, name: 'Client Without Details', address: null, phone: null, email: null, note: null, notes: null } } },
    'GET unaffected by a HEAD fault')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })

  // An exact path hits only that id; the pattern's other ids and the list route are untouched.
  await addFault(app, { path: '/v1/clients/1025', status: 503 })
  t.same(await get(app, '/v1/clients/1025'), unavailable, 'exact path hit')
  t.same(await get(app, '/v1/clients/1024'), { status: 200, json: OK_1024 }, 'another id is not')
  t.same(await get(app, '/v1/clients/10250'), { status: 404, json: failure(404, 'Client not found') }, 'a longer id is not')
  t.same(await get(app, '/v1/clients/1025?x=1'), unavailable, 'the query string is not part of the path')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })

  // `:client_id` is one segment: it does not match the list route.
  await addFault(app, { path: '/v1/clients/:client_id', status: 503 })
  t.equal((await get(app, '/v1/clients')).status, 200, '/v1/clients not matched by /v1/clients/:client_id')
  t.same(await get(app, '/v1/clients/1024'), unavailable)
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })

  // /v1/* hits everything under /v1, known routes or not; /health and /__admin never.
  await addFault(app, { path: '/v1/*', status: 503 })
  const hit: Array<[string, string]> = [
    ['GET', '/v1/clients/1024'], ['GET', '/v1/clients'], ['GET', '/v1/clients/'], ['POST', '/v1/clients'],
    ['GET', '/v1/Authorization/Authorize'], ['GET', '/v1/nothing/here'],
  ]
  for (const [method, url] of hit) {
    const res = await app.inject({ method: method as 'GET', url, headers: KEY })
    t.equal(res.statusCode, 503, `${method} ${url} hit by /v1/*`)
  }
  t.same(await get(app, '/health', {}), { status: 200, json: { status: 'ok' } }, '/health never affected')
  t.equal((await get(app, '/__admin/state', {})).status, 200, '/__admin never affected')
  t.equal((await get(app, '/__admin/faults', {})).status, 200)
  const list = await listFaults(app)
  t.equal(list.faults[0].hits, hit.length, 'each /v1 request counted once; /health and /__admin not at all')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })

  // A non-matching fault leaves the answer exactly as without it.
  await addFault(app, { path: '/v1/clients/9999', status: 500 })
  await addFault(app, { method: 'PUT', path: '/v1/clients/:client_id', status: 500 })
  t.same(await get(app, '/v1/clients/1024'), { status: 200, json: OK_1024 }, 'full 200 body of client 1024')
  t.same((await listFaults(app)).faults.map((f: { hits: number }) => f.hits), [0, 0])
})

// The router decodes %-escapes, so /v1/clients/%31%30%32%35 is client 1025; a fault on that
// exact path should treat it the same way, or a client's encoding silently dodges the fault.
t.test('an exact-path fault also hits the percent-encoded spelling of the same path', async (t) => {
  const app = await build(t)
  await addFault(app, { path: '/v1/clients/1025', status: 503 })
  t.same(await get(app, '/v1/clients/%31%30%32%35'), { status: 503, json: failure(503, 'Storage unavailable') })
})

t.test('the first matching fault in creation order applies, and only it is counted', async (t) => {
  const app = await build(t)
  await addFault(app, { path: '/v1/clients/1024', status: 404, times: 1 })
  await addFault(app, { path: '/v1/*', status: 500 })
  t.same(await get(app, '/v1/clients/1024'), { status: 404, json: failure(404, 'Client not found') }, 'first fault')
  t.same(await get(app, '/v1/clients/1024'), { status: 500, json: failure(500, 'Internal server error') }, 'first used up: the next one')
  t.same((await listFaults(app)).faults.map((f: { hits: number, remaining: number | null }) => [f.hits, f.remaining]), [[1, 0], [1, null]])
})

t.test('times: 2 hits exactly twice, then requests are answered normally', async (t) => {
  const app = await build(t)
  const added = await addFault(app, { path: '/v1/clients/:client_id', status: 503, times: 2 })
  t.equal(added.json.remaining, 2)
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await get(app, '/v1/clients/1024')).status)
  t.same(statuses, [503, 503, 200, 200])
  const [fault] = (await listFaults(app)).faults
  t.same({ hits: fault.hits, remaining: fault.remaining, times: fault.times }, { hits: 2, remaining: 0, times: 2 }, 'a spent fault stays listed')
  t.same(await get(app, '/v1/clients/1024'), { status: 200, json: OK_1024 })
})

t.test('probability draws from the seed: same seed, same sequence; another seed, another', async (t) => {
  const N = 50
  const run = async (seed: number): Promise<{ sequence: number[], hits: number, seed: number }> => {
    const app = await build(t, { FAULT_SEED: seed })
    await addFault(app, { path: '/v1/clients/:client_id', status: 503, probability: 0.5 })
    const sequence: number[] = []
    for (let i = 0; i < N; i++) sequence.push((await get(app, '/v1/clients/1024')).status)
    const list = await listFaults(app)
    return { sequence, hits: list.faults[0].hits, seed: list.seed }
  }
  const a = await run(42)
  const b = await run(42)
  t.same(a.sequence, b.sequence, 'seed 42 twice: the identical sequence of statuses')
  t.equal(a.seed, 42)
  t.ok(a.sequence.every((s) => s === 200 || s === 503), 'each request is either hit (503) or answered (200)')
  const failed = a.sequence.filter((s) => s === 503).length
  t.ok(failed > 0 && failed < N, `some but not all hit (${failed} of ${N})`)
  t.equal(a.hits, failed, 'hits counts exactly the failed requests')
  t.equal(b.hits, failed)

  // 50 fair draws equal by chance: 2^-50.
  const c = await run(7)
  t.notSame(c.sequence, a.sequence, 'seed 7 gives another sequence')

  const app = await build(t)
  await addFault(app, { path: '/v1/clients/:client_id', status: 503, probability: 0 })
  for (let i = 0; i < 20; i++) {
    const res = await get(app, '/v1/clients/1024')
    if (res.status !== 200) t.fail(`probability 0 hit request ${i}`)
  }
  t.equal((await listFaults(app)).faults[0].hits, 0, 'probability 0 never hits')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  await addFault(app, { path: '/v1/clients/:client_id', status: 503, probability: 1 })
  for (let i = 0; i < 5; i++) t.equal((await get(app, '/v1/clients/1024')).status, 503, `probability 1 hits request ${i}`)
})

t.test('delays: a delay_ms fault and global latency (lower bounds only)', async (t) => {
  const app = await build(t)
  await addFault(app, { path: '/v1/clients/:client_id', delay_ms: 150 })
  let started = performance.now()
  const delayed = await get(app, '/v1/clients/1024')
  t.ok(performance.now() - started >= 140, 'a 150 ms delay fault waits at least ~150 ms')
  t.same(delayed, { status: 200, json: OK_1024 }, 'a delay alone still answers normally')
  t.equal((await listFaults(app)).faults[0].hits, 1)

  const slow = await build(t, { LATENCY_MS: 120 })
  started = performance.now()
  const res = await get(slow, '/v1/clients/1024')
  t.ok(performance.now() - started >= 110, 'latencyMs 120 delays /v1')
  t.same(res, { status: 200, json: OK_1024 })

  // /health and /__admin are not delayed: shown with a latency so long that answering at all
  // (well within it) proves it, rather than with a tight upper bound on a fast request.
  const stuck = await build(t, { LATENCY_MS: 60_000 })
  started = performance.now()
  t.same(await get(stuck, '/health', {}), { status: 200, json: { status: 'ok' } }, '/health answered')
  t.equal((await get(stuck, '/__admin/faults', {})).status, 200, '/__admin answered')
  t.ok(performance.now() - started < 30_000, 'neither waited for the 60 s latency')
})

t.test('connection: reset drops the socket; the next request works; the journal records it', async (t) => {
  const { app, port } = await listen(t)
  const added = await addFault(app, { path: '/v1/clients/:client_id', connection: 'reset', times: 1 })
  t.equal(added.status, 201)

  const error = await httpGet(port, '/v1/clients/1024', KEY).then(
    (res) => { t.fail(`expected a connection error, got ${res.status}`); return undefined },
    (err: Error & { code?: string }) => err)
  t.ok(error !== undefined && (error.code === 'ECONNRESET' || error.message === 'socket hang up'),
    `the client sees a reset (${error?.code ?? ''} ${error?.message ?? ''})`)

  const next = await httpGet(port, '/v1/clients/1024', KEY)
  t.equal(next.status, 200, 'times: 1, so the next request is answered')
  t.same(JSON.parse(next.body), OK_1024)

  const journal = (await app.inject({ url: '/__admin/requests' })).json()
  t.equal(journal.requests.length, 2, 'both requests recorded, once each')
  const [second, first] = journal.requests
  t.match(first, { method: 'GET', path: '/v1/clients/1024', status: null, fault_id: added.json.id })
  t.match(second, { method: 'GET', path: '/v1/clients/1024', status: 200, fault_id: null })
  t.same((await listFaults(app)).faults.map((f: { hits: number, remaining: number }) => [f.hits, f.remaining]), [[1, 0]])
})

t.test('connection: reset through inject() settles instead of hanging', async (t) => {
  const app = await build(t)
  await addFault(app, { path: '/v1/clients/1024', connection: 'reset' })
  // Bounded: a hang shows as the timeout marker, not as a stuck test.
  const outcome = await Promise.race([
    app.inject({ url: '/v1/clients/1024', headers: KEY }).then((res) => `answered ${res.statusCode}`, (err: Error & { code?: string }) => `rejected ${err.code ?? err.message}`),
    sleep(2000).then(() => 'still pending after 2 s'),
  ])
  t.match(outcome, /^rejected /, `inject() rejects like a reset connection (${outcome})`)
})

t.test('app.close() during a 60 s fault delay finishes quickly and the request is answered', { timeout: 30_000 }, async (t) => {
  const { app, port } = await listen(t)
  await addFault(app, { path: '/v1/clients/:client_id', delay_ms: 60_000 })
  // httpGet's own 5 s timeout bounds the test even if close never wakes the delay.
  const pending = httpGet(port, '/v1/clients/1024', KEY).then((res) => res, (err: Error) => err)
  // Wait until the request sits in the delay (the fault counted it).
  for (let i = 0; i < 200 && (await listFaults(app)).faults[0].hits === 0; i++) await sleep(10)
  t.equal((await listFaults(app)).faults[0].hits, 1, 'the request is in the delay')

  const started = performance.now()
  await app.close()
  const closeMs = performance.now() - started
  t.ok(closeMs < 10_000, `close finished without waiting out the delay (${closeMs.toFixed(0)} ms)`)
  const res = await pending
  t.notOk(res instanceof Error, `the delayed request got a response${res instanceof Error ? ` (${res.message})` : ''}`)
  if (!(res instanceof Error)) {
    t.equal(res.status, 200, 'it is answered normally')
    t.same(JSON.parse(res.body), OK_1024)
  }
})

// inject() has no socket for server.close() to wait on: the woken request is answered either
// normally (it ran before the database closed) or with the storage envelope — never a 500 or a hang.
t.test('app.close() during a delay also answers an injected request', { timeout: 30_000 }, async (t) => {
  const app = await build(t)
  await addFault(app, { path: '/v1/clients/:client_id', delay_ms: 60_000 })
  const pending = app.inject({ url: '/v1/clients/1024', headers: KEY })
  for (let i = 0; i < 200 && (await listFaults(app)).faults[0].hits === 0; i++) await sleep(10)
  const started = performance.now()
  await app.close()
  t.ok(performance.now() - started < 10_000, 'close finished')
  const res = await pending
  if (res.statusCode === 200) t.same(res.json(), OK_1024)
  else t.same({ status: res.statusCode, json: res.json() }, { status: 503, json: failure(503, 'Storage unavailable') })
})

t.test('POST /__admin/reset removes every fault', async (t) => {
  const app = await build(t, { FAULT_SEED: 5 })
  await addFault(app, { path: '/v1/*', status: 503 })
  await addFault(app, { path: '/v1/clients/1024', delay_ms: 50 })
  t.equal((await get(app, '/v1/clients/1024')).status, 503)
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200)
  t.same(await listFaults(app), { seed: 5, faults: [] }, 'no faults; the seed stays')
  t.same(await get(app, '/v1/clients/1024'), { status: 200, json: OK_1024 })
})

t.test('ADMIN_TOKEN guards /__admin/faults like every admin route', async (t) => {
  const app = await build(t, { ADMIN_TOKEN: 's3cret' })
  const missing = failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>')
  const cases: Array<[string, string, Record<string, string>, object | undefined, number, object | undefined]> = [
    ['POST', '/__admin/faults', {}, { path: '/v1/*', status: 503 }, 401, missing],
    ['GET', '/__admin/faults', {}, undefined, 401, missing],
    ['DELETE', '/__admin/faults', {}, undefined, 401, missing],
    ['DELETE', '/__admin/faults/1', {}, undefined, 401, missing],
    ['GET', '/__admin/faults', { authorization: 'Bearer wrong' }, undefined, 401, failure(401, 'Invalid admin token')],
    // The token is checked before the body: a bad body without the token is still 401.
    ['POST', '/__admin/faults', {}, { path: '/nope' }, 401, missing],
    ['POST', '/__admin/faults', { authorization: 'Bearer s3cret' }, { path: '/v1/*', status: 503 }, 201, undefined],
    ['GET', '/__admin/faults', { authorization: 'Bearer s3cret' }, undefined, 200, undefined],
  ]
  for (const [method, url, headers, payload, status, body] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) })
    t.equal(res.statusCode, status, `${method} ${url} ${JSON.stringify(headers)}`)
    if (body !== undefined) t.same(res.json(), body, `${method} ${url} ${JSON.stringify(headers)}`)
  }
  // Only the authorised POST added a fault, and /v1 needs no admin token to be hit by it.
  t.same(await get(app, '/v1/clients/1024'), { status: 503, json: failure(503, 'Storage unavailable') })
})
