// Tenancy across every family of the registry (CONTRACT §1), with both credentials: for each
// /v1 route that takes an id, another merchant's row answers byte for byte what a missing id
// answers, and is left as it was. The families and their routes come from src/modules.ts and the
// app's OpenAPI document; test/support/modules.ts gives each family's fixture ids.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { modules } from '../../src/modules.js'
import { build, DEMO_KEY, SECOND_KEY } from '../helper.js'
import { FAMILY_FIXTURES, v1Operations } from '../support/modules.js'

const KEYS = { 1: DEMO_KEY, 2: SECOND_KEY } as const

async function credentials (app: FastifyInstance, mode: 'api_key' | 'bearer', key: string): Promise<Record<string, string>> {
  if (mode === 'api_key') return { api_key: key }
  const res = await app.inject({ url: '/v1/Authorization/Authorize', headers: { api_key: key } })
  return { authorization: `Bearer ${(res.json() as { bearer_token: string }).bearer_token}` }
}

/** All but the request id and the date. */
function comparable (res: LightMyRequestResponse): object {
  const { 'x-request-id': _id, date: _date, ...headers } = res.headers
  return { status: res.statusCode, headers, body: res.body }
}

t.test('every family with /v1 routes has its fixture ids in test/support/modules.ts', async (t) => {
  const app = await build(t)
  const tags = new Set((await v1Operations(app)).map((op) => op.tag))
  for (const m of modules) {
    if (m.routes === undefined) continue
    t.ok(FAMILY_FIXTURES[m.name], `${m.name}: an entry`)
    t.ok(m.tag !== undefined && tags.has(m.tag.name), `${m.name}: its routes are documented under its tag`)
  }
})

for (const m of modules) {
  const family = FAMILY_FIXTURES[m.name]
  if (m.routes === undefined || family === undefined || m.tag === undefined) continue
  const tag = m.tag.name
  // A family whose routes take no id in the path (payments: ids travel in the body) is covered by its own tests.
  if (family.idRoutes === false) continue
  for (const mode of ['api_key', 'bearer'] as const) {
    for (const [attacker, victim] of [[1, 2], [2, 1]] as const) {
      t.test(`${m.name} × ${mode}: merchant ${attacker} cannot see or touch merchant ${victim}'s rows`, async (t) => {
        const app = await build(t)
        const as = await credentials(app, mode, KEYS[attacker])
        const owner = { api_key: KEYS[victim] }
        const operations = (await v1Operations(app)).filter((op) => op.tag === tag && op.params.length === 1)
        t.ok(operations.length > 0, 'the family has routes that take an id')
        const url = (path: string, id: string): string => path.replace(/:[^/]+/, id)
        const read = operations.find((op) => op.method === 'GET')
        const before = read === undefined ? undefined : (await app.inject({ url: url(read.path, family.ownedBy[victim]), headers: owner })).body
        for (const op of operations) {
          const payload = op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH' ? family.body : undefined
          const send = async (id: string): Promise<LightMyRequestResponse> => await app.inject({
            method: op.method, url: url(op.path, id), headers: { ...as, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload }),
          })
          const foreign = await send(family.ownedBy[victim])
          const missing = await send(family.missing)
          t.equal(foreign.statusCode, 404, `${op.method} ${op.path}: 404`)
          t.same(comparable(foreign), comparable(missing), `${op.method} ${op.path}: the answer for a missing id, byte for byte`)
        }
        if (read !== undefined) {
          const after = await app.inject({ url: url(read.path, family.ownedBy[victim]), headers: owner })
          t.equal(after.statusCode, 200, 'the owner still reads its row')
          t.equal(after.body, before, 'unchanged')
          const own = await app.inject({ url: url(read.path, family.ownedBy[attacker]), headers: as })
          t.equal(own.statusCode, 200, 'while the attacker reads its own')
        }
      })
    }
  }
}
