// The envelope everywhere (CONTRACT §1): unknown routes, wrong methods, bodies where none is
// expected, bad URLs — all answered by src/http/errors.ts and src/http/raw-errors.ts, never by Fastify's default bodies.
import t from 'tap'
import { build, DEMO_KEY, failure } from '../helper.js'

t.test('unknown routes answer the 404 envelope naming the route, without the query string', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string]> = [
    ['GET', '/index.html', 'Route GET /index.html not found'],
    ['GET', '/v1', 'Route GET /v1 not found'],
    ['GET', '/v1/client', 'Route GET /v1/client not found'],
    ['GET', '/v2/clients/1024', 'Route GET /v2/clients/1024 not found'],
    ['GET', '/v1/clients/1024/extra', 'Route GET /v1/clients/1024/extra not found'],
    ['GET', '/V1/CLIENTS/1024', 'Route GET /V1/CLIENTS/1024 not found'],
    ['POST', '/nothing', 'Route POST /nothing not found'],
    ['TRACE', '/nothing', 'Route TRACE /nothing not found'],
    ['PROPFIND', '/v1/other', 'Route PROPFIND /v1/other not found'],
  ]
  for (const [method, url, description] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers: { api_key: DEMO_KEY } })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.same(res.json(), failure(404, description), `${method} ${url}`)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  }
})

t.test('a query string is never echoed in a description', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/nothing?api_key=' + DEMO_KEY })
  t.same(res.json(), failure(404, 'Route GET /nothing not found'))
  t.notMatch(res.body, DEMO_KEY)
})

t.test('a very long unknown path is echoed truncated', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/' + 'a'.repeat(500) })
  t.equal(res.statusCode, 404)
  t.same(res.json(), failure(404, `Route GET /${'a'.repeat(119)}… not found`))
})

t.test('a wrong method on a known path answers 405 with Allow, before auth and body parsing', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string]> = [
    ['POST', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    ['PATCH', '/v1/clients/abc', 'GET, HEAD, PUT, DELETE'],
    ['OPTIONS', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    ['PATCH', '/v1/clients', 'GET, HEAD, POST'],
    ['POST', '/health', 'GET, HEAD'],
    ['TRACE', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    ['PROPFIND', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    ['QUERY', '/health', 'GET, HEAD'],
    ['PURGE', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    // A list path with its trailing slash: the item route's parameter must not catch it.
    ['PUT', '/v1/clients/', 'GET, HEAD'],
    ['DELETE', '/v1/clients/?page=2', 'GET, HEAD'],
    ['DELETE', '/v1/products/', 'GET, HEAD'],
    ['PUT', '/v1/invoices/', 'GET, HEAD'],
    ['PATCH', '/v1/invoices/', 'GET, HEAD'],
  ]
  for (const [method, url, allow] of cases) {
    const res = await app.inject({
      method: method as 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    })
    t.equal(res.statusCode, 405, `${method} ${url}`)
    t.equal(res.headers.allow, allow, `${method} ${url}`)
    t.same(res.json(), failure(405, `Method ${method} not allowed; this route allows ${allow}`), `${method} ${url}`)
  }
})

t.test('Content-Type: application/json with no body never fails on its own (Fatora\'s samples send it)', async (t) => {
  const app = await build(t)
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    const unknown = await app.inject({ method, url: '/v1/nothing', headers: { 'content-type': 'application/json' } })
    t.equal(unknown.statusCode, 404, `${method} unknown route`)
    t.same(unknown.json(), failure(404, `Route ${method} /v1/nothing not found`))
    const known = await app.inject({ method, url: '/v1/clients/1024', headers: { 'content-type': 'application/json' } })
    // PUT and DELETE are routes of their own now: without a key, auth answers first.
    t.equal(known.statusCode, method === 'PUT' || method === 'DELETE' ? 401 : 405, `${method} known route`)
  }
  const get = await app.inject({ method: 'GET', url: '/v1/clients/1024', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' } })
  t.equal(get.statusCode, 200)
})

t.test('a body on a GET is ignored, whatever it holds', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'GET',
    url: '/v1/clients/1024',
    headers: { api_key: DEMO_KEY, 'content-type': 'application/json' },
    payload: '{"__proto__": {"x": 1}, broken',
  })
  t.equal(res.statusCode, 200)
})

t.test('on an unknown route, any body answers the route\'s 404: the route is checked first', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, string>, string, number, string]> = [
    [{ 'content-type': 'application/json' }, '{broken', 404, 'Route POST /v1/nothing not found'],
    [{ 'content-type': 'application/json' }, '{"__proto__": {"polluted": true}}', 404, 'Route POST /v1/nothing not found'],
    [{ 'content-type': 'application/json' }, '{"constructor": {"prototype": {"polluted": true}}}', 404, 'Route POST /v1/nothing not found'],
    [{ 'content-type': 'application/xml' }, '<a/>', 404, 'Route POST /v1/nothing not found'],
    [{ 'content-type': 'text/plain' }, 'hello', 404, 'Route POST /v1/nothing not found'],
  ]
  for (const [headers, payload, status, description] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/nothing', headers, payload })
    t.equal(res.statusCode, status, payload)
    t.same(res.json(), failure(status, description), payload)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
})

t.test('bad percent-encoding and over-long path parameters', async (t) => {
  const app = await build(t)
  const cases: Array<[string, number, string]> = [
    ['/v1/clients/%zz', 400, 'Malformed URL: invalid percent-encoding in the path'],
    ['/v1/clients/%', 400, 'Malformed URL: invalid percent-encoding in the path'],
    ['/v1/clients/%C0%AF', 400, 'Malformed URL: invalid percent-encoding in the path'],
    ['/v1/clients/' + '1'.repeat(201), 414, 'URI too long: a path parameter exceeds 200 characters'],
  ]
  for (const [url, status, description] of cases) {
    const res = await app.inject({ url, headers: { api_key: DEMO_KEY } })
    t.equal(res.statusCode, status, url.slice(0, 40))
    t.same(res.json(), failure(status, description), url.slice(0, 40))
  }
})

t.test('GET /health answers 200 and is not an API route', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})
