// Path parameters up to 200 characters: the longest value one legitimately takes is an API key
// (1–200 visible ASCII characters) in PATCH /__admin/api-keys/{key}. Every key the admin API
// accepts can be addressed there; a longer parameter is the 414 envelope (CONTRACT §1).
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build, DEMO_KEY, failure, listen } from '../helper.js'

const TOO_LONG = failure(414, 'URI too long: a path parameter exceeds 200 characters')

async function call (app: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: unknown }> {
  const res = await app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.json() }
}

/** A key of exactly `length` visible ASCII characters, starting with `head`. */
const keyOf = (length: number, head = 'K'): string => (head + 'x'.repeat(length)).slice(0, length)

t.test('every key length the admin API accepts can be deactivated and reactivated by its path', async (t) => {
  const app = await build(t)
  // [name, key]: lengths around the router's old limit (100) and the new one (200), and keys whose
  // characters must be percent-encoded in a path (the limit counts decoded characters).
  const keys: Array<[string, string]> = [
    ['1 character', 'k'],
    ['100 characters', keyOf(100, 'A100-')],
    ['101 characters', keyOf(101, 'A101-')],
    ['199 characters', keyOf(199, 'A199-')],
    ['200 characters', keyOf(200, 'A200-')],
    ['200 characters, each percent-encoded (600 in the URL)', '%'.repeat(200)],
    ['200 characters with / ? # and +', keyOf(200, 'a/b?c#d+e&f=g\\h|')],
  ]
  for (const [name, key] of keys) {
    await t.test(name, async (t) => {
      const path = `/__admin/api-keys/${encodeURIComponent(key)}`
      t.same(await call(app, 'POST', '/__admin/api-keys', { merchant_id: 1, key }), { status: 201, json: { key, merchant_id: 1, status: 'active' } }, 'created')
      t.same(await call(app, 'GET', '/v1/clients/1025', undefined, { api_key: key }), {
        status: 200,
        json: { status: 'SUCCESS', client: { id: 1025, name: 'Client Without Details', address: null, phone: null, email: null, note: null, notes: null } },
      }, 'it authenticates')
      t.same(await call(app, 'PATCH', path, { status: 'inactive' }), { status: 200, json: { key, merchant_id: 1, status: 'inactive' } }, 'deactivated by its path')
      t.same(await call(app, 'GET', '/v1/clients/1025', undefined, { api_key: key }), { status: 403, json: failure(403, 'Merchant API key is inactive') }, 'then refused')
      t.same(await call(app, 'PATCH', path, { status: 'active' }), { status: 200, json: { key, merchant_id: 1, status: 'active' } }, 'reactivated')
      t.equal((await call(app, 'GET', '/v1/clients/1025', undefined, { api_key: key })).status, 200, 'and accepted again')
    })
  }
})

t.test('keys past 200 characters are refused by the admin API, and path parameters past 200 by the router', async (t) => {
  const app = await build(t)
  const tooLongKey = failure(400, 'Invalid body field key: must NOT have more than 200 characters')
  for (const length of [201, 1000]) {
    t.same(await call(app, 'POST', '/__admin/api-keys', { merchant_id: 1, key: keyOf(length) }), { status: 400, json: tooLongKey }, `a key of ${length} characters`)
  }
  // [name, method, path, answer]: the limit applies to every route with a path parameter.
  const cases: Array<[string, string, string, number, object]> = [
    ['a 201-character key', 'PATCH', `/__admin/api-keys/${keyOf(201)}`, 414, TOO_LONG],
    ['a 201-character key, percent-encoded', 'PATCH', `/__admin/api-keys/${'%25'.repeat(201)}`, 414, TOO_LONG],
    ['a 5,000-character key', 'PATCH', `/__admin/api-keys/${keyOf(5000)}`, 414, TOO_LONG],
    ['a 201-digit client_id', 'GET', `/v1/clients/${'9'.repeat(201)}`, 414, TOO_LONG],
    ['a 201-digit product_id', 'DELETE', `/v1/products/${'9'.repeat(201)}`, 414, TOO_LONG],
    ['a 201-digit invoice_id', 'PUT', `/v1/invoices/${'9'.repeat(201)}`, 414, TOO_LONG],
    ['a 201-character paymentID', 'POST', `/__admin/payments/${keyOf(201)}/complete`, 414, TOO_LONG],
    // A method the route does not take: still the 414 (the parameter is the first problem).
    ['a 201-character key, GET', 'GET', `/__admin/api-keys/${keyOf(201)}`, 414, TOO_LONG],
    ['a 201-character key, TRACE', 'TRACE', `/__admin/api-keys/${keyOf(201)}`, 414, TOO_LONG],
    ['a 201-digit client_id, PATCH', 'PATCH', `/v1/clients/${'9'.repeat(201)}`, 414, TOO_LONG],
    // Within the limit the route's own rules answer.
    ['a 200-character unknown key', 'PATCH', `/__admin/api-keys/${keyOf(200)}`, 404, failure(404, 'API key not found')],
    ['a 200-digit client_id', 'GET', `/v1/clients/${'9'.repeat(200)}`, 400, failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991')],
  ]
  for (const [name, method, url, status, answer] of cases) {
    const body = method === 'PATCH' ? { status: 'inactive' } : method === 'PUT' ? { amount: 1 } : method === 'POST' ? { outcome: 'cancelled' } : undefined
    t.same(await call(app, method, url, body, { api_key: DEMO_KEY }), { status, json: answer }, name)
  }
})

t.test('over a real socket: 200 characters reach the route, 201 are a 414 envelope', async (t) => {
  const { base } = await listen(t)
  const key = keyOf(200, 'SOCKET-')
  const json = { 'content-type': 'application/json' }
  const created = await fetch(`${base}/__admin/api-keys`, { method: 'POST', headers: json, body: JSON.stringify({ merchant_id: 2, key }) })
  t.equal(created.status, 201)
  const patched = await fetch(`${base}/__admin/api-keys/${key}`, { method: 'PATCH', headers: json, body: '{"status":"inactive"}' })
  t.same([patched.status, await patched.json()], [200, { key, merchant_id: 2, status: 'inactive' }])
  const tooLong = await fetch(`${base}/__admin/api-keys/${key}x`, { method: 'PATCH', headers: json, body: '{"status":"inactive"}' })
  t.equal(tooLong.status, 414)
  t.equal(tooLong.headers.get('content-type'), 'application/json; charset=utf-8')
  t.equal(await tooLong.text(), JSON.stringify(TOO_LONG))
})
