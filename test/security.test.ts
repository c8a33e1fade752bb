// Security (issue 8, item 6): tenancy on every client route with both auth modes; secrets kept
// out of the logs, the answers, the journal and the spec of a real server (a child process at
// LOG_LEVEL=trace); the admin token; SQL built from bound parameters only; prototype poisoning;
// and X-Content-Type-Options: nosniff on every answer, down to Node's raw protocol errors.
// Expected bodies are literals (failure()): no message is imported from src/.
import t from 'tap'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, CLIENT_1024, DEMO_KEY, failure, INACTIVE_KEY, listen, SECOND_KEY } from './helper.js'
import { ROOT, startServer } from './support/child.js'

// One server start in a child process (the built bundle) and a few thousand injected requests.
t.setTimeout(300_000)

const JSON_TYPE = 'application/json; charset=utf-8'
const MISSING_ID = 999_999

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
type Headers = Record<string, string>

interface ApiClient { id: number, name: string, address: string | null, phone: string | null, email: string | null, note: string | null, notes: string | null }
interface ListBody { status: string, clients: ApiClient[], page: number, page_size: number, total: number }
interface State {
  totals: { merchants: number, api_keys: number, clients: number }
  merchants: Array<{ id: number, name: string, clients: number, api_keys: Array<{ key: string, status: string }> }>
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const byId = (a: number, b: number): number => a - b
/** The fixtures' ids (README "The default data"): merchant 1 owns 1–40, 1024, 1025; merchant 2 owns 2001–2040, 2048. */
const M1_IDS = [...range(1, 40), 1024, 1025]
const M2_IDS = [...range(2001, 2040), 2048]

const CLIENT_2048: ApiClient = {
  id: 2048,
  name: 'Second Merchant Client',
  address: 'West Bay, Doha, Qatar',
  phone: '+974 4000 2048',
  email: 'second.client@example.com',
  note: 'Belongs to merchant 2 only',
  notes: 'Belongs to merchant 2 only',
}
const CLIENT_NOT_FOUND = JSON.stringify(failure(404, 'Client not found'))
const EMPTY_LIST = { status: 'SUCCESS', clients: [], page: 1, page_size: 20, total: 0 }
const INVALID_CLIENT_ID = failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991')
const INVALID_JSON = failure(400, 'Invalid JSON body')
const KEY_INVALID = failure(401, "Merchant API key isn't valid")
const KEY_PATTERN = 'must match pattern "^[\\x21-\\x7e]+$"'

/** One injected request; an object or string payload is sent as JSON. */
async function send (app: FastifyInstance, method: Method, url: string, headers: Headers = {}, payload?: unknown): Promise<LightMyRequestResponse> {
  const options: InjectOptions = { method, url, headers }
  if (payload !== undefined) {
    options.headers = { 'content-type': 'application/json', ...headers }
    options.payload = typeof payload === 'string' ? payload : JSON.stringify(payload)
  }
  return await app.inject(options)
}

async function tokenFor (app: FastifyInstance, key: string): Promise<string> {
  const res = await app.inject({ url: '/v1/Authorization/Authorize', headers: { api_key: key } })
  if (res.statusCode !== 200) throw new Error(`Authorize answered ${res.statusCode}: ${res.body}`)
  return (res.json() as { bearer_token: string }).bearer_token
}

async function getState (app: FastifyInstance, headers: Headers = {}): Promise<State> {
  const res = await app.inject({ url: '/__admin/state', headers })
  if (res.statusCode !== 200) throw new Error(`GET /__admin/state answered ${res.statusCode}: ${res.body}`)
  return res.json() as State
}

/** Every page of a list (7 per page), the clients in order and the total each page gave. */
async function listAll (app: FastifyInstance, headers: Headers, query = ''): Promise<{ clients: ApiClient[], ids: number[], totals: number[] }> {
  const clients: ApiClient[] = []
  const totals: number[] = []
  for (let page = 1; page < 1000; page++) {
    const res = await app.inject({ url: `/v1/clients?${query}${query === '' ? '' : '&'}page=${page}&page_size=7`, headers })
    if (res.statusCode !== 200) throw new Error(`list ${query} page ${page} answered ${res.statusCode}: ${res.body}`)
    const body = res.json() as ListBody
    totals.push(body.total)
    if (body.clients.length === 0) break
    clients.push(...body.clients)
  }
  return { clients, ids: clients.map((c) => c.id), totals }
}

/** What two answers must share to be "the same answer": all but the request id and the date. */
function comparable (res: LightMyRequestResponse): object {
  const { 'x-request-id': _id, date: _date, ...headers } = res.headers
  return { status: res.statusCode, headers, body: res.body }
}

/** SQLite's LIKE and NOCASE fold ASCII letters only; so does this. */
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
const keywordMatches = (c: ApiClient, keyword: string): boolean =>
  [c.name, c.email, c.phone, c.address].some((f) => f !== null && asciiLower(f).includes(asciiLower(keyword)))

/** A header value made of the UTF-8 bytes of `text` (as Node sends a header: latin1 per byte). */
const headerSafe = (text: string): string => Buffer.from(text, 'utf8').toString('latin1')

/* ------------------------------------------------------------------------------------------ */
/* 1. Tenancy                                                                                 */
/* ------------------------------------------------------------------------------------------ */

interface Tenant { label: string, merchant: number, key: string, own: number[], targets: number[] }
const MERCHANT_1: Tenant = { label: 'merchant 1', merchant: 1, key: DEMO_KEY, own: M1_IDS, targets: [1024, 1025, 1, 40] }
const MERCHANT_2: Tenant = { label: 'merchant 2', merchant: 2, key: SECOND_KEY, own: M2_IDS, targets: [2048, 2001, 2040] }

t.test('tenancy: another merchant\'s clients are invisible and untouchable, with api_key and with a bearer token', async (t) => {
  for (const [attacker, victim] of [[MERCHANT_1, MERCHANT_2], [MERCHANT_2, MERCHANT_1]] as const) {
    for (const mode of ['api_key', 'bearer'] as const) {
      await t.test(`${attacker.label} via ${mode} against ${victim.label}`, async (t) => {
        const app = await build(t)
        const as: Headers = mode === 'api_key' ? { api_key: attacker.key } : { authorization: `Bearer ${await tokenFor(app, attacker.key)}` }
        const owner: Headers = { api_key: victim.key }
        const victimClients = (await listAll(app, owner)).clients
        t.same(victimClients.map((c) => c.id), [...victim.own].sort(byId), 'the owner sees its own fixtures')
        if (victim.merchant === 2) t.same(victimClients.find((c) => c.id === 2048), CLIENT_2048, 'client 2048 as in the fixtures')
        const snapshot = new Map(victimClients.map((c) => [c.id, c]))
        const ownClients = (await listAll(app, as)).clients
        const ownWithEmail = ownClients.find((c) => c.email !== null) as ApiClient
        const before = await getState(app)

        async function untouched (label: string): Promise<void> {
          for (const id of victim.targets) {
            const res = await app.inject({ url: `/v1/clients/${id}`, headers: owner })
            t.equal(res.statusCode, 200, `${label}: the owner still reads ${id}`)
            t.same((res.json() as { client: ApiClient }).client, snapshot.get(id), `${label}: client ${id} untouched`)
          }
        }

        // GET, HEAD, PUT and DELETE of a foreign id answer exactly what a missing id answers.
        const attempts: Array<[string, Method, unknown, number, string]> = [
          ['GET', 'GET', undefined, 404, CLIENT_NOT_FOUND],
          ['HEAD', 'HEAD', undefined, 404, ''],
          ['PUT', 'PUT', { name: 'Taken Over', email: 'taken.over@example.com', notes: 'pwned' }, 404, CLIENT_NOT_FOUND],
          ['PUT with the e-mail of one of its own clients (a 409 would reveal the row)', 'PUT', { name: 'Taken Over', email: ownWithEmail.email }, 404, CLIENT_NOT_FOUND],
          ['PUT without e-mail (name and phone only)', 'PUT', { name: ownWithEmail.name, phone: ownWithEmail.phone }, 404, CLIENT_NOT_FOUND],
          ['PUT with an invalid body (validated before the lookup, like for any id)', 'PUT', { name: 42 }, 400, JSON.stringify(failure(400, 'Invalid body field name: must be string'))],
          ['DELETE', 'DELETE', undefined, 404, CLIENT_NOT_FOUND],
        ]
        for (const id of victim.targets) {
          for (const [name, method, payload, status, body] of attempts) {
            const label = `${name} /v1/clients/${id}`
            const foreign = await send(app, method, `/v1/clients/${id}`, as, payload)
            const missing = await send(app, method, `/v1/clients/${MISSING_ID}`, as, payload)
            t.equal(foreign.statusCode, status, label)
            t.equal(foreign.body, body, `${label}: exact body`)
            t.equal(foreign.headers['content-type'], JSON_TYPE, label)
            t.same(comparable(foreign), comparable(missing), `${label}: byte for byte the answer for a missing id`)
            await untouched(label)
          }
        }

        // The list: every page holds its own clients only, and total counts only them.
        const all = await listAll(app, as)
        t.same(all.ids, [...attacker.own].sort(byId), 'all pages: exactly its own clients')
        t.ok(all.totals.every((n) => n === attacker.own.length), 'total counts its own clients only, on every page')
        for (const url of ['/v1/clients?page_size=100', '/v1/clients/?page_size=100']) {
          const res = await app.inject({ url, headers: as })
          const body = res.json() as ListBody
          t.same(body.clients.map((c) => c.id), [...attacker.own].sort(byId), url)
          t.equal(body.total, attacker.own.length, url)
        }
        const past = await app.inject({ url: '/v1/clients?page=2&page_size=100', headers: as })
        t.same(past.json(), { status: 'SUCCESS', clients: [], page: 2, page_size: 100, total: attacker.own.length }, 'a page past the end is empty, total its own')

        // Filters on the other merchant's values: its e-mails (any case) find nothing; its names,
        // phones and e-mails as keywords find only the attacker's own rows that contain them
        // (client@example.com is inside merchant 2's own second.client@example.com).
        for (const c of victimClients) {
          const queries: Array<['email' | 'keyword', string]> = []
          if (c.email !== null) queries.push(['email', c.email], ['email', c.email.toUpperCase()], ['keyword', c.email])
          if (c.phone !== null) queries.push(['keyword', c.phone])
          queries.push(['keyword', c.name])
          for (const [field, value] of queries) {
            const expected = field === 'email'
              ? ownClients.filter((o) => o.email !== null && asciiLower(o.email) === asciiLower(value))
              : ownClients.filter((o) => keywordMatches(o, value))
            const res = await app.inject({ url: `/v1/clients?${field}=${encodeURIComponent(value)}`, headers: as })
            const label = `${victim.label}'s client ${c.id}: ?${field}=${value}`
            if (expected.length === 0) t.same(res.json(), EMPTY_LIST, `${label} finds nothing`)
            else t.same(res.json(), { ...EMPTY_LIST, clients: expected, total: expected.length }, `${label} finds only its own ${expected.map((o) => o.id).join(', ')}`)
          }
        }
        // A keyword both merchants' rows contain: only its own matches, on every page.
        for (const keyword of ['example', 'a', '1']) {
          const expected = ownClients.filter((c) => keywordMatches(c, keyword)).map((c) => c.id)
          const got = await listAll(app, as, `keyword=${keyword}`)
          t.same(got.ids, expected, `?keyword=${keyword}: its own matches only`)
          t.ok(got.totals.every((n) => n === expected.length), `?keyword=${keyword}: total counts its own matches only`)
        }

        // Duplicates are per merchant: the other's e-mail, or its name and phone, are free to use.
        const [first, second] = victim.targets.map((id) => snapshot.get(id) as ApiClient).filter((c) => c.email !== null && c.phone !== null)
        if (first === undefined || second === undefined) throw new Error('fixtures changed: need two foreign clients with e-mail and phone')
        const created = await send(app, 'POST', '/v1/clients', as, { name: 'Same E-mail, Other Merchant', email: first.email })
        t.equal(created.statusCode, 201, 'POST with the other merchant\'s e-mail is not a 409')
        const createdId = (created.json() as { client: ApiClient }).client.id
        t.same(created.json(), { status: 'SUCCESS', client: { id: createdId, name: 'Same E-mail, Other Merchant', address: null, phone: null, email: first.email, note: null, notes: null } })
        t.notOk(victim.own.includes(createdId) || attacker.own.includes(createdId), 'a new id')
        await untouched('after POST with the other merchant\'s e-mail')
        const again = await send(app, 'POST', '/v1/clients', as, { name: 'Again', email: (first.email as string).toUpperCase() })
        t.equal(again.statusCode, 409, 'the same e-mail twice for one merchant is a 409 (the check is per merchant, not absent)')
        t.same(again.json(), failure(409, 'A client with this email already exists'))
        const namePhone = await send(app, 'POST', '/v1/clients', as, { name: first.name, phone: first.phone })
        t.equal(namePhone.statusCode, 201, 'POST with the other merchant\'s name and phone (no e-mail) is not a 409')
        const namePhoneId = (namePhone.json() as { client: ApiClient }).client.id
        const namePhoneAgain = await send(app, 'POST', '/v1/clients', as, { name: first.name, phone: first.phone })
        t.same([namePhoneAgain.statusCode, namePhoneAgain.json()], [409, failure(409, 'A client with this name and phone already exists')], 'but twice for one merchant is')
        const put = await send(app, 'PUT', `/v1/clients/${ownWithEmail.id}`, as, { name: ownWithEmail.name, email: second.email })
        t.equal(put.statusCode, 200, 'PUT of its own client with the other merchant\'s e-mail is not a 409')
        await untouched('after the cross-merchant duplicates')
        const ownerView = await app.inject({ url: `/v1/clients?email=${encodeURIComponent(first.email as string)}`, headers: owner })
        t.same((ownerView.json() as ListBody).clients.map((c) => c.id), [first.id], 'the owner\'s e-mail filter still finds only its client')
        const attackerView = await app.inject({ url: `/v1/clients?email=${encodeURIComponent(first.email as string)}`, headers: as })
        t.same((attackerView.json() as ListBody).clients.map((c) => c.id), [createdId], 'and the attacker\'s only its own')
        const ownerList = await listAll(app, owner)
        t.same(ownerList.ids, [...victim.own].sort(byId), 'the new rows never show in the owner\'s list')
        t.notOk(ownerList.ids.includes(namePhoneId))

        const after = await getState(app)
        t.same(after.totals, { ...before.totals, clients: before.totals.clients + 2 }, 'only the two deliberate rows were added')
        t.same(after.merchants.find((m) => m.id === victim.merchant), before.merchants.find((m) => m.id === victim.merchant), `${victim.label} unchanged`)
      })
    }
  }
})

t.test('tenancy: with both headers api_key decides, whatever merchant the token names', async (t) => {
  const app = await build(t)
  const token1 = await tokenFor(app, DEMO_KEY)
  const token2 = await tokenFor(app, SECOND_KEY)
  const cases: Array<[string, Headers, number, number]> = [
    ['merchant 1 key + merchant 2 token', { api_key: DEMO_KEY, authorization: `Bearer ${token2}` }, 1024, 2048],
    ['merchant 2 key + merchant 1 token', { api_key: SECOND_KEY, authorization: `Bearer ${token1}` }, 2048, 1024],
  ]
  for (const [name, headers, own, foreign] of cases) {
    t.equal((await app.inject({ url: `/v1/clients/${own}`, headers })).statusCode, 200, `${name}: own client`)
    const res = await app.inject({ url: `/v1/clients/${foreign}`, headers })
    const missing = await app.inject({ url: `/v1/clients/${MISSING_ID}`, headers })
    t.equal(res.statusCode, 404, `${name}: the token's client is still foreign`)
    t.same(comparable(res), comparable(missing), `${name}: the same 404 as a missing id`)
    const list = await listAll(app, headers)
    t.same(list.ids, (own === 1024 ? M1_IDS : M2_IDS).sort(byId), `${name}: the key's list`)
  }
})

/* ------------------------------------------------------------------------------------------ */
/* 2. Secrets: a real server, its logs at trace level, its answers, the journal and the spec   */
/* ------------------------------------------------------------------------------------------ */

interface HttpAnswer { status: number, head: string, headers: Record<string, string | string[] | undefined>, body: string }

/** One request on a fresh connection. */
async function httpSend (port: number, method: string, path: string, headers: Headers, body?: string): Promise<HttpAnswer> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method,
      path,
      agent: false,
      timeout: 10_000,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => {
        const head = `HTTP/1.1 ${res.statusCode ?? 0} ${res.statusMessage ?? ''}\r\n${res.rawHeaders.join('\r\n')}`
        resolve({ status: res.statusCode ?? 0, head, headers: res.headers, body: text })
      })
    })
    req.on('timeout', () => { req.destroy(new Error(`${method} ${path} timed out`)) })
    req.on('error', reject)
    req.end(body)
  })
}

interface RawAnswer { raw: string, status: number, headers: Record<string, string>, body: string }

/** Writes `data` on a new TCP connection and collects everything until the server closes it (or `waitMs`). */
async function rawExchange (port: number, data: string | Buffer, waitMs = 3000): Promise<RawAnswer> {
  const raw = await new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let settled = false
    const finish = (): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const timer = setTimeout(finish, waitMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', finish)
    socket.on('close', finish)
    // The server may close while a large request is still being written (EPIPE, ECONNRESET):
    // what matters is what it answered before; 'close' follows.
    socket.on('error', () => {})
    socket.write(data)
  })
  const headEnd = raw.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = (headEnd === -1 ? raw : raw.slice(0, headEnd)).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { raw, status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN), headers, body: headEnd === -1 ? '' : raw.slice(headEnd + 4) }
}

const occurrences = (text: string, needle: string): number => text.split(needle).length - 1

t.test('secrets never appear in the logs (trace), answers, the journal or the spec of a real server', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fatora-security-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const ADMIN_TOKEN = `adm-${randomBytes(18).toString('base64url')}`
  const WRONG_ADMIN_TOKEN = `adm-${randomBytes(18).toString('base64url')}`
  const JWT_SECRET = `jwt-${randomBytes(24).toString('base64url')}`
  const UNKNOWN_KEY = randomUUID().toUpperCase()

  const child = startServer(t, { LOG_LEVEL: 'trace', ADMIN_TOKEN, JWT_SECRET, DB_PATH: join(dir, 'security.db') }, 120_000)
  const port = await child.ready

  // Every answer's text, with the secrets it may carry by design (named below).
  const seen: Array<{ label: string, text: string, allow: readonly string[] }> = []
  const authorize = await httpSend(port, 'GET', '/v1/Authorization/Authorize', { api_key: DEMO_KEY })
  t.equal(authorize.status, 200, 'Authorize')
  const token = (JSON.parse(authorize.body) as { bearer_token: string }).bearer_token
  const signature = token.split('.')[2] as string
  // The first character carries 6 whole bits of the MAC (the last one has padding bits).
  // Changed in a way that also differs ignoring case (leaks() compares case-insensitively).
  const tamperedSignature = (signature[0]?.toLowerCase() === 'x' ? 'Q' : 'X') + signature.slice(1)
  const tampered = `${token.split('.').slice(0, 2).join('.')}.${tamperedSignature}`
  seen.push({ label: 'Authorize 200 head', text: authorize.head, allow: [] })
  seen.push({ label: 'Authorize 200 body (the token is its answer)', text: authorize.body, allow: ['the bearer token', "the bearer token's signature"] })

  const secrets: Record<string, string> = {
    ADMIN_TOKEN,
    'the wrong admin token': WRONG_ADMIN_TOKEN,
    JWT_SECRET,
    'the demo api_key': DEMO_KEY,
    'the unknown api_key': UNKNOWN_KEY,
    'the inactive api_key': INACTIVE_KEY,
    'the bearer token': token,
    "the bearer token's signature": signature,
    'the tampered token': tampered,
    "the tampered token's signature": tamperedSignature,
  }
  /** The names of the secrets in `text` (any case), except those allowed there. */
  const leaks = (text: string, allow: readonly string[] = []): string[] =>
    Object.entries(secrets).filter(([name, value]) => !allow.includes(name) && text.toLowerCase().includes(value.toLowerCase())).map(([name]) => name)

  const json = { 'content-type': 'application/json' }
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
  const bearer = { authorization: `Bearer ${token}` }
  interface Row { label: string, method: Method, path: string, headers: Headers, body?: string, status: number, answer?: object, allow?: string[], keyInPath?: boolean }
  const rows: Row[] = [
    { label: '200 with the demo key', method: 'GET', path: '/v1/clients/1024', headers: { api_key: DEMO_KEY }, status: 200 },
    { label: 'HEAD with the demo key', method: 'HEAD', path: '/v1/clients/1024', headers: { api_key: DEMO_KEY }, status: 200 },
    { label: '200 list with credentials in the query string', method: 'GET', path: `/v1/clients?api_key=${UNKNOWN_KEY}&access_token=${token}&page=1`, headers: { api_key: DEMO_KEY }, status: 200 },
    { label: '200 with the bearer token', method: 'GET', path: '/v1/clients/1024', headers: bearer, status: 200 },
    { label: '401 unknown key', method: 'GET', path: '/v1/clients/1024', headers: { api_key: UNKNOWN_KEY }, status: 401, answer: KEY_INVALID },
    { label: '401 unknown key, HEAD', method: 'HEAD', path: '/v1/clients/1024', headers: { api_key: UNKNOWN_KEY }, status: 401 },
    { label: '403 inactive key', method: 'GET', path: '/v1/clients/1024', headers: { api_key: INACTIVE_KEY }, status: 403, answer: failure(403, 'Merchant API key is inactive') },
    { label: '401 tampered token', method: 'GET', path: '/v1/clients/1024', headers: { authorization: `Bearer ${tampered}` }, status: 401, answer: failure(401, 'Invalid bearer token') },
    { label: '401 the token without its scheme', method: 'GET', path: '/v1/clients/1024', headers: { authorization: token }, status: 401, answer: failure(401, 'Unsupported Authorization scheme: use Bearer') },
    { label: '401 the key under Authorization', method: 'GET', path: '/v1/clients/1024', headers: { authorization: DEMO_KEY }, status: 401, answer: failure(401, 'Missing api_key header') },
    { label: '401 the admin token as a /v1 bearer token', method: 'GET', path: '/v1/clients/1024', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, status: 401, answer: failure(401, 'Invalid bearer token') },
    { label: '401 the key in the query string only', method: 'GET', path: `/v1/clients/1024?api_key=${DEMO_KEY}`, headers: {}, status: 401, answer: failure(401, 'Missing api_key header') },
    { label: '400 bad client_id, key in the query too', method: 'GET', path: `/v1/clients/abc?api_key=${DEMO_KEY}`, headers: { api_key: DEMO_KEY }, status: 400, answer: INVALID_CLIENT_ID },
    { label: '404 missing client, token in the query too', method: 'GET', path: `/v1/clients/${MISSING_ID}?api_key=${DEMO_KEY}&token=${token}`, headers: bearer, status: 404, answer: failure(404, 'Client not found') },
    { label: '404 unknown /v1 route with credentials in the query', method: 'GET', path: `/v1/nothing?api_key=${DEMO_KEY}&admin_token=${ADMIN_TOKEN}`, headers: { api_key: DEMO_KEY }, status: 404, answer: failure(404, 'Route GET /v1/nothing not found') },
    { label: '404 unknown route outside /v1', method: 'GET', path: `/nothing?api_key=${DEMO_KEY}`, headers: { api_key: DEMO_KEY }, status: 404, answer: failure(404, 'Route GET /nothing not found') },
    { label: '405', method: 'PATCH', path: '/v1/clients/1024', headers: { api_key: DEMO_KEY }, status: 405, answer: failure(405, 'Method PATCH not allowed; this route allows GET, HEAD, PUT, DELETE') },
    { label: '406', method: 'GET', path: '/v1/clients/1024', headers: { api_key: DEMO_KEY, accept: 'application/xml' }, status: 406, answer: failure(406, 'Not acceptable: the Accept header must allow application/json') },
    { label: '415 with the key in the body', method: 'POST', path: '/v1/clients', headers: { api_key: DEMO_KEY, 'content-type': 'text/xml' }, body: `<key>${DEMO_KEY}</key>`, status: 415, answer: failure(415, 'Unsupported Content-Type: send application/json or no Content-Type header') },
    { label: '400 broken JSON carrying the key', method: 'POST', path: '/v1/clients', headers: { api_key: DEMO_KEY, ...json }, body: `{"api_key":"${DEMO_KEY}",`, status: 400, answer: INVALID_JSON },
    { label: '400 invalid body carrying credentials', method: 'POST', path: '/v1/clients', headers: { ...bearer, ...json }, body: JSON.stringify({ api_key: DEMO_KEY, token, name: 42 }), status: 400, answer: failure(400, 'Invalid body field name: must be string') },
    { label: '201 with credentials in body fields (ignored)', method: 'POST', path: '/v1/clients', headers: { ...bearer, ...json }, body: JSON.stringify({ name: 'Leak Check', api_key: DEMO_KEY, token, admin_token: ADMIN_TOKEN, password: JWT_SECRET }), status: 201 },
    { label: '500 via Prefer', method: 'GET', path: '/v1/clients/1024', headers: { api_key: DEMO_KEY, prefer: 'code=500' }, status: 500, answer: failure(500, 'Internal server error') },
    { label: '503 via Prefer, with the token', method: 'GET', path: '/v1/clients/1024', headers: { ...bearer, prefer: 'code=503' }, status: 503, answer: failure(503, 'Storage unavailable') },
    { label: 'Authorize 401 unknown key', method: 'GET', path: '/v1/Authorization/Authorize', headers: { api_key: UNKNOWN_KEY }, status: 401, answer: { status: 'ERROR', error: 'Invalid API Key' } },
    { label: 'Authorize 403 inactive key', method: 'POST', path: '/v1/Authorization/Authorize', headers: { api_key: INACTIVE_KEY }, status: 403, answer: { status: 'ERROR', error: 'Inactive API Key' } },
    { label: 'Authorize 401 key in the query only', method: 'GET', path: `/v1/Authorization/Authorize?api_key=${DEMO_KEY}`, headers: {}, status: 401, answer: { status: 'ERROR', error: 'Invalid API Key' } },
    { label: 'Authorize 405', method: 'DELETE', path: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY }, status: 405 },
    { label: 'health with a key in the query', method: 'GET', path: `/health?api_key=${DEMO_KEY}`, headers: {}, status: 200 },
    { label: 'admin 401 without a token', method: 'GET', path: '/__admin/faults', headers: {}, status: 401, answer: failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>') },
    { label: 'admin 401 wrong token', method: 'GET', path: '/__admin/faults', headers: { authorization: `Bearer ${WRONG_ADMIN_TOKEN}` }, status: 401, answer: failure(401, 'Invalid admin token') },
    { label: 'admin 401 the token without its scheme', method: 'GET', path: '/__admin/faults', headers: { authorization: ADMIN_TOKEN }, status: 401, answer: failure(401, 'Invalid admin token') },
    { label: 'admin 401 token in the query only', method: 'GET', path: `/__admin/state?admin_token=${ADMIN_TOKEN}`, headers: {}, status: 401 },
    { label: 'admin 200 with the token', method: 'GET', path: '/__admin/faults', headers: admin, status: 200 },
    { label: 'admin 400 credentials in the query', method: 'GET', path: `/__admin/requests?token=${ADMIN_TOKEN}`, headers: admin, status: 400, answer: failure(400, 'Invalid query: unknown field token') },
    { label: 'admin 422 unknown key in a body', method: 'POST', path: '/__admin/clients', headers: { ...admin, ...json }, body: JSON.stringify({ api_key: UNKNOWN_KEY, name: 'x' }), status: 422, answer: failure(422, 'Unknown api_key: no merchant has this key') },
    { label: 'admin 409 a taken key', method: 'POST', path: '/__admin/api-keys', headers: { ...admin, ...json }, body: JSON.stringify({ merchant_id: 1, key: DEMO_KEY }), status: 409, answer: failure(409, 'This api_key already exists') },
    { label: 'admin 400 naming a field', method: 'POST', path: '/__admin/seed', headers: { ...admin, ...json }, body: JSON.stringify({ api_key: UNKNOWN_KEY, count: 0 }), status: 400, answer: failure(400, 'Invalid body field count: must be >= 1') },
    { label: 'admin 405', method: 'DELETE', path: '/__admin/state', headers: admin, status: 405 },
    // The admin API lists keys on purpose: the fixture keys are its answer here, nothing else.
    { label: 'admin 200 state (lists the keys by design)', method: 'GET', path: '/__admin/state', headers: admin, status: 200, allow: ['the demo api_key', 'the inactive api_key'] },
    // PATCH /__admin/api-keys/{key} names the key in the path by design (README): its answers may
    // carry it; its log lines are checked apart below.
    { label: 'admin 200 PATCH a key (in the path)', method: 'PATCH', path: `/__admin/api-keys/${DEMO_KEY}`, headers: { ...admin, ...json }, body: '{"status":"active"}', status: 200, allow: ['the demo api_key'], keyInPath: true },
    { label: 'admin 404 PATCH an unknown key (in the path)', method: 'PATCH', path: `/__admin/api-keys/${UNKNOWN_KEY}`, headers: { ...admin, ...json }, body: '{"status":"active"}', status: 404, answer: failure(404, 'API key not found'), keyInPath: true },
    // Section 3 over a real socket: Node trims the value's surrounding whitespace before the hook.
    { label: 'admin token: leading and trailing whitespace', method: 'GET', path: '/__admin/faults', headers: { authorization: `  Bearer ${ADMIN_TOKEN}  ` }, status: 200 },
    { label: 'admin token: lower-case scheme, tab', method: 'GET', path: '/__admin/faults', headers: { authorization: `bearer\t${ADMIN_TOKEN}` }, status: 200 },
    { label: 'admin token: last character changed', method: 'GET', path: '/__admin/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('x') ? 'y' : 'x'}` }, status: 401, answer: failure(401, 'Invalid admin token') },
    { label: 'admin token: one character more', method: 'GET', path: '/__admin/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN}x` }, status: 401, answer: failure(401, 'Invalid admin token') },
    { label: 'admin token: empty after the scheme', method: 'GET', path: '/__admin/faults', headers: { authorization: 'Bearer ' }, status: 401, answer: failure(401, 'Invalid admin token') },
  ]
  const ids: string[] = []
  for (const [i, row] of rows.entries()) {
    const id = `security-${i}`
    ids.push(id)
    const res = await httpSend(port, row.method, row.path, { ...row.headers, 'x-request-id': id }, row.body)
    t.equal(res.status, row.status, row.label)
    if (row.answer !== undefined) t.same(JSON.parse(res.body), row.answer, `${row.label}: exact body`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${row.label}: nosniff`)
    seen.push({ label: `${row.label} (head)`, text: res.head, allow: [] }, { label: `${row.label} (body)`, text: res.body, allow: row.allow ?? [] })
  }

  // Answers that never reach Fastify's routing, or a body too large to read: over a raw socket.
  const bigBody = `{"name":"${'a'.repeat(1_100_000)}","api_key":"${DEMO_KEY}"}`
  const raws: Array<[string, string, number, object]> = [
    ['413 body over 1 MB',
      `POST /v1/clients HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nX-Request-Id: security-413\r\nContent-Type: application/json\r\nContent-Length: ${bigBody.length}\r\n\r\n${bigBody}`,
      413, failure(413, 'Request body too large')],
    ['400 "Authorization Bearer:" (a header name with a space)',
      `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nAuthorization Bearer: ${token}\r\n\r\n`,
      400, failure(400, "Malformed Authorization header: send 'Authorization: Bearer <token>'")],
    ['400 malformed request line carrying the key',
      `GET /v1/clients/1024?api_key=${DEMO_KEY} HTTP/9.9\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\n\r\n`,
      400, failure(400, 'Bad request: malformed HTTP request')],
    ['431 headers too large, with key and token',
      `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nAuthorization: Bearer ${token}\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
      431, failure(431, 'Request header fields too large')],
    ['414 request line too long, key in the query',
      `GET /v1/clients?api_key=${DEMO_KEY}&pad=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      414, failure(414, 'URI too long')],
    ['400 bad %-encoding, key in the query',
      `GET /v1/clients/%zz?api_key=${DEMO_KEY} HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nConnection: close\r\n\r\n`,
      400, failure(400, 'Malformed URL: invalid percent-encoding in the path')],
    ['405 CONNECT with proxy credentials',
      `CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\nProxy-Authorization: Bearer ${token}\r\n\r\n`,
      405, failure(405, 'Method CONNECT not allowed')],
  ]
  for (const [label, data, status, answer] of raws) {
    const res = await rawExchange(port, data)
    t.equal(res.status, status, label)
    t.same(JSON.parse(res.body), answer, `${label}: exact body`)
    seen.push({ label, text: res.raw, allow: [] })
  }

  // The journal: every /v1 request above, credentials masked.
  const journal = await httpSend(port, 'GET', '/__admin/requests', admin)
  t.equal(journal.status, 200, 'the journal')
  const entries = (JSON.parse(journal.body) as { requests: Array<{ id: string }> }).requests
  const v1Rows = rows.filter((r) => r.path.startsWith('/v1/')).length
  t.ok(entries.length >= v1Rows, `the journal holds the ${v1Rows} /v1 requests (${entries.length} entries)`)
  t.match(journal.body, '****91C9', 'api_key masked to its last 4 characters')
  t.match(journal.body, 'Bearer ****', 'Authorization masked to its scheme')
  t.same(leaks(journal.body), [], 'GET /__admin/requests: no secret')
  seen.push({ label: 'journal head', text: journal.head, allow: [] })

  // The spec: the docs' public test key is named once, in the api_key scheme, on purpose.
  const specJson = await httpSend(port, 'GET', '/documentation/json', {})
  const specYaml = await httpSend(port, 'GET', '/documentation/yaml', {})
  t.equal(specJson.status, 200)
  t.equal(specYaml.status, 200)
  const spec = JSON.parse(specJson.body) as { components: { securitySchemes: { api_key: { description?: string } } } }
  t.match(spec.components.securitySchemes.api_key.description, DEMO_KEY, 'the public test key is in the api_key scheme\'s description (documented)')
  delete spec.components.securitySchemes.api_key.description
  t.same(leaks(JSON.stringify(spec)), [], '/documentation/json: no secret outside that description')
  t.equal(occurrences(specJson.body, DEMO_KEY), 1, '/documentation/json names the public test key once')
  t.same(leaks(specYaml.body, ['the demo api_key']), [], '/documentation/yaml: no other secret')
  t.equal(occurrences(specYaml.body, DEMO_KEY), 1, '/documentation/yaml names the public test key once')
  seen.push({ label: 'spec json head', text: specJson.head, allow: [] }, { label: 'spec yaml head', text: specYaml.head, allow: [] })

  for (const { label, text, allow } of seen) t.same(leaks(text, allow), [], `answer: ${label}`)

  // The logs, once the server has exited (pending lines are flushed on exit).
  child.kill('SIGTERM')
  const exit = await child.exited
  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'graceful exit')
  const logs = child.stdout() + child.stderr()
  const lines = logs.split('\n').filter((l) => l !== '')
  for (const id of ids) t.ok(lines.some((l) => l.includes(`"reqId":"${id}"`)), `logged: ${id}`)
  t.ok(lines.some((l) => l.includes('"reqId":"security-413"') && l.includes('"statusCode":413')), 'logged: the 413')
  const keyInPath = new Set(rows.flatMap((r, i) => (r.keyInPath === true ? [`"reqId":"${ids[i] as string}"`] : [])))
  const isKeyInPath = (line: string): boolean => [...keyInPath].some((id) => line.includes(id))
  t.same(leaks(lines.filter((l) => !isKeyInPath(l)).join('\n')), [], `logs (${lines.length} lines at trace level): no secret`)
  t.notMatch(logs, /api_key=|token=|\?/, 'no query string is logged')
  for (const line of lines.filter(isKeyInPath)) {
    t.same(leaks(line), [], 'log line of PATCH /__admin/api-keys/{key}: no key')
  }
})

/* ------------------------------------------------------------------------------------------ */
/* 3. Admin token                                                                             */
/* ------------------------------------------------------------------------------------------ */

t.test('ADMIN_TOKEN: every /__admin route is 401 without it or with a wrong one, 2xx with it', async (t) => {
  const TOKEN = 'Adm1n-Token-For-Security-Tests-7Q'
  const app = await build(t, { ADMIN_TOKEN: TOKEN })
  const missing = failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>')
  const invalid = failure(401, 'Invalid admin token')
  let faultId = 0
  // Every route, with a body it would accept: the token is checked before anything else.
  const routes: Array<[Method, () => string, unknown, number]> = [
    ['GET', () => '/__admin/state', undefined, 200],
    ['GET', () => '/__admin/api-keys', undefined, 200],
    ['POST', () => '/__admin/merchants', { name: 'Token Test' }, 201],
    ['POST', () => '/__admin/api-keys', { merchant_id: 1 }, 201],
    ['PATCH', () => `/__admin/api-keys/${INACTIVE_KEY}`, { status: 'inactive' }, 200],
    ['POST', () => '/__admin/clients', { name: 'Token Client' }, 201],
    ['POST', () => '/__admin/seed', { count: 2, seed: 3 }, 201],
    ['POST', () => '/__admin/faults', { path: '/v1/nothing', delay_ms: 1 }, 201],
    ['GET', () => '/__admin/faults', undefined, 200],
    ['DELETE', () => `/__admin/faults/${faultId}`, undefined, 204],
    ['DELETE', () => '/__admin/faults', undefined, 204],
    ['GET', () => '/__admin/requests', undefined, 200],
    ['DELETE', () => '/__admin/requests', undefined, 204],
    ['POST', () => '/__admin/reset', undefined, 200],
  ]
  const authorized = { authorization: `Bearer ${TOKEN}` }
  const before = await getState(app, authorized)
  for (const [name, headers, body, challenge] of [
    ['no Authorization', {}, missing, 'Bearer realm="fatora-mock admin"'],
    ['a wrong token', { authorization: 'Bearer not-the-token' }, invalid, 'Bearer realm="fatora-mock admin", error="invalid_token"'],
  ] as const) {
    for (const [method, url, payload] of routes) {
      const res = await send(app, method, url(), headers, payload)
      t.equal(res.statusCode, 401, `${method} ${url()} with ${name}`)
      t.same(res.json(), body, `${method} ${url()} with ${name}: exact body`)
      t.equal(res.headers['www-authenticate'], challenge, `${method} ${url()} with ${name}: challenge`)
      t.notMatch(res.body, TOKEN, 'the token is never echoed')
    }
  }
  t.same(await getState(app, authorized), before, 'the refused requests changed nothing')
  for (const [method, url, payload, status] of routes) {
    const res = await send(app, method, url(), authorized, payload)
    t.equal(res.statusCode, status, `${method} ${url()} with the token`)
    if (url() === '/__admin/faults' && method === 'POST') faultId = (res.json() as { id: number }).id
  }

  // The contract's order (README): the route (404/405) is matched before the token.
  t.same([(await send(app, 'PUT', '/__admin/state')).statusCode, (await send(app, 'GET', '/__admin/nothing')).statusCode], [405, 404], 'route before token')

  // Variants of the header on one route. RFC 7235: the scheme is case-insensitive, 1*SP after it.
  const last = TOKEN.slice(-1)
  const variants: Array<[string, string, number, object | undefined]> = [
    ['exact', `Bearer ${TOKEN}`, 200, undefined],
    ['lower-case scheme', `bearer ${TOKEN}`, 200, undefined],
    ['upper-case scheme', `BEARER ${TOKEN}`, 200, undefined],
    ['mixed-case scheme', `bEaReR ${TOKEN}`, 200, undefined],
    ['two spaces after the scheme', `Bearer  ${TOKEN}`, 200, undefined],
    ['a tab after the scheme', `Bearer\t${TOKEN}`, 200, undefined],
    ['trailing whitespace', `Bearer ${TOKEN} \t`, 200, undefined],
    ['last character changed', `Bearer ${TOKEN.slice(0, -1)}${last === 'Q' ? 'R' : 'Q'}`, 401, invalid],
    ['last character in the other case', `Bearer ${TOKEN.slice(0, -1)}${last.toLowerCase()}`, 401, invalid],
    ['first character changed', `Bearer B${TOKEN.slice(1)}`, 401, invalid],
    ['one character short', `Bearer ${TOKEN.slice(0, -1)}`, 401, invalid],
    ['one character more', `Bearer ${TOKEN}Q`, 401, invalid],
    ['the token twice', `Bearer ${TOKEN}${TOKEN}`, 401, invalid],
    ['8 KB long', `Bearer ${'x'.repeat(8192)}`, 401, invalid],
    ['one character', 'Bearer x', 401, invalid],
    ['token in upper case', `Bearer ${TOKEN.toUpperCase()}`, 401, invalid],
    ['token in lower case', `Bearer ${TOKEN.toLowerCase()}`, 401, invalid],
    ['empty header', '', 401, missing],
    ['scheme only', 'Bearer', 401, invalid],
    ['scheme and a space', 'Bearer ', 401, invalid],
    ['scheme and spaces', 'Bearer   ', 401, invalid],
    ['no space after the scheme', `Bearer${TOKEN}`, 401, invalid],
    ['no scheme', TOKEN, 401, invalid],
    ['Basic scheme', `Basic ${TOKEN}`, 401, invalid],
    ['Token scheme', `Token ${TOKEN}`, 401, invalid],
    ['a second word after the token', `Bearer ${TOKEN} extra`, 401, invalid],
    ['a space inside the token', `Bearer ${TOKEN.slice(0, 5)} ${TOKEN.slice(5)}`, 401, invalid],
    ['the token in quotes', `Bearer "${TOKEN}"`, 401, invalid],
    ['a comma after the token', `Bearer ${TOKEN},`, 401, invalid],
  ]
  for (const [name, value, status, body] of variants) {
    for (const [method, url, payload] of [['GET', '/__admin/state', undefined], ['POST', '/__admin/merchants', { name: 'Variant' }]] as const) {
      const res = await send(app, method, url, { authorization: value }, payload)
      t.equal(res.statusCode, status === 200 && method === 'POST' ? 201 : status, `${name}: ${method} ${url}`)
      if (body !== undefined) t.same(res.json(), body, `${name}: ${method} ${url}: exact body`)
    }
  }

  // Constant-time comparison cannot be observed reliably from a test; this reads the hook's source
  // instead — a cheap guard against a regression to ===/!== on the token.
  const source = readFileSync(join(ROOT, 'src/auth/admin-token.ts'), 'utf8')
  t.match(source, /import\s*\{[^}]*\btimingSafeEqual\b[^}]*\}\s*from\s*'node:crypto'/, 'admin-token.ts imports crypto.timingSafeEqual')
  t.match(source, /timingSafeEqual\(/, 'and calls it')
  t.notMatch(source, /(?:===|!==)\s*(?:token|expected)\b|\b(?:token|expected|match\[1\][^=]*)\s*(?:===|!==)/, 'no ===/!== on the token')
})

/* ------------------------------------------------------------------------------------------ */
/* 4. SQL only from bound parameters                                                          */
/* ------------------------------------------------------------------------------------------ */

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
  // answers 400 before routing — test/protocol.test.ts.)
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

  // The database is intact: only the rows created on purpose were added.
  const after = await getState(app)
  t.same(after.totals, {
    merchants: before.totals.merchants + createdMerchants,
    api_keys: before.totals.api_keys + createdMerchants + createdKeys,
    clients: before.totals.clients + created1 + created2,
  }, `totals: +${createdMerchants} merchants, +${createdMerchants + createdKeys} keys, +${created1 + created2} clients`)
  const [b1, b2] = before.merchants
  const [a1, a2] = after.merchants
  t.same(a1 === undefined ? undefined : { ...a1, api_keys: a1.api_keys.slice(0, 2) }, b1 === undefined ? undefined : { ...b1, clients: b1.clients + created1 }, 'merchant 1: its name and fixture keys, its own new clients')
  t.equal(a1?.api_keys.length, (b1?.api_keys.length ?? 0) + createdKeys, 'merchant 1: the keys added on purpose')
  t.same(a2, b2 === undefined ? undefined : { ...b2, clients: b2.clients + created2 }, 'merchant 2: unchanged but for its admin-created clients')
  t.same((await app.inject({ url: '/v1/clients/1024', headers: m1 })).json(), { status: 'SUCCESS', client: CLIENT_1024 }, 'client 1024 as in the fixtures')
  t.same((await app.inject({ url: '/v1/clients/2048', headers: m2 })).json(), { status: 'SUCCESS', client: CLIENT_2048 }, 'client 2048 as in the fixtures')
  t.same((await listAll(app, m2)).ids.filter((id) => M2_IDS.includes(id)), [...M2_IDS].sort(byId), 'merchant 2\'s fixture clients all there')
  t.same((await listAll(app, m1)).ids.filter((id) => M1_IDS.includes(id)), [...M1_IDS].sort(byId), 'merchant 1\'s fixture clients all there')
})

/* ------------------------------------------------------------------------------------------ */
/* 5. Prototype poisoning                                                                      */
/* ------------------------------------------------------------------------------------------ */

t.test('prototype poisoning: "__proto__" and "constructor.prototype" bodies are a 400 on every write route', async (t) => {
  const app = await build(t)
  const v1 = { api_key: DEMO_KEY }
  const bearer = { authorization: `Bearer ${await tokenFor(app, DEMO_KEY)}` }
  // [route, headers, the members of a body the route accepts]
  const routes: Array<[Method, string, Headers, string[]]> = [
    ['POST', '/v1/clients', v1, ['"name":"Poison"']],
    ['POST', '/v1/clients', bearer, ['"name":"Poison"']],
    ['PUT', '/v1/clients/1024', v1, ['"name":"Poison"']],
    ['PUT', '/v1/clients/1024', bearer, ['"name":"Poison"']],
    ['DELETE', '/v1/clients/1025', v1, []],
    ['POST', '/v1/Authorization/Authorize', v1, []],
    ['POST', '/__admin/merchants', {}, ['"name":"Poison"']],
    ['POST', '/__admin/api-keys', {}, ['"merchant_id":1']],
    ['PATCH', `/__admin/api-keys/${INACTIVE_KEY}`, {}, ['"status":"active"']],
    ['POST', '/__admin/clients', {}, ['"name":"Poison"']],
    ['POST', '/__admin/seed', {}, ['"count":1']],
    ['POST', '/__admin/reset', {}, []],
    ['POST', '/__admin/faults', {}, ['"path":"/v1/nothing"', '"delay_ms":1']],
    ['DELETE', '/__admin/faults', {}, []],
    ['DELETE', '/__admin/faults/1', {}, []],
    ['DELETE', '/__admin/requests', {}, []],
  ]
  const poisons: Array<[string, (members: string[]) => string]> = [
    ['"__proto__" last', (m) => `{${[...m, '"__proto__":{"polluted":"yes"}'].join(',')}}`],
    ['"__proto__" first', (m) => `{${['"__proto__":{"polluted":"yes"}', ...m].join(',')}}`],
    ['"__proto__" escaped', (m) => `{${[...m, '"\\u005f_proto__":{"polluted":"yes"}'].join(',')}}`],
    ['"__proto__" nested', (m) => `{${[...m, '"notes":{"__proto__":{"polluted":"yes"}}'].join(',')}}`],
    ['"__proto__" in an array', () => '[{"__proto__":{"polluted":"yes"}}]'],
    ['"constructor": {"prototype"}', (m) => `{${[...m, '"constructor":{"prototype":{"polluted":"yes"}}'].join(',')}}`],
    ['"constructor" first', (m) => `{${['"constructor":{"prototype":{"polluted":"yes"}}', ...m].join(',')}}`],
    ['"constructor" escaped', (m) => `{${[...m, '"constructor":{"\\u0070rototype":{"polluted":"yes"}}'].join(',')}}`],
    ['"constructor" nested', (m) => `{${[...m, '"notes":{"constructor":{"prototype":{"polluted":"yes"}}}'].join(',')}}`],
  ]
  const stateBefore = await getState(app)
  for (const [method, url, headers, members] of routes) {
    for (const [name, body] of poisons) {
      const label = `${method} ${url}${headers.authorization !== undefined ? ' (bearer)' : ''}: ${name}`
      const res = await send(app, method, url, headers, body(members))
      t.equal(res.statusCode, 400, label)
      t.same(res.json(), INVALID_JSON, `${label}: exact body`)
      t.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: ({}).polluted === undefined`)
      t.notOk(Object.hasOwn(Object.prototype, 'polluted'), `${label}: Object.prototype untouched`)
    }
  }
  t.same(await getState(app), stateBefore, 'nothing was written')
  t.same((await app.inject({ url: '/v1/clients/1024', headers: v1 })).json(), { status: 'SUCCESS', client: CLIENT_1024 }, 'client 1024 unchanged')
  t.equal((await app.inject({ url: '/v1/clients/1024', headers: { api_key: INACTIVE_KEY } })).statusCode, 403, 'the inactive key is still inactive')
  // Control: the same bodies without the poison are accepted, so the 400s above are the poison's.
  for (const [i, [method, url, headers, members]] of routes.entries()) {
    if (url === '/__admin/reset' || url === '/v1/clients/1025' || url.startsWith('/__admin/faults/')) continue
    const res = await send(app, method, url, headers, `{${members.map((m) => m.replace('"Poison"', `"Control ${i}"`)).join(',')}}`)
    t.ok(res.statusCode >= 200 && res.statusCode < 300, `control: ${method} ${url} without the poison → ${res.statusCode}`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'still no pollution')
})

/* ------------------------------------------------------------------------------------------ */
/* 6. X-Content-Type-Options: nosniff on every answer                                         */
/* ------------------------------------------------------------------------------------------ */

t.test('X-Content-Type-Options: nosniff on every answer, injected and over a real socket', async (t) => {
  const app = await build(t)
  const guarded = await build(t, { ADMIN_TOKEN: 'nosniff-admin-token' })
  const k = { api_key: DEMO_KEY }
  const json = { 'content-type': 'application/json' }
  const faultRes = await send(app, 'POST', '/__admin/faults', {}, { path: '/v1/clients/7', status: 502 })
  t.equal(faultRes.statusCode, 201, 'a fault for a forced 502')
  type Case = [string, FastifyInstance, InjectOptions, number]
  const cases: Case[] = [
    ['200 Get Client', app, { url: '/v1/clients/1024', headers: k }, 200],
    ['200 HEAD', app, { method: 'HEAD', url: '/v1/clients/1024', headers: k }, 200],
    ['200 list', app, { url: '/v1/clients', headers: k }, 200],
    ['200 Authorize', app, { url: '/v1/Authorization/Authorize', headers: k }, 200],
    ['201 POST', app, { method: 'POST', url: '/v1/clients', headers: { ...k, ...json }, payload: '{"name":"Nosniff"}' }, 201],
    ['200 PUT', app, { method: 'PUT', url: '/v1/clients/3', headers: { ...k, ...json }, payload: '{"name":"Nosniff 3"}' }, 200],
    ['204 DELETE', app, { method: 'DELETE', url: '/v1/clients/1025', headers: k }, 204],
    ['400 client_id', app, { url: '/v1/clients/abc', headers: k }, 400],
    ['400 JSON', app, { method: 'POST', url: '/v1/clients', headers: { ...k, ...json }, payload: '{' }, 400],
    ['400 Prefer', app, { url: '/v1/clients/1024', headers: { ...k, prefer: 'code=abc' } }, 400],
    ['400 bad %-encoding', app, { url: '/v1/clients/%zz', headers: k }, 400],
    ['401 no key', app, { url: '/v1/clients/1024' }, 401],
    ['401 bad token', app, { url: '/v1/clients/1024', headers: { authorization: 'Bearer a.b.c' } }, 401],
    ['401 Authorize (Fatora\'s shape)', app, { url: '/v1/Authorization/Authorize', headers: { api_key: 'nope' } }, 401],
    ['403 inactive key', app, { url: '/v1/clients/1024', headers: { api_key: INACTIVE_KEY } }, 403],
    ['403 Authorize inactive', app, { url: '/v1/Authorization/Authorize', headers: { api_key: INACTIVE_KEY } }, 403],
    ['404 client', app, { url: '/v1/clients/999999', headers: k }, 404],
    ['404 route', app, { url: '/nothing' }, 404],
    ['405', app, { method: 'PATCH', url: '/v1/clients/1024', headers: k }, 405],
    ['405 OPTIONS', app, { method: 'OPTIONS', url: '/v1/clients' }, 405],
    ['406', app, { url: '/v1/clients/1024', headers: { ...k, accept: 'text/html' } }, 406],
    ['409', app, { method: 'POST', url: '/v1/clients', headers: { ...k, ...json }, payload: '{"name":"Dup","email":"client@example.com"}' }, 409],
    ['413', app, { method: 'POST', url: '/v1/clients', headers: { ...k, ...json }, payload: `{"name":"${'a'.repeat(1_100_000)}"}` }, 413],
    ['414 path parameter over 100 characters', app, { url: `/v1/clients/${'1'.repeat(150)}`, headers: k }, 414],
    ['415', app, { method: 'POST', url: '/v1/clients', headers: { ...k, 'content-type': 'text/xml' }, payload: '<x/>' }, 415],
    ['500 via Prefer', app, { url: '/v1/clients/1024', headers: { ...k, prefer: 'code=500' } }, 500],
    ['503 via Prefer', app, { url: '/v1/clients/1024', headers: { ...k, prefer: 'code=503' } }, 503],
    ['502 via a fault', app, { url: '/v1/clients/7', headers: k }, 502],
    ['/health', app, { url: '/health' }, 200],
    ['/__admin/state', app, { url: '/__admin/state' }, 200],
    ['/__admin 201', app, { method: 'POST', url: '/__admin/merchants', headers: json, payload: '{"name":"Nosniff Ltd"}' }, 201],
    ['/__admin 204', app, { method: 'DELETE', url: '/__admin/requests' }, 204],
    ['/__admin 400', app, { method: 'POST', url: '/__admin/seed', headers: json, payload: '{"count":0}' }, 400],
    ['/__admin 404', app, { url: '/__admin/nothing' }, 404],
    ['/__admin 405', app, { method: 'DELETE', url: '/__admin/state' }, 405],
    ['/__admin 422', app, { method: 'POST', url: '/__admin/api-keys', headers: json, payload: '{"merchant_id":99}' }, 422],
    ['/__admin 401 missing token', guarded, { url: '/__admin/state' }, 401],
    ['/__admin 401 wrong token', guarded, { url: '/__admin/state', headers: { authorization: 'Bearer nope' } }, 401],
    ['/__admin 200 with the token', guarded, { url: '/__admin/state', headers: { authorization: 'Bearer nosniff-admin-token' } }, 200],
    ['/documentation/json', app, { url: '/documentation/json' }, 200],
    ['/documentation/yaml', app, { url: '/documentation/yaml' }, 200],
    ['/documentation (Swagger UI)', app, { url: '/documentation' }, 200],
    ['/documentation/static/index.html (redirect)', app, { url: '/documentation/static/index.html' }, 302],
  ]
  for (const [label, target, options, status] of cases) {
    const res = await target.inject(options)
    t.equal(res.statusCode, status, label)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`)
  }

  // Over a real socket, including what Node rejects before Fastify (errors.ts rawErrorResponse).
  const { port } = await listen(t)
  const raws: Array<[string, string, number]> = [
    ['200 over a socket', `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nConnection: close\r\n\r\n`, 200],
    ['400 garbage request line', 'GARBAGE\r\n\r\n', 400],
    ['400 unsupported HTTP version', 'GET /v1/clients/1024 HTTP/9.9\r\nHost: localhost\r\n\r\n', 400],
    ['400 header name with a space ("Authorization Bearer:")', 'GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nAuthorization Bearer: x.y.z\r\n\r\n', 400],
    ['400 Content-Length with Transfer-Encoding', 'POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['414 request line over 16 KB', `GET /v1/clients/${'1'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 414],
    ['431 header over 16 KB', `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['405 CONNECT', 'CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n', 405],
    ['413 over a socket', `POST /v1/clients HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1100000\r\n\r\n${'a'.repeat(1_100_000)}`, 413],
    ['400 bad %-encoding over a socket', 'GET /v1/clients/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400],
    ['414 path parameter over a socket', `GET /v1/clients/${'9'.repeat(101)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 414],
  ]
  for (const [label, data, status] of raws) {
    const res = await rawExchange(port, data)
    t.equal(res.status, status, label)
    t.equal(res.headers['content-type'], JSON_TYPE, `${label}: JSON`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`)
  }
})
