// The rest of Fatora's client API (CONTRACT §4): list, create, update, delete — full
// bodies, every error, tenancy on every route, paging edges and duplicates.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, CLIENT_1024, DEMO_KEY, failure, INACTIVE_KEY, SECOND_KEY } from '../../helper.js'

async function req (app: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: any, body: string, headers: Record<string, unknown> }> {
  const res = await app.inject({ method: method as 'GET', url, headers: { api_key: DEMO_KEY, ...headers }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json(), body: res.body, headers: res.headers }
}

const CLIENT_1025 = { id: 1025, name: 'Client Without Details', address: null, phone: null, email: null, note: null, notes: null }

t.test('GET /v1/clients: the merchant\'s clients by id, paged', async (t) => {
  const app = await build(t)
  const first = await req(app, 'GET', '/v1/clients')
  t.equal(first.status, 200)
  t.same(Object.keys(first.json), ['status', 'clients', 'page', 'page_size', 'total'])
  t.same([first.json.status, first.json.page, first.json.page_size, first.json.total], ['SUCCESS', 1, 20, 42])
  t.same(first.json.clients.map((c: { id: number }) => c.id), Array.from({ length: 20 }, (_, i) => i + 1))
  t.same(first.json.clients[0], {
    id: 1, name: 'Myrl Terry', address: '1407 The Grange, Batzburgh', phone: '+15392197451', email: 'myrl.terry1@example.org', note: 'Contact in the morning only', notes: 'Contact in the morning only',
  })

  const last = await req(app, 'GET', '/v1/clients?page=3&page_size=20')
  t.same(last.json.clients, [CLIENT_1024, CLIENT_1025], 'last page: the rest')
  t.same([last.json.page, last.json.page_size, last.json.total], [3, 20, 42])

  const past = await req(app, 'GET', '/v1/clients?page=4')
  t.same(past.json, { status: 'SUCCESS', clients: [], page: 4, page_size: 20, total: 42 }, 'a page past the end is empty, with the total')

  const exact = await req(app, 'GET', '/v1/clients?page=2&page_size=21')
  t.same([exact.json.clients.length, exact.json.total], [21, 42], 'a full last page')

  const slash = await req(app, 'GET', '/v1/clients/?page_size=2')
  t.same(slash.json.clients.map((c: { id: number }) => c.id), [1, 2], "/v1/clients/ (Fatora's curl sample) works too")

  const second = await req(app, 'GET', '/v1/clients?page_size=100', undefined, { api_key: SECOND_KEY })
  t.same(second.json.total, 41)
  t.ok(second.json.clients.every((c: { id: number }) => c.id === 2048 || (c.id >= 2001 && c.id <= 2040)), 'tenancy: only its own clients')
})

t.test('GET /v1/clients: keyword and email filters', async (t) => {
  const app = await build(t)
  const ids = async (query: string, key = DEMO_KEY): Promise<number[]> =>
    (await req(app, 'GET', `/v1/clients?${query}`, undefined, { api_key: key })).json.clients.map((c: { id: number }) => c.id)
  t.same(await ids('keyword=client'), [1024, 1025], 'keyword matches the name, case-insensitively')
  t.same(await ids('keyword=CLIENT%20ADDRESS'), [1024], 'and the address')
  t.same(await ids('keyword=Client%20Phone'), [1024], 'and the phone')
  t.same(await ids('keyword=myrl.terry1%40example'), [1], 'and the email')
  t.same(await ids('keyword=%25'), [], '% is a literal character, not a wildcard')
  const underscore = (await req(app, 'GET', '/v1/clients?keyword=_&page_size=100')).json.clients as Array<Record<string, string | null>>
  t.ok(underscore.length > 0 && underscore.length < 42, '_ is a literal character too')
  t.ok(underscore.every((c) => [c.name, c.email, c.phone, c.address].some((v) => v?.includes('_'))), 'every match contains _')
  t.same(await ids('keyword=Client', SECOND_KEY), [2048], 'tenancy applies to searches')
  t.same(await ids('email=CLIENT@EXAMPLE.COM'), [1024], 'email: exact, case-insensitive')
  t.same(await ids('email=client@example'), [], 'email: not a substring match')
  t.same(await ids('email=second.client@example.com'), [], "another merchant's email is not found")
  t.same(await ids('email=client@example.com&keyword=nothing-like-this'), [], 'filters combine')
  const filtered = await req(app, 'GET', '/v1/clients?keyword=client&page_size=1&page=2')
  t.same([filtered.json.total, filtered.json.clients.map((c: { id: number }) => c.id)], [2, [1025]], 'total counts all matches, not the page')
  t.same(await ids('keyword='), (await ids('')), 'an empty keyword is no filter')
})

t.test('GET /v1/clients: bad query parameters name the parameter', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string]> = [
    ['page=0', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=-1', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=abc', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=1.5', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=1e3', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=01', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page=1&page=2', 'Invalid query field page: must be an integer from 1 to 999999999'],
    ['page_size=0', 'Invalid query field page_size: must be an integer from 1 to 100'],
    ['page_size=101', 'Invalid query field page_size: must be an integer from 1 to 100'],
    ['page_size=1000', 'Invalid query field page_size: must be an integer from 1 to 100'],
    ['page_size=ten', 'Invalid query field page_size: must be an integer from 1 to 100'],
    [`keyword=${'k'.repeat(201)}`, 'Invalid query field keyword: must NOT have more than 200 characters'],
    [`email=${'e'.repeat(255)}`, 'Invalid query field email: must NOT have more than 254 characters'],
  ]
  for (const [query, description] of cases) {
    const res = await req(app, 'GET', `/v1/clients?${query}`)
    t.equal(res.status, 400, query.slice(0, 30))
    t.same(res.json, failure(400, description), query.slice(0, 30))
  }
  t.equal((await req(app, 'GET', '/v1/clients?unknown=1')).status, 200, 'unknown parameters are ignored')
  const noKey = await app.inject({ url: '/v1/clients?page=0' })
  t.same(noKey.json(), failure(401, 'Missing api_key header'), 'auth comes before query validation')
  const inactive = await app.inject({ url: '/v1/clients', headers: { api_key: INACTIVE_KEY } })
  t.same(inactive.json(), failure(403, 'Merchant API key is inactive'))
})

t.test('POST /v1/clients creates a client: 201 in the Get Client shape', async (t) => {
  const app = await build(t)
  const res = await req(app, 'POST', '/v1/clients', { name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'Jane.Doe@example.com', notes: 'VIP' })
  t.equal(res.status, 201)
  const client = { id: 2049, name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'Jane.Doe@example.com', note: 'VIP', notes: 'VIP' }
  t.same(res.json, { status: 'SUCCESS', client })
  t.same((await req(app, 'GET', '/v1/clients/2049')).json, { status: 'SUCCESS', client })
  t.equal((await req(app, 'GET', '/v1/clients/2049', undefined, { api_key: SECOND_KEY })).status, 404, 'tenancy: the other merchant cannot read it')

  const minimal = await req(app, 'POST', '/v1/clients', { name: 'Only A Name', note: 'alias', extra: 'ignored' })
  t.same(minimal.json, { status: 'SUCCESS', client: { id: 2050, name: 'Only A Name', address: null, phone: null, email: null, note: 'alias', notes: 'alias' } }, '`note` is an alias of `notes`; unknown fields are ignored')
  const nulls = await req(app, 'POST', '/v1/clients', { name: 'Nulls', address: null, phone: null, email: null, notes: null })
  t.equal(nulls.status, 201)
})

t.test('POST /v1/clients: duplicates are 409 (CONTRACT §4 Decision)', async (t) => {
  const app = await build(t)
  const cases: Array<[string, object, number, object | undefined]> = [
    ['same email, other case', { name: 'Someone Else', email: 'CLIENT@example.com' }, 409, failure(409, 'A client with this email already exists')],
    ['no email, same name and phone', { name: 'Client Name', phone: 'Client Phone' }, 409, failure(409, 'A client with this name and phone already exists')],
    ['no email, same name, both without phone', { name: 'Client Without Details' }, 409, failure(409, 'A client with this name and phone already exists')],
    ['same name and phone but an email of its own', { name: 'Client Name', phone: 'Client Phone', email: 'other@example.com' }, 201, undefined],
    ['no email, same name, another phone', { name: 'Client Name', phone: '+1 555' }, 201, undefined],
    ["another merchant's email is not a duplicate", { name: 'X', email: 'second.client@example.com' }, 201, undefined],
  ]
  for (const [name, body, status, expected] of cases) {
    const res = await req(app, 'POST', '/v1/clients', body)
    t.equal(res.status, status, name)
    if (expected !== undefined) t.same(res.json, expected, name)
  }
})

t.test('POST /v1/clients: bad bodies name the field', async (t) => {
  const app = await build(t)
  const cases: Array<[string, unknown, Record<string, string>, number, string]> = [
    ['missing name', { email: 'a@example.com' }, {}, 400, 'Invalid body: name is required'],
    ['empty name', { name: '' }, {}, 400, 'Invalid body field name: must NOT have fewer than 1 characters'],
    ['name not a string', { name: 42 }, {}, 400, 'Invalid body field name: must be string'],
    ['name an array', { name: ['a'] }, {}, 400, 'Invalid body field name: must be string'],
    ['phone a number', { name: 'A', phone: 5551234 }, {}, 400, 'Invalid body field phone: must be string'],
    ['invalid email', { name: 'A', email: 'not-an-email' }, {}, 400, 'Invalid body field email: must be a valid e-mail address'],
    ['name too long', { name: 'n'.repeat(201) }, {}, 400, 'Invalid body field name: must NOT have more than 200 characters'],
    ['address too long', { name: 'A', address: 'a'.repeat(501) }, {}, 400, 'Invalid body field address: must NOT have more than 500 characters'],
    ['phone too long', { name: 'A', phone: '1'.repeat(51) }, {}, 400, 'Invalid body field phone: must NOT have more than 50 characters'],
    ['notes too long', { name: 'A', notes: 'x'.repeat(2001) }, {}, 400, 'Invalid body field notes: must NOT have more than 2000 characters'],
    ['note and notes differ', { name: 'A', note: 'a', notes: 'b' }, {}, 400, 'Invalid body: note and notes differ; send one of them'],
    ['a JSON array', [], {}, 400, 'Invalid body: expected a JSON object'],
    ['JSON null', 'null', { 'content-type': 'application/json' }, 400, 'Invalid body: expected a JSON object'],
    ['empty body', undefined, { 'content-type': 'application/json' }, 400, 'Invalid body: expected a JSON object'],
    ['malformed JSON', '{"name":', { 'content-type': 'application/json' }, 400, 'Invalid JSON body'],
    ['prototype pollution', '{"name":"x","__proto__":{"admin":true}}', { 'content-type': 'application/json' }, 400, 'JSON body refused: the key __proto__ is not accepted (it could alter object prototypes)'],
    ['form body', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
    ['text body', 'x', { 'content-type': 'text/plain' }, 415, 'Unsupported Content-Type: send application/json or no Content-Type header'],
  ]
  for (const [name, body, headers, status, description] of cases) {
    const res = await req(app, 'POST', '/v1/clients', body, headers)
    t.equal(res.status, status, name)
    t.same(res.json, failure(status, description), name)
  }
  const noKey = await app.inject({ method: 'POST', url: '/v1/clients', payload: { name: 'x' } })
  t.same(noKey.json(), failure(401, 'Missing api_key header'))
  t.equal((await req(app, 'GET', '/v1/clients')).json.total, 42, 'nothing was created')
})

t.test('PUT /v1/clients/:client_id replaces the fields', async (t) => {
  const app = await build(t)
  const res = await req(app, 'PUT', '/v1/clients/1024', { name: 'Renamed', email: 'renamed@example.com', note: 'updated' })
  t.equal(res.status, 200)
  const client = { id: 1024, name: 'Renamed', address: null, phone: null, email: 'renamed@example.com', note: 'updated', notes: 'updated' }
  t.same(res.json, { status: 'SUCCESS', client }, 'fields left out become null')
  t.same((await req(app, 'GET', '/v1/clients/1024')).json, { status: 'SUCCESS', client })
  t.equal((await req(app, 'PUT', '/v1/clients/1024', { name: 'Renamed', email: 'RENAMED@example.com' })).status, 200, 'its own email is not a duplicate')

  const cases: Array<[string, string, unknown, string, number, object]> = [
    ["another merchant's client", '/v1/clients/2048', { name: 'X' }, DEMO_KEY, 404, failure(404, 'Client not found')],
    ['a missing client', '/v1/clients/999999', { name: 'X' }, DEMO_KEY, 404, failure(404, 'Client not found')],
    ['a bad id', '/v1/clients/abc', { name: 'X' }, DEMO_KEY, 400, failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991')],
    ['an id past 2^53−1', '/v1/clients/9007199254740992', { name: 'X' }, DEMO_KEY, 400, failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991')],
    ['missing name', '/v1/clients/1025', { email: 'x@example.com' }, DEMO_KEY, 400, failure(400, 'Invalid body: name is required')],
    ["another client's email", '/v1/clients/1025', { name: 'X', email: 'myrl.terry1@example.org' }, DEMO_KEY, 409, failure(409, 'A client with this email already exists')],
    ['inactive key', '/v1/clients/1024', { name: 'X' }, INACTIVE_KEY, 403, failure(403, 'Merchant API key is inactive')],
  ]
  for (const [name, url, body, key, status, expected] of cases) {
    const r = await req(app, 'PUT', url, body, { api_key: key })
    t.equal(r.status, status, name)
    t.same(r.json, expected, name)
  }
  t.same((await req(app, 'GET', '/v1/clients/2048', undefined, { api_key: SECOND_KEY })).json.client.name, 'Second Merchant Client', 'the other merchant\'s client is untouched')
})

t.test('DELETE /v1/clients/:client_id: 204 with no body, then 404', async (t) => {
  const app = await build(t)
  const res = await req(app, 'DELETE', '/v1/clients/1025', undefined, { 'content-type': 'application/json' })
  t.equal(res.status, 204)
  t.equal(res.body, '', 'no body')
  t.notOk(res.headers['content-type'], 'no content type for no content')
  t.same((await req(app, 'GET', '/v1/clients/1025')).json, failure(404, 'Client not found'))
  t.same((await req(app, 'DELETE', '/v1/clients/1025')).json, failure(404, 'Client not found'), 'a second delete is 404')
  t.same((await req(app, 'DELETE', '/v1/clients/2048')).json, failure(404, 'Client not found'), "another merchant's client cannot be deleted")
  t.equal((await req(app, 'GET', '/v1/clients/2048', undefined, { api_key: SECOND_KEY })).status, 200, '…and is still there')
  t.same((await req(app, 'DELETE', '/v1/clients/0')).json, failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991'))
  t.equal((await req(app, 'GET', '/v1/clients')).json.total, 41)
})

t.test('methods: 405 with Allow on the collection and on a client', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string]> = [
    ['PATCH', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    ['POST', '/v1/clients/1024', 'GET, HEAD, PUT, DELETE'],
    ['DELETE', '/v1/clients', 'GET, HEAD, POST'],
    ['PUT', '/v1/clients', 'GET, HEAD, POST'],
  ]
  for (const [method, url, allow] of cases) {
    const res = await req(app, method, url, undefined, { 'content-type': 'application/json' })
    t.equal(res.status, 405, `${method} ${url}`)
    t.equal(res.headers.allow, allow, `${method} ${url}`)
  }
})

t.test('writes queue behind a running admin seed: no id is taken twice', async (t) => {
  const app = await build(t)
  const [seed, created] = await Promise.all([
    app.inject({ method: 'POST', url: '/__admin/seed', payload: { count: 5000, batch: 500 } }),
    req(app, 'POST', '/v1/clients', { name: 'During The Seed' }),
  ])
  t.equal(seed.statusCode, 201)
  t.equal(created.status, 201)
  const { first_id: first, last_id: last } = seed.json()
  const id = created.json.client.id
  t.ok((id === 2049 && first === 2050 && last === 7049) || (first === 2049 && last === 7048 && id === 7049), `one after the other: client ${id}, seed ${first}–${last}`)
  t.equal((await req(app, 'GET', '/v1/clients')).json.total, 42 + 5001)
})

t.test('a bearer token from Authorize works on every client route, with the same tenancy', async (t) => {
  const app = await build(t)
  const token = (await app.inject({ method: 'POST', url: '/v1/Authorization/Authorize', headers: { api_key: SECOND_KEY } })).json().bearer_token as string
  const call = async (method: string, url: string, body?: unknown): Promise<{ status: number, json: any }> => {
    const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) })
    return { status: res.statusCode, json: res.body === '' ? undefined : res.json() }
  }
  const list = await call('GET', '/v1/clients?page_size=1')
  t.same([list.status, list.json.total, list.json.clients[0].id], [200, 41, 2001])
  const created = await call('POST', '/v1/clients', { name: 'Made With A Token', email: 'token@example.com' })
  t.equal(created.status, 201)
  t.equal((await call('PUT', `/v1/clients/${created.json.client.id as number}`, { name: 'Changed With A Token' })).json.client.name, 'Changed With A Token')
  t.same((await call('PUT', '/v1/clients/1024', { name: 'Not Mine' })).json, failure(404, 'Client not found'), "cannot update the demo merchant's client")
  t.same((await call('DELETE', '/v1/clients/1024')).json, failure(404, 'Client not found'), "cannot delete the demo merchant's client")
  t.equal((await call('DELETE', `/v1/clients/${created.json.client.id as number}`)).status, 204)
  t.same((await call('GET', '/v1/clients?keyword=Client')).json.clients.map((c: { id: number }) => c.id), [2048], 'searches stay within the merchant')
})
