// The OpenAPI document (/documentation/json) is lint-clean under Redocly's recommended ruleset:
// no error and no warning, offline (the document has no external reference to fetch). What is
// set aside below is set aside by name, with the reason, and must still be there to set aside.
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core'
import t from 'tap'
import { build } from './helper.js'

// Where lintFromString says the document came from: the key its ignore list is filed under.
const SOURCE = '/documentation/json'

// operation-2xx-response: these two pages of the hosted payment flow never answer 2xx — a
// form post and a "back to the merchant" link are answered with a 303 to a GET (CONTRACT
// §6.3), as browsers expect. The rule stays on for every other operation.
const REDIRECT_ONLY = ['#/paths/~1pay~13ds/post/responses', '#/paths/~1pay~1return/get/responses']

async function lint (document: unknown): Promise<{ problems: string[], ignored: string[] }> {
  const config = await createConfig({ extends: ['recommended'] }, {
    ignore: { [SOURCE]: { 'operation-2xx-response': new Set(REDIRECT_ONLY) } },
  })
  const all: NormalizedProblem[] = await lintFromString({ source: JSON.stringify(document, null, 2), absoluteRef: SOURCE, config })
  const line = (p: NormalizedProblem): string => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? '?'})`
  return { problems: all.filter((p) => p.ignored !== true).map(line), ignored: all.filter((p) => p.ignored === true).map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? '?'}`) }
}

const configurations = [
  { name: 'the default configuration', overrides: {} },
  { name: 'ADMIN_ENABLED=false, PREFER_ENABLED=false', overrides: { ADMIN_ENABLED: false, PREFER_ENABLED: false } },
]

for (const { name, overrides } of configurations) {
  t.test(`the document of ${name} has no Redocly error or warning`, async (t) => {
    const app = await build(t, overrides)
    const res = await app.inject({ url: '/documentation/json' })
    t.equal(res.statusCode, 200)
    const { problems, ignored } = await lint(res.json())
    t.same(problems, [], 'recommended: nothing to report')
    t.same(ignored.sort(), REDIRECT_ONLY.map((p) => `operation-2xx-response ${p}`).sort(), 'what is set aside is still there (and nothing else is)')
  })
}

t.test('servers: the mock itself, then its HTTP and HTTPS defaults', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  t.same(spec.servers.map((s: { url: string }) => s.url), ['/', 'http://{host}:{port}', 'https://{host}:{port}'])
  t.same(spec.servers[1].variables.port.default, '3000', 'PORT')
  t.same(spec.servers[2].variables.port.default, '3443', 'HTTPS_PORT, as the docs suggest it')
  t.match(spec.servers[2].description, /HTTPS_PORT/)
  t.same(spec.info.license, { name: 'MIT', identifier: 'MIT' })
})

t.test("the description says where answers are not the envelope: Authorize's key check and the pages", async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  const description: string = spec.info.description
  t.notMatch(description, /every error is the envelope/i)
  t.match(description, '{"status":"ERROR","error":"Invalid API Key"} (401, 403)')
  t.match(description, 'payment pages answer people in HTML')
  // And the operation says so too, with Fatora's shape as its schema.
  const authorize = spec.paths['/v1/Authorization/Authorize'].get.responses['401'].content['application/json']
  t.same(authorize.schema.properties.status, { type: 'string', enum: ['ERROR'] })
  t.same(authorize.example, { status: 'ERROR', error: 'Invalid API Key' })
})

t.test('every operation has an operationId, unique across the document', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  const ids: string[] = []
  for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { operationId?: string }>>)) {
    for (const [method, op] of Object.entries(item)) {
      t.type(op.operationId, 'string', `${method} ${path}`)
      ids.push(op.operationId as string)
    }
  }
  t.equal(new Set(ids).size, ids.length, 'unique')
  t.ok(ids.length > 50, `${ids.length} operations`)
})
