// Secrets stay out of a real server's logs (a child process at LOG_LEVEL=trace), its answers (over
// HTTP, and Node's raw protocol errors over a socket), the journal and the spec: the admin token,
// the JWT secret, api keys and bearer tokens, tampered or not.
// Expected bodies are literals (failure()): no message is imported from src/.
import t from 'tap'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_KEY, failure, INACTIVE_KEY } from '../helper.js'
import { startServer } from '../support/child.js'
import { INVALID_CLIENT_ID, INVALID_JSON, KEY_INVALID, MISSING_ID, rawExchange, type Headers, type Method } from './support.js'

// One server start in a child process (the built bundle), allowed up to 120 s below.
t.setTimeout(300_000)

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
    // admin-token.test.ts's variants over a real socket: Node trims the value's surrounding whitespace before the hook.
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
