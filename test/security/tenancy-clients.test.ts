// Tenancy of the clients API in depth, with api_key and with a bearer token: another merchant's
// clients are invisible and untouchable (a foreign id answers byte for byte what a missing one
// does, lists and filters show only one's own rows, duplicates are per merchant); and with both
// headers, api_key decides. The registry-wide check of every family is tenancy.test.ts.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { build, DEMO_KEY, failure, SECOND_KEY } from '../helper.js'
import {
  asciiLower, byId, CLIENT_2048, getState, JSON_TYPE, keywordMatches, listAll, M1_IDS, M2_IDS, MISSING_ID, send, tokenFor,
  type ApiClient, type Headers, type ListBody, type Method,
} from './support.js'

const CLIENT_NOT_FOUND = JSON.stringify(failure(404, 'Client not found'))
const EMPTY_LIST = { status: 'SUCCESS', clients: [], page: 1, page_size: 20, total: 0 }

/** What two answers must share to be "the same answer": all but the request id and the date. */
function comparable (res: LightMyRequestResponse): object {
  const { 'x-request-id': _id, date: _date, ...headers } = res.headers
  return { status: res.statusCode, headers, body: res.body }
}

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
