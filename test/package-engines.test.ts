// `npm install` on Node 20 warns EBADENGINE for two dependencies that declare Node ≥ 22:
// content-disposition (of @fastify/static, which Swagger UI serves its files with) and cookie (of
// light-my-request, Fastify's inject). No version in their parents' ranges declares Node 20, so
// they are kept, and the warning is harmless: here, the list of such dependencies is exactly
// those two (a new one must be looked at), and the code that loads them runs on this Node.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build, CLIENT_1024, DEMO_KEY } from './helper.js'
import { ROOT } from './support/child.js'

/** The oldest Node the package supports (package.json "engines"), as [major, minor, patch]. */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
const OLDEST = (/^>=(\d+)\.(\d+)$/.exec(pkg.engines.node) ?? []).slice(1).map(Number).concat(0)

const compare = (a: number[], b: number[]): number => (a[0]! - b[0]!) || (a[1]! - b[1]!) || (a[2]! - b[2]!)

/**
 * Whether the semver range `range` (the forms npm packages use in "engines": ||, space-separated
 * comparators, >= > <= < =, ^ and ~, x and * wildcards) admits `version`.
 */
function admits (range: string, version: number[]): boolean {
  return range.split('||').some((alternative) => alternative.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').trim().split(/\s+/).every((comparator) => {
    const m = /^(>=|<=|>|<|=|\^|~)?v?(\d+|x|\*)?(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/i.exec(comparator)
    if (m === null) throw new Error(`cannot read the range ${JSON.stringify(range)}`)
    const [, op = '=', ...parts] = m
    const wild = parts.findIndex((p) => p === undefined || /^[x*]$/i.test(p))
    const v = parts.map((p) => p === undefined || /^[x*]$/i.test(p) ? 0 : Number(p))
    const c = compare(version, v)
    if (wild === 0) return true
    if (op === '=' && wild !== -1) return c >= 0 && version.slice(0, wild).every((n, i) => n === v[i])
    if (op === '^') return c >= 0 && version[0] === v[0]
    if (op === '~') return c >= 0 && version[0] === v[0] && version[1] === v[1]
    return { '>=': c >= 0, '>': c > 0, '<=': c <= 0, '<': c < 0, '=': c === 0 }[op] ?? false
  }))
}

t.test('the range reader', async (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['>=22', '20.19.0', false],
    ['>=20.19', '20.19.0', true],
    ['^20.19.0 || ^22.13.0 || >=24', '20.19.0', true],
    ['20.x || 22.x || 23.x', '20.19.0', true],
    ['>= 0.8', '20.19.0', true],
    ['>=16 || 14 >=14.17', '20.19.0', true],
    ['>=22.12.0 || >=20.19.0 <21.0.0', '20.19.0', true],
    ['>=22.12.0 || >=20.19.0 <21.0.0', '21.0.0', false],
    ['^18.17.0', '20.19.0', false],
    ['~20.18.0', '20.19.0', false],
    ['*', '20.19.0', true],
    ['10.* || >= 12.*', '20.19.0', true],
  ]
  for (const [range, version, expected] of cases) t.equal(admits(range, version.split('.').map(Number)), expected, `${range} admits ${version}: ${expected}`)
})

t.test(`the dependencies that declare no support for Node ${OLDEST.join('.')} are exactly content-disposition and cookie`, async (t) => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string, dev?: boolean, engines?: { node?: string } }> }
  const refusing = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.dev !== true && p.engines?.node !== undefined && !admits(p.engines.node, OLDEST))
    .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version ?? '?'} (node ${p.engines?.node ?? ''})`)
  t.same(refusing, ['content-disposition@3.1.0 (node >=22)', 'cookie@2.0.2 (node >=22)'])
})

t.test('Swagger UI serves its files through @fastify/static, which loads content-disposition', async (t) => {
  const app = await build(t)
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'index.css']) {
    const res = await app.inject({ url: `/documentation/static/${file}` })
    t.equal(res.statusCode, 200, `GET /documentation/static/${file}`)
    t.ok(res.rawPayload.length > 0)
  }
})

t.test("inject() with cookies: light-my-request writes the Cookie header with cookie's stringifySetCookie", async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY }, cookies: { session: 'a b', theme: 'dark' } })
  t.same([res.statusCode, res.json()], [200, { status: 'SUCCESS', client: CLIENT_1024 }])
  const { requests } = (await app.inject({ url: '/__admin/requests' })).json() as { requests: Array<{ path: string, headers: Record<string, string> }> }
  t.same(requests.map((e) => [e.path, e.headers.cookie]), [['/v1/clients/1024', '****']], 'the request carried a Cookie header (the journal masks its value)')
})
