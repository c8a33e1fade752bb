// GET / and HEAD / (CONTRACT §8): a browser opening the base URL is sent to Swagger UI. A 302
// with an empty body (a redirect is not an error: no envelope), below PUBLIC_URL's path when it
// has one, and not an API route (absent from the OpenAPI document).
import t from 'tap'
import { build, failure } from '../helper.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('GET / and HEAD / → 302 to /documentation, every header, no body', async (t) => {
  const app = await build(t)
  for (const method of ['GET', 'HEAD'] as const) {
    for (const url of ['/', '/?from=bookmark']) {
      const res = await app.inject({ method, url, headers: { accept: 'text/html' } })
      t.equal(res.statusCode, 302, `${method} ${url}: 302`)
      const { 'x-request-id': id, date, ...headers } = res.headers
      t.match(id, UUID, `${method} ${url}: an x-request-id like every answer`)
      t.match(date, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/, `${method} ${url}: a Date`)
      t.same(headers, { location: '/documentation', 'x-content-type-options': 'nosniff', 'content-length': '0', connection: 'keep-alive' }, `${method} ${url}: exactly these headers`)
      t.equal(res.body, '', `${method} ${url}: an empty body`)
    }
  }
})

t.test('where it leads: Swagger UI answers 200 with HTML', async (t) => {
  const app = await build(t)
  const location = (await app.inject({ url: '/' })).headers.location as string
  const res = await app.inject({ url: location })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.match(res.body, /<title>Swagger UI<\/title>/)
})

t.test('Location by configuration', async (t) => {
  const cases: Array<{ name: string, config: Parameters<typeof build>[1], location: string }> = [
    { name: 'PUBLIC_URL without a path', config: { PUBLIC_URL: 'http://localhost:3000' }, location: '/documentation' },
    { name: 'PUBLIC_URL with a trailing slash only', config: { PUBLIC_URL: 'https://mock.example.com/' }, location: '/documentation' },
    { name: 'PUBLIC_URL below a path (a proxy)', config: { PUBLIC_URL: 'http://localhost:8080/fatora' }, location: '/fatora/documentation' },
    { name: 'PUBLIC_URL below a path with a trailing slash', config: { PUBLIC_URL: 'http://localhost:8080/tools/fatora/' }, location: '/tools/fatora/documentation' },
    // Swagger UI is served whether or not /__admin is.
    { name: 'ADMIN_ENABLED=false', config: { ADMIN_ENABLED: false }, location: '/documentation' },
  ]
  for (const c of cases) {
    const app = await build(t, c.config)
    const res = await app.inject({ url: '/' })
    t.same({ status: res.statusCode, location: res.headers.location, body: res.body }, { status: 302, location: c.location, body: '' }, c.name)
  }
})

t.test('not an API route: absent from the OpenAPI document; other methods are not found', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json() as { paths: Record<string, unknown> }
  t.notOk('/' in spec.paths, 'no "/" in paths')
  for (const method of ['POST', 'PUT', 'DELETE'] as const) {
    const res = await app.inject({ method, url: '/' })
    t.same({ status: res.statusCode, body: res.json() }, { status: 404, body: failure(404, `Route ${method} / not found`) }, `${method} / → the 404 envelope`)
  }
})
