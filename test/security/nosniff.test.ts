// X-Content-Type-Options: nosniff on every answer — each status of /v1, /__admin (with and
// without ADMIN_TOKEN), /health and the docs, injected, and over a real socket down to the
// protocol errors Node answers before Fastify.
import t from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { build, DEMO_KEY, INACTIVE_KEY, listen } from '../helper.js'
import { JSON_TYPE, rawExchange, send } from './support.js'

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
    ['414 path parameter over 200 characters', app, { url: `/v1/clients/${'1'.repeat(250)}`, headers: k }, 414],
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
    ['414 path parameter over a socket', `GET /v1/clients/${'9'.repeat(201)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 414],
  ]
  for (const [label, data, status] of raws) {
    const res = await rawExchange(port, data)
    t.equal(res.status, status, label)
    t.equal(res.headers['content-type'], JSON_TYPE, `${label}: JSON`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`)
  }
})
