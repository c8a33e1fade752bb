// Whole requests: a route aimed at (routes.ts) or a wild target, mutated paths, values
// (values.ts), the framing of the body, clean or dirty.
//
// Two things are never sent, because they legitimately answer 5xx (README, "Testing your error
// handling"): a Prefer header, and POST /__admin/faults. Seed counts are capped. One Node
// limitation is avoided where marked "NODE LIMITATION" (see upgradeWithBadChunk).
import fc from 'fast-check'
import type { Aim } from './routes.js'
import { ANY_METHODS, anyText, BAD_METHODS, BODY_BY_KIND, bodyArb, headersArb, queryArb, segmentArb, sometimes, versionArb, weighted } from './values.js'
import { describeRequest, headerValues, looseDecode, utf8, type Framing, type FuzzRequest } from './wire.js'

/** Mutations of a well-formed path: the ones the README calls unknown routes, dot segments, encodings. */
type Mutation = 'upper' | 'double-slash' | 'trailing-slash' | 'dot' | 'dotdot' | 'encode-letter' | 'absolute' | 'no-slash' | 'backslash' | 'prefix' | 'asterisk'
const mutationArb = fc.constantFrom<Mutation>('upper', 'double-slash', 'trailing-slash', 'dot', 'dotdot', 'encode-letter', 'absolute', 'no-slash', 'backslash', 'prefix', 'asterisk')

function mutate (path: string, m: Mutation, at: number): string {
  const slashes = [...path.matchAll(/\//g)].map((x) => x.index)
  const slash = slashes[at % Math.max(1, slashes.length)] ?? 0
  switch (m) {
    case 'upper': return path.replace('/v1/', '/V1/').replace('/clients', '/Clients')
    case 'double-slash': return `${path.slice(0, slash)}/${path.slice(slash)}`
    case 'trailing-slash': return `${path}/`
    case 'dot': return `${path.slice(0, slash)}/.${path.slice(slash)}`
    case 'dotdot': return `${path.slice(0, slash)}/x/..${path.slice(slash)}`
    case 'encode-letter': {
      const letters = [...path.matchAll(/[a-z]/g)].map((x) => x.index)
      const i = letters[at % Math.max(1, letters.length)]
      return i === undefined ? path : `${path.slice(0, i)}%${path.charCodeAt(i).toString(16)}${path.slice(i + 1)}`
    }
    case 'absolute': return `http://127.0.0.1${path}`
    case 'no-slash': return path.slice(1)
    case 'backslash': return path.replace(/\//g, (s, i: number) => (i === slash ? '\\' : s))
    case 'prefix': return `/x${path}`
    case 'asterisk': return '*'
  }
}

const targetArb = (paths: string[], query: boolean, dirty: boolean): fc.Arbitrary<string> => fc.record({
  path: fc.constantFrom(...paths),
  segments: fc.array(segmentArb(dirty), { minLength: 2, maxLength: 2 }),
  mutation: sometimes(dirty ? 40 : 15, fc.tuple(mutationArb, fc.nat())),
  query: sometimes(query ? 50 : 10, queryArb(dirty)),
  fragment: sometimes(3, fc.constantFrom('#', '#x', '#/../admin', '#%zz', '#?page=0')),
}).map(({ path, segments, mutation, query: q, fragment }) => {
  let i = 0
  let target = path.replace(/\{\}/g, () => segments[i++ % segments.length] ?? '')
  if (mutation !== undefined) target = mutate(target, mutation[0], mutation[1])
  if (q !== undefined) target += `?${q}`
  if (fragment !== undefined) target += fragment
  return target
})

/** Fully random request-targets. */
const wildTargetArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  fc.array(segmentArb(dirty), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
  fc.webPath().map(utf8),
  fc.webUrl({ withQueryParameters: true, withFragments: true }).map(utf8),
  fc.constantFrom('*', '/', '//', '///', '/..', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%5C..%5C', '127.0.0.1:443', '?', '/?', '/%', '/%00', '/?#', '/v1/clients?'),
  ...(dirty ? [anyText(30), fc.constantFrom('', '#', '/\0', '/\\..\\', '/ /', '\t/')] : []),
)

const framingArb = (dirty: boolean): fc.Arbitrary<Framing> => dirty
  ? fc.oneof(weighted(4, fc.constant<Framing>('length')), weighted(1, fc.constant<Framing>('none')), weighted(1, fc.constant<Framing>('chunked')),
    weighted(4, fc.constantFrom<Framing>('length-dup', 'length-conflict', 'length-and-chunked', 'short', 'bad-chunk')))
  : fc.oneof(weighted(16, fc.constant<Framing>('length')), weighted(2, fc.constant<Framing>('none')), weighted(2, fc.constant<Framing>('chunked')))

/** True for a request that could create a fault (README: a fault with status 500 legitimately makes 500s). */
export function createsFault (r: Pick<FuzzRequest, 'method' | 'target' | 'body'>): boolean {
  if (r.method.trim().toUpperCase() !== 'POST') return false
  const text = looseDecode(looseDecode(r.target)).toLowerCase()
  return text.includes('fault')
}

/**
 * NODE LIMITATION (not ours to fix; README "Reliability"): a request announcing an upgrade (an Upgrade header plus "upgrade" in Connection) whose
 * chunked body is malformed is never answered: Node (20.20) drops llhttp's parse error in upgrade
 * mode — no 'clientError', no request error — so the body never ends, the route waits, and only
 * REQUEST_TIMEOUT_MS (120 s by default) ends it with a 408; meanwhile app.close() waits for it too.
 * The same bytes without the Upgrade header get Node's immediate 400. Reproduction in the report;
 * until it is fixed the generator does not send that combination (every other framing is fine).
 */
export function upgradeWithBadChunk (r: Pick<FuzzRequest, 'headers' | 'framing'>): boolean {
  if (r.framing !== 'bad-chunk') return false
  return headerValues(r, 'upgrade').length > 0 && headerValues(r, 'connection').some((v) => /upgrade/i.test(v))
}

/** Caps `count` of a JSON body aimed at seeding (the schema allows 1,000,000: seconds of work). */
export function capSeedCount (r: FuzzRequest): FuzzRequest {
  if (!looseDecode(r.target).toLowerCase().includes('seed')) return r
  let parsed: unknown
  try { parsed = JSON.parse(Buffer.from(r.body, 'latin1').toString('utf8')) } catch { return r }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return r
  const o = parsed as Record<string, unknown>
  if (typeof o.count !== 'number' || o.count <= 20) return r
  o.count = 1 + (Math.abs(Math.trunc(o.count)) % 20)
  try { return { ...r, body: utf8(JSON.stringify(o)) } } catch { return { ...r, body: '{"count":1}' } }
}

function withToString (r: FuzzRequest): FuzzRequest {
  Object.defineProperty(r, fc.toStringMethod, { value: () => describeRequest(r), enumerable: false })
  return r
}

/**
 * One request, clean or dirty. Clean: well-formed HTTP/1.x that reaches the app (any path,
 * header set and body the parser accepts). Dirty: also raw bytes, NUL and control characters,
 * invalid header names, odd versions and framings, over-limit lines — mostly refused by Node.
 */
const oneRequestArb = (token: string, aims: readonly Aim[], dirty: boolean): fc.Arbitrary<FuzzRequest> => {
  const aimed = aims.map((a) => weighted(a.weight * 10, fc.record({
    aim: fc.constant(a.aim),
    method: fc.oneof(weighted(8, fc.constantFrom(...a.methods)), weighted(1, fc.constantFrom(...ANY_METHODS)), ...(dirty ? [weighted(2, fc.constantFrom(...BAD_METHODS))] : [])),
    target: targetArb(a.paths, a.query === true, dirty),
    body: fc.oneof(weighted(3, BODY_BY_KIND[a.body]), weighted(1, bodyArb)),
  })))
  const wild = weighted(30, fc.record({
    aim: fc.constant('wild'),
    method: fc.oneof(weighted(6, fc.constantFrom(...ANY_METHODS)), ...(dirty ? [weighted(2, fc.constantFrom(...BAD_METHODS))] : [])),
    target: wildTargetArb(dirty),
    body: bodyArb,
  }))
  return fc.record({
    core: fc.oneof(...aimed, wild),
    version: versionArb(dirty),
    eol: dirty ? fc.oneof(weighted(6, fc.constant('\r\n')), weighted(1, fc.constant('\n'))) : fc.constant('\r\n'),
    headers: headersArb(token, dirty),
    framing: framingArb(dirty),
    chunk: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 70_000 })),
  }).map(({ core, chunk, ...rest }): FuzzRequest => capSeedCount({
    ...core,
    ...rest,
    // At most 20,000 chunks: Node spends ~3.5 µs per chunk, so a 1 MiB body in 1-byte chunks takes
    // 4 s or more to read — slow, not stuck, and past the answer timeout on a loaded machine.
    chunk: Math.max(chunk, Math.ceil(core.body.length / 20_000)),
    aim: dirty ? `${core.aim}, dirty` : core.aim,
  }))
}

/** One whole request aimed by the route table `aims` (routes.ts): four in five clean, one in five dirty. Never a fault-creating POST. */
export const requestArb = (token: string, aims: readonly Aim[]): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(weighted(4, oneRequestArb(token, aims, false)), weighted(1, oneRequestArb(token, aims, true)))
    .filter((r) => !createsFault(r) && !upgradeWithBadChunk(r)) // Node 20's own limitation: see upgradeWithBadChunk
    .map(withToString)
