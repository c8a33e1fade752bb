// Authorize and bearer tokens (CONTRACT §4): Fatora's own bodies on
// /v1/Authorization/Authorize, the token's claims, the token lifecycle on the client routes,
// every refused token, the "Authorization Bearer:" header over a raw socket, and no token in the logs.
import t from 'tap'
import { createSigner } from 'fast-jwt'
import type { FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import { connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build, buildWithDb, CLIENT_1024, DEMO_KEY, failure, httpGet, INACTIVE_KEY, SECOND_KEY } from '../helper.js'
import { startServer } from '../support/child.js'

const URL_PATH = '/v1/Authorization/Authorize'
const JSON_TYPE = 'application/json; charset=utf-8'
const SECRET = 'test-secret-0123456789abcdef'
/** sha256(DEMO_KEY) → first 16 hex digits, written out so the test does not reuse the code it checks. */
const DEMO_KEY_ID = '34b421bc90f3dd7f'
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

const invalidApiKey = { status: 'ERROR', error: 'Invalid API Key' }
const inactiveApiKey = { status: 'ERROR', error: 'Inactive API Key' }

async function obtainToken (app: FastifyInstance, key = DEMO_KEY, method: 'GET' | 'POST' = 'GET'): Promise<string> {
  const res = await app.inject({ method, url: URL_PATH, headers: { api_key: key } })
  if (res.statusCode !== 200) throw new Error(`Authorize answered ${res.statusCode}: ${res.body}`)
  return res.json().bearer_token
}

function decodePart (token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8'))
}

const now = (): number => Math.floor(Date.now() / 1000)
const sign = (payload: Record<string, unknown>, key = SECRET, algorithm: 'HS256' | 'HS512' = 'HS256'): string =>
  createSigner({ key, algorithm })(payload)

t.test('GET and POST answer 200 with Fatora\'s body: success and an HS256 JWT, not cacheable', async (t) => {
  const app = await build(t)
  const requests: Array<[string, { method: 'GET' | 'POST', headers: Record<string, string>, payload?: string }]> = [
    ['GET', { method: 'GET', headers: { api_key: DEMO_KEY } }],
    ['GET with Content-Type: application/json and no body (the docs\' samples)', { method: 'GET', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' } }],
    ['POST with no body and no Content-Type', { method: 'POST', headers: { api_key: DEMO_KEY } }],
    ['POST with Content-Type: application/json and no body', { method: 'POST', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' } }],
    ['POST with a JSON body (ignored)', { method: 'POST', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, payload: '{"anything":1}' }],
  ]
  for (const [name, request] of requests) {
    const res = await app.inject({ url: URL_PATH, ...request })
    t.equal(res.statusCode, 200, name)
    t.equal(res.headers['content-type'], JSON_TYPE, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
    const body = res.json()
    t.same(Object.keys(body), ['success', 'bearer_token'], name)
    t.equal(body.success, true, name)
    t.match(body.bearer_token, JWT_SHAPE, name)
    t.same(decodePart(body.bearer_token, 0), { alg: 'HS256', typ: 'JWT' }, `${name}: header`)
  }
})

t.test('the token\'s claims: merchant, key id (not the key), iat and exp = iat + JWT_TTL', async (t) => {
  const { app } = await buildWithDb(t, { JWT_SECRET: SECRET })
  const before = now()
  const token = await obtainToken(app)
  const claims = decodePart(token, 1)
  t.same(Object.keys(claims).sort(), ['exp', 'iat', 'key_id', 'merchant_id'])
  t.equal(claims.merchant_id, 1)
  t.equal(claims.key_id, DEMO_KEY_ID)
  t.equal(DEMO_KEY_ID, createHash('sha256').update(DEMO_KEY).digest('hex').slice(0, 16), 'the key id is sha256(key), first 16 hex digits')
  t.equal((claims.exp as number) - (claims.iat as number), 3600, 'default JWT_TTL is one hour')
  t.ok((claims.iat as number) >= before && (claims.iat as number) <= now(), 'iat is now')
  for (const text of [token, JSON.stringify(claims), JSON.stringify(decodePart(token, 0))]) {
    t.notOk(text.includes(DEMO_KEY), 'the key is not in the token')
    t.notOk(text.toLowerCase().includes(DEMO_KEY.toLowerCase()), 'not even in another case')
  }
  const second = decodePart(await obtainToken(app, SECOND_KEY, 'POST'), 1)
  t.equal(second.merchant_id, 2, 'the second merchant\'s token names merchant 2')
  t.not(second.key_id, DEMO_KEY_ID)

  const { app: short } = await buildWithDb(t, { JWT_SECRET: SECRET, JWT_TTL: 120 })
  const c = decodePart(await obtainToken(short), 1)
  t.equal((c.exp as number) - (c.iat as number), 120, 'jwtTtl sets the lifetime')
})

t.test('bad keys get Fatora\'s own shape: 401 Invalid API Key, 403 Inactive API Key (GET and POST)', async (t) => {
  const app = await build(t)
  const cases: Array<[string, Record<string, string | string[]>, number, object]> = [
    ['no api_key header', {}, 401, invalidApiKey],
    ['empty api_key', { api_key: '' }, 401, invalidApiKey],
    ['whitespace-only api_key', { api_key: '  ' }, 401, invalidApiKey],
    ['unknown key', { api_key: 'not-a-key' }, 401, invalidApiKey],
    ['key in lower case', { api_key: DEMO_KEY.toLowerCase() }, 401, invalidApiKey],
    ['key with a suffix', { api_key: DEMO_KEY + 'X' }, 401, invalidApiKey],
    ['two api_key headers', { api_key: [DEMO_KEY, DEMO_KEY] }, 401, invalidApiKey],
    ['the key as Authorization instead', { authorization: DEMO_KEY }, 401, invalidApiKey],
    ['a bearer token instead of api_key', { authorization: `Bearer ${await obtainToken(app)}` }, 401, invalidApiKey],
    ['inactive key', { api_key: INACTIVE_KEY }, 403, inactiveApiKey],
    ['inactive key with a bad Content-Type (the key is checked first)', { api_key: INACTIVE_KEY, 'content-type': 'text/plain' }, 403, inactiveApiKey],
    ['unknown key with a bad Accept (the key is checked first)', { api_key: 'nope', accept: 'text/html' }, 401, invalidApiKey],
  ]
  for (const method of ['GET', 'POST'] as const) {
    for (const [name, headers, status, body] of cases) {
      const res = await app.inject({ method, url: URL_PATH, headers })
      t.equal(res.statusCode, status, `${method} ${name}`)
      t.equal(res.body, JSON.stringify(body), `${method} ${name}: exact body`)
      t.equal(res.headers['content-type'], JSON_TYPE, `${method} ${name}`)
    }
  }
})

t.test('every other failure on the route keeps the usual envelope', async (t) => {
  const app = await build(t)
  const allow = 'GET, HEAD, POST'
  for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
    const res = await app.inject({ method, url: URL_PATH, headers: { api_key: DEMO_KEY } })
    t.equal(res.statusCode, 405, method)
    t.equal(res.headers.allow, allow, method)
    t.same(res.json(), failure(405, `Method ${method} not allowed; this route allows ${allow}`), method)
  }
  const cases: Array<[string, 'GET' | 'POST', Record<string, string>, string | undefined, number, string]> = [
    ['a non-JSON Content-Type', 'POST', { 'content-type': 'text/plain' }, 'hello', 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    ['a form body', 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    ['Accept without JSON', 'GET', { accept: 'application/xml' }, undefined, 406, 'Not acceptable: the Accept header must allow application/json'],
    ['a body that is not JSON', 'POST', { 'content-type': 'application/json' }, '{', 400, 'Invalid JSON body'],
  ]
  for (const [name, method, headers, payload, status, description] of cases) {
    const res = await app.inject({ method, url: URL_PATH, headers: { api_key: DEMO_KEY, ...headers }, ...(payload === undefined ? {} : { payload }) })
    t.equal(res.statusCode, status, name)
    t.same(res.json(), failure(status, description), name)
  }
  for (const path of ['/v1/authorization/authorize', '/v1/Authorization/Authorize/', '/v1/Authorization']) {
    const res = await app.inject({ url: path, headers: { api_key: DEMO_KEY } })
    t.equal(res.statusCode, 404, path)
    t.same(res.json(), failure(404, `Route GET ${path} not found`), `${path}: paths are exact`)
  }
})

t.test('token lifecycle: obtain, then read the merchant\'s clients with Bearer instead of api_key', async (t) => {
  const app = await build(t)
  for (const method of ['GET', 'POST'] as const) {
    const token = await obtainToken(app, DEMO_KEY, method)
    const own = await app.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })
    t.equal(own.statusCode, 200, `${method} token reads client 1024`)
    t.same(own.json(), { status: 'SUCCESS', client: CLIENT_1024 })
    const foreign = await app.inject({ url: '/v1/clients/2048', headers: { authorization: `Bearer ${token}` } })
    const missing = await app.inject({ url: '/v1/clients/999999', headers: { authorization: `Bearer ${token}` } })
    t.equal(foreign.statusCode, 404, 'another merchant\'s client is not found')
    t.same(foreign.json(), failure(404, 'Client not found'))
    t.equal(foreign.body, missing.body, 'byte for byte the same as a missing client')
  }
  const second = await obtainToken(app, SECOND_KEY)
  const res = await app.inject({ url: '/v1/clients/2048', headers: { authorization: `Bearer ${second}` } })
  t.equal(res.statusCode, 200, 'the second merchant\'s token reads its client')
  t.equal(res.json().client.id, 2048)
  const theirs = await app.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${second}` } })
  t.same(theirs.json(), failure(404, 'Client not found'), 'and not the demo merchant\'s')
})

t.test('the scheme is case-insensitive and HTTP whitespace is trimmed; HEAD works', async (t) => {
  const app = await build(t)
  const token = await obtainToken(app)
  for (const value of [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`, ` Bearer ${token} `, `Bearer\t${token}`]) {
    const res = await app.inject({ url: '/v1/clients/1024', headers: { authorization: value } })
    t.equal(res.statusCode, 200, JSON.stringify(value.replace(token, '<token>')))
  }
  const head = await app.inject({ method: 'HEAD', url: '/v1/clients/1024', headers: { authorization: `Bearer ${token}` } })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
})

t.test('refused tokens: 401 envelope with a reason and a WWW-Authenticate challenge', async (t) => {
  const { app } = await buildWithDb(t, { JWT_SECRET: SECRET })
  const token = await obtainToken(app)
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const tampered = Buffer.from(JSON.stringify({ ...decodePart(token, 1), merchant_id: 2 })).toString('base64url')
  const past = now() - 7200
  const valid = { merchant_id: 1, key_id: DEMO_KEY_ID }
  const challenge = 'Bearer realm="fatora-mock"'
  const invalidChallenge = 'Bearer realm="fatora-mock", error="invalid_token"'
  const cases: Array<[string, string, string, string | undefined]> = [
    ['Basic scheme', `Basic ${Buffer.from('user:pass').toString('base64')}`, 'Unsupported Authorization scheme: use Bearer', challenge],
    ['Token scheme', `Token ${token}`, 'Unsupported Authorization scheme: use Bearer', challenge],
    ['the token with no scheme', token, 'Unsupported Authorization scheme: use Bearer', challenge],
    // A lone value that is not a JWT is most likely the api_key under the wrong header name.
    ['the api key with no scheme', DEMO_KEY, 'Missing api_key header', undefined],
    ['a word with no scheme', 'abc', 'Missing api_key header', undefined],
    ['Bearer glued to the token', `Bearer${token}`, 'Unsupported Authorization scheme: use Bearer', challenge],
    ['Bearer with no token', 'Bearer', 'Empty bearer token', challenge],
    ['Bearer and spaces', 'Bearer    ', 'Empty bearer token', challenge],
    ['malformed: abc', 'Bearer abc', 'Invalid bearer token', invalidChallenge],
    ['malformed: three dots', 'Bearer ...', 'Invalid bearer token', invalidChallenge],
    ['malformed: a.b.c', 'Bearer a.b.c', 'Invalid bearer token', invalidChallenge],
    ['the api key as a bearer token', `Bearer ${DEMO_KEY}`, 'Invalid bearer token', invalidChallenge],
    ['two tokens', `Bearer ${token} ${token}`, 'Invalid bearer token', invalidChallenge],
    ['signature removed', `Bearer ${header}.${payload}.`, 'Invalid bearer token', invalidChallenge],
    ['signature truncated', `Bearer ${header}.${payload}.${signature.slice(0, -2)}`, 'Invalid bearer token', invalidChallenge],
    ['payload tampered (merchant_id 2)', `Bearer ${header}.${tampered}.${signature}`, 'Invalid bearer token', invalidChallenge],
    ['forged: signed with another secret', `Bearer ${sign({ ...valid, iat: now(), exp: now() + 3600 }, 'another-secret-0123456789')}`, 'Invalid bearer token', invalidChallenge],
    ['alg none', `Bearer ${createSigner({ algorithm: 'none' })({ ...valid, iat: now(), exp: now() + 3600 })}`, 'Invalid bearer token', invalidChallenge],
    ['HS512 with the right secret (only HS256 is accepted)', `Bearer ${sign({ ...valid, iat: now(), exp: now() + 3600 }, SECRET, 'HS512')}`, 'Invalid bearer token', invalidChallenge],
    ['right secret, no key_id', `Bearer ${sign({ merchant_id: 1, iat: now(), exp: now() + 3600 })}`, 'Invalid bearer token', invalidChallenge],
    ['right secret, no exp', `Bearer ${sign({ ...valid, iat: now() })}`, 'Invalid bearer token', invalidChallenge],
    ['right secret, merchant_id a string', `Bearer ${sign({ ...valid, merchant_id: '1', iat: now(), exp: now() + 3600 })}`, 'Invalid bearer token', invalidChallenge],
    ['right secret, key_id is the key itself', `Bearer ${sign({ ...valid, key_id: DEMO_KEY, iat: now(), exp: now() + 3600 })}`, 'Invalid bearer token', invalidChallenge],
    ['expired', `Bearer ${sign({ ...valid, iat: past, exp: past + 3600 })}`, 'Bearer token expired', invalidChallenge],
    ['expired and forged (the signature is checked first)', `Bearer ${sign({ ...valid, iat: past, exp: past + 3600 }, 'another-secret-0123456789')}`, 'Invalid bearer token', invalidChallenge],
  ]
  for (const [name, authorization, description, wwwAuthenticate] of cases) {
    const res = await app.inject({ url: '/v1/clients/1024', headers: { authorization } })
    t.equal(res.statusCode, 401, name)
    t.same(res.json(), failure(401, description), name)
    t.equal(res.headers['content-type'], JSON_TYPE, name)
    t.equal(res.headers['www-authenticate'], wwwAuthenticate, name)
  }
  const neither = await app.inject({ url: '/v1/clients/1024', headers: { authorization: '' } })
  t.same(neither.json(), failure(401, 'Missing api_key header'), 'an empty Authorization counts as none')
})

t.test('a token made with the right secret, of a valid shape, is accepted; one naming another merchant is 403', async (t) => {
  const { app } = await buildWithDb(t, { JWT_SECRET: SECRET })
  const iat = now()
  const ok = await app.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${sign({ merchant_id: 1, key_id: DEMO_KEY_ID, iat, exp: iat + 60 })}` } })
  t.equal(ok.statusCode, 200)
  const crossed = await app.inject({ url: '/v1/clients/2048', headers: { authorization: `Bearer ${sign({ merchant_id: 2, key_id: DEMO_KEY_ID, iat, exp: iat + 60 })}` } })
  t.equal(crossed.statusCode, 403, 'the key id must be one of that merchant\'s keys')
  t.same(crossed.json(), failure(403, 'Merchant API key is inactive'))
})

t.test('the secret: random per app unless JWT_SECRET is given', async (t) => {
  const first = await build(t)
  const second = await build(t)
  const token = await obtainToken(first)
  const other = await second.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${token}` } })
  t.same(other.json(), failure(401, 'Invalid bearer token'), 'a token from another start (random secret) is refused')
  const { app: a } = await buildWithDb(t, { JWT_SECRET: SECRET })
  const { app: b } = await buildWithDb(t, { JWT_SECRET: SECRET })
  const res = await b.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${await obtainToken(a)}` } })
  t.equal(res.statusCode, 200, 'with the same JWT_SECRET, a token survives a restart')
})

t.test('a token expires after JWT_TTL seconds', async (t) => {
  const { app } = await buildWithDb(t, { JWT_SECRET: SECRET, JWT_TTL: 1 })
  const token = await obtainToken(app)
  const exp = decodePart(token, 1).exp as number
  const fresh = await app.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${token}` } })
  t.equal(fresh.statusCode, 200, 'valid at first')
  // exp is in whole seconds: wait until the clock is past it.
  await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50))
  const stale = await app.inject({ url: '/v1/clients/1024', headers: { authorization: `Bearer ${token}` } })
  t.equal(stale.statusCode, 401)
  t.same(stale.json(), failure(401, 'Bearer token expired'))
})

t.test('api_key wins when both are sent', async (t) => {
  const app = await build(t)
  const token = await obtainToken(app)
  const cases: Array<[string, Record<string, string>, number, object]> = [
    ['valid api_key, garbage bearer', { api_key: DEMO_KEY, authorization: 'Bearer garbage' }, 200, { status: 'SUCCESS', client: CLIENT_1024 }],
    ['valid api_key, Basic', { api_key: DEMO_KEY, authorization: 'Basic abc' }, 200, { status: 'SUCCESS', client: CLIENT_1024 }],
    ['unknown api_key, valid bearer', { api_key: 'nope', authorization: `Bearer ${token}` }, 401, failure(401, "Merchant API key isn't valid")],
    ['empty api_key, valid bearer', { api_key: '', authorization: `Bearer ${token}` }, 401, failure(401, 'Empty api_key header')],
    ['inactive api_key, valid bearer', { api_key: INACTIVE_KEY, authorization: `Bearer ${token}` }, 403, failure(403, 'Merchant API key is inactive')],
    ['the second merchant\'s api_key, the demo merchant\'s bearer', { api_key: SECOND_KEY, authorization: `Bearer ${token}` }, 404, failure(404, 'Client not found')],
  ]
  for (const [name, headers, status, body] of cases) {
    const res = await app.inject({ url: '/v1/clients/1024', headers })
    t.equal(res.statusCode, status, name)
    t.same(res.json(), body, name)
  }
})

t.test('check order with a bearer: token (401/403) → media types (415/406) → client_id (400)', async (t) => {
  const app = await build(t)
  const token = await obtainToken(app)
  const cases: Array<[string, string, Record<string, string>, number]> = [
    ['unknown route beats a bad token', '/v1/nothing', { authorization: 'Bearer x' }, 404],
    ['a bad token beats a bad media type and a bad id', '/v1/clients/abc', { authorization: 'Bearer x', 'content-type': 'text/plain' }, 401],
    ['415 after a good token', '/v1/clients/abc', { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, 415],
    ['406 after a good token', '/v1/clients/abc', { authorization: `Bearer ${token}`, accept: 'text/html' }, 406],
    ['400 after a good token', '/v1/clients/0', { authorization: `Bearer ${token}` }, 400],
  ]
  for (const [name, url, headers, status] of cases) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, status, name)
    t.equal(res.json().error.error_code, String(status), name)
  }
})

t.test('deactivating the key refuses its tokens (403); reactivating accepts them again', async (t) => {
  const app = await build(t)
  const token = await obtainToken(app)
  const bearer = { authorization: `Bearer ${token}` }
  const patch = async (status: string): Promise<void> => {
    const res = await app.inject({ method: 'PATCH', url: `/__admin/api-keys/${DEMO_KEY}`, payload: { status } })
    t.equal(res.statusCode, 200, `PATCH status ${status}`)
  }
  await patch('inactive')
  const refused = await app.inject({ url: '/v1/clients/1024', headers: bearer })
  t.equal(refused.statusCode, 403)
  t.same(refused.json(), failure(403, 'Merchant API key is inactive'))
  const again = await app.inject({ url: URL_PATH, headers: { api_key: DEMO_KEY } })
  t.equal(again.statusCode, 403, 'and the key cannot obtain a new token')
  t.same(again.json(), inactiveApiKey)
  await patch('active')
  const back = await app.inject({ url: '/v1/clients/1024', headers: bearer })
  t.equal(back.statusCode, 200, 'the same token works again once the key is active')
})

t.test('a token of a key that no longer exists is refused with 403', async (t) => {
  const { app, db } = await buildWithDb(t, { JWT_SECRET: SECRET })
  const created = await app.inject({ method: 'POST', url: '/__admin/api-keys', payload: { merchant_id: 2, key: 'TEMPORARY-KEY-0001' } })
  t.equal(created.statusCode, 201)
  const token = await obtainToken(app, 'TEMPORARY-KEY-0001')
  t.equal((await app.inject({ url: '/v1/clients/2048', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  // Reset reloads the fixtures, which do not have this key: it no longer exists.
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200)
  t.equal((db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE key = ?').get('TEMPORARY-KEY-0001') as { n: number }).n, 0)
  const res = await app.inject({ url: '/v1/clients/2048', headers: { authorization: `Bearer ${token}` } })
  t.equal(res.statusCode, 403)
  t.same(res.json(), failure(403, 'Merchant API key is inactive'))
  const other = await app.inject({ url: '/v1/clients/2048', headers: { authorization: `Bearer ${await obtainToken(app, SECOND_KEY)}` } })
  t.equal(other.statusCode, 200, 'the merchant\'s other key still works')
})

t.test('the spec documents Authorize (GET and POST) and the bearer scheme', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  t.same(spec.components.securitySchemes.bearer, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A token from GET or POST /v1/Authorization/Authorize, sent as "Authorization: Bearer <token>"; api_key wins when both are sent',
  })
  t.ok(spec.tags.some((tag: { name: string }) => tag.name === 'authorization'))
  const path = spec.paths['/v1/Authorization/Authorize']
  t.same(Object.keys(path).sort(), ['get', 'post'])
  for (const method of ['get', 'post']) {
    const op = path[method]
    t.same(op.tags, ['authorization'], method)
    t.same(op.security, [{ api_key: [] }], method)
    t.same(op.responses['401'].content['application/json'].example, invalidApiKey, `${method} 401 example`)
    t.same(op.responses['403'].content['application/json'].example, inactiveApiKey, `${method} 403 example`)
    t.same(op.responses['401'].content['application/json'].schema.properties.status, { type: 'string', enum: ['ERROR'] }, `${method} 401 schema`)
    const ok = op.responses['200'].content['application/json']
    t.same(Object.keys(ok.schema.properties), ['success', 'bearer_token'], `${method} 200 schema`)
    t.equal(ok.example.success, true, `${method} 200 example`)
    t.match(ok.example.bearer_token, JWT_SHAPE, `${method} 200 example token`)
    for (const code of ['406', '415', '500', '503']) {
      t.equal(op.responses[code].content['application/json'].example.error.error_code, code, `${method} ${code} is the envelope`)
    }
  }
  t.ok(path.post.responses['400'], 'POST documents the invalid-JSON 400')
})

/** One request over a raw socket; resolves with what the server sent until it closed. */
async function rawRequest (port: number, request: string): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer within 3 s')) }, 3000)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('latin1')) })
    socket.on('error', reject)
  })
}

t.test('"Authorization Bearer: <token>" (a header name with a space, as in some Fatora samples) → 400 saying so', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const token = await obtainToken(app)
  const malformed = "Malformed Authorization header: send 'Authorization: Bearer <token>'"
  const cases: Array<[string, string, string]> = [
    ['Authorization Bearer:', `Authorization Bearer: ${token}`, malformed],
    ['lower case', `authorization bearer: ${token}`, malformed],
    ['two spaces', `Authorization  Bearer: ${token}`, malformed],
    ['no value', 'Authorization Bearer:', malformed],
    ['another header name with a space', 'X Custom: 1', 'Bad request: malformed HTTP request'],
    ['Authorization-like prefix', 'AuthorizationX Bearer: 1', 'Bad request: malformed HTTP request'],
  ]
  for (const [name, line, description] of cases) {
    const raw = await rawRequest(port, `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${line}\r\n\r\n`)
    const [head = '', body = ''] = raw.split('\r\n\r\n')
    t.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/, name)
    t.match(head, /\r\nContent-Type: application\/json; charset=utf-8\r\n/, name)
    t.match(head, /\r\nConnection: close(\r\n|$)/, name)
    t.equal(body, JSON.stringify(failure(400, description)), name)
    t.notOk(raw.includes(token), `${name}: the token is not echoed`)
  }
  const good = await rawRequest(port, `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`)
  t.match(good, /^HTTP\/1\.1 200 OK\r\n/, 'the correct header works over the same server')
})

t.test('the real server: JWT_SECRET and JWT_TTL from the environment; no key or token in the logs', async (t) => {
  const dir = t.testdir({})
  const child = startServer(t, { LOG_LEVEL: 'trace', DB_PATH: join(dir, 'fatora-mock.db'), JWT_SECRET: SECRET, JWT_TTL: '90' }, 20_000)
  const port = await child.ready

  const issued = await httpGet(port, URL_PATH, { api_key: DEMO_KEY })
  t.equal(issued.status, 200)
  const token = JSON.parse(issued.body).bearer_token as string
  const claims = decodePart(token, 1)
  t.equal((claims.exp as number) - (claims.iat as number), 90, 'JWT_TTL=90 reaches the token')
  const mine = sign({ merchant_id: 1, key_id: DEMO_KEY_ID, iat: now(), exp: now() + 60 })
  const answers = [
    await httpGet(port, '/v1/clients/1024', { authorization: `Bearer ${token}` }),
    await httpGet(port, '/v1/clients/1024', { authorization: `Bearer ${mine}` }),
    await httpGet(port, '/v1/clients/1024', { authorization: `Bearer ${token}x` }),
    await httpGet(port, '/v1/clients/1024', { authorization: `Basic ${token}` }),
    await httpGet(port, '/v1/nowhere', { authorization: `Bearer ${token}` }),
    await httpGet(port, URL_PATH, { api_key: 'UNKNOWN-KEY-IN-LOG-TEST' }),
  ]
  t.same(answers.map((a) => a.status), [200, 200, 401, 401, 404, 401], 'JWT_SECRET signs the tokens')
  const raw = await rawRequest(port, `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nAuthorization Bearer: ${token}\r\n\r\n`)
  t.match(raw, /^HTTP\/1\.1 400 /)
  child.kill('SIGTERM')
  t.equal((await child.exited).code, 0, 'clean exit')
  const logs = child.stdout() + child.stderr()
  t.match(logs, /"msg":"request"/, 'requests were logged')
  for (const [name, secret] of [['token', token], ['signature', token.split('.')[2] ?? ''], ['hand-made token', mine], ['api key', DEMO_KEY], ['unknown key', 'UNKNOWN-KEY-IN-LOG-TEST'], ['JWT_SECRET', SECRET]] as const) {
    t.notOk(logs.includes(secret), `no ${name} in the logs`)
  }
})
