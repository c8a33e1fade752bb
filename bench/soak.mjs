// npm run soak [-- --duration S --connections N] — load robustness: the built server (what
// `npm start` runs) on a fresh temporary database, in its default configuration (LOG_LEVEL=info,
// stdout to /dev/null), under MIXED traffic over loopback for S seconds (default 60) at N
// connections (default 100): valid and invalid Get Client, list, create, update, delete, wrong
// method, wrong media type, malformed JSON, Authorize — and POST /__admin/seed {count: 50000}
// in the warm-up and mid-run (at 1/3 and 2/3 of the duration). Every response body is checked: a non-2xx must be
// Fatora's envelope ({"status":"ERROR","error":"…"} for Authorize's own 401/403).
// `--clients N` first seeds N fake clients into the demo merchant with the built CLI (`fatora-mock
// seed`, as a user would), so searches and lists run on a large merchant; the table then shows
// the per-kind p99 of the list and keyword requests.
// Prints a table, writes bench/soak-results.json and exits 1 when a target fails: no socket
// errors or timeouts, no 5xx, no non-2xx that is not the envelope, RSS growth after the 10 s
// warm-up ≤ 10 %.
import autocannon from 'autocannon'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { ensureBuilt, serverEntry } from '../scripts/ensure-built.mjs'
import { freePort, pinnable } from './lib.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args } = parseArgs({ options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '100' }, clients: { type: 'string', default: '0' } } })
const DURATION = Number(args.duration)
const CONNECTIONS = Number(args.connections)
const CLIENTS = Number(args.clients)
if (!Number.isInteger(DURATION) || DURATION < 1 || !Number.isInteger(CONNECTIONS) || CONNECTIONS < 1 || !Number.isInteger(CLIENTS) || CLIENTS < 0) {
  process.stderr.write('usage: node bench/soak.mjs [--duration SECONDS] [--connections N] [--clients N]\n')
  process.exit(2)
}
const WARMUP_S = Math.min(10, DURATION)
const SEED_COUNT = 50_000
const KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'
const INACTIVE_KEY = '0B1C7E52-6A3D-4F9E-8C21-7D5A4E3F2B10'
const UNKNOWN_KEY = 'SOAK-0000-NOT-A-KEY'
const TARGETS = { socketErrors: 0, status5xx: 0, nonEnvelope: 0, rssGrowthPct: 10 }

/**
 * @typedef {import('autocannon').Request} Request
 * @typedef {{ email?: string, createdId?: number, token?: string, sentAt?: number }} Ctx autocannon's per-connection context
 * @typedef {{ kind: string, expect: number[], authorize?: boolean, after?: (status: number, body: string, ctx: Ctx) => void }} KindBase
 * @typedef {KindBase & { setup: (r: Request, ctx: Ctx) => Request }} Kind
 * @typedef {{ at: string, startS: number, status?: number, ms?: number, body?: string, error?: string }} Seed
 * @typedef {{ what: string, value: string, target: string, pass?: boolean }} Row
 */

await ensureBuilt()
const SERVER = serverEntry()
const log = (/** @type {string} */ line) => process.stderr.write(line + '\n')
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Server on core 0, this process (autocannon) on core 1, when the machine allows it (as bench/run.mjs).
if (pinnable) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })

const work = mkdtempSync(join(tmpdir(), 'fatora-soak-'))
/** @type {import('node:child_process').ChildProcessByStdio<null, null, import('node:stream').Readable> | undefined} */
// eslint-disable-next-line prefer-const -- the exit handler reads it before the server is spawned (a const would be in its TDZ)
let child
process.on('exit', () => { child?.kill('SIGKILL'); rmSync(work, { recursive: true, force: true }) })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

/**
 * VmRSS, VmHWM and the anonymous / file-backed parts of the RSS of a process, in MB.
 * @param {number | undefined} pid
 */
function rssMb (pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (/** @type {string} */ name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  const mb = (/** @type {string} */ name) => Number((kb(name) / 1024).toFixed(1))
  return { rss: mb('VmRSS'), peak: mb('VmHWM'), anon: mb('RssAnon'), file: mb('RssFile') }
}

// ---------------------------------------------------------------------------------------------
// The server: default configuration, fresh database, stdout (the request log) to /dev/null.
const DB = join(work, 'soak.db')
/** @type {{ clients: number, seconds: number, output: string } | undefined} */
let preSeed
if (CLIENTS > 0) {
  // Before the server starts: the CLI creates the database (fixtures first) and adds the clients.
  log(`seeding ${CLIENTS.toLocaleString('en-US')} clients into the demo merchant (fatora-mock seed)…`)
  const started = performance.now()
  const output = execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'seed', '--count', String(CLIENTS), '--db', DB], { encoding: 'utf8' }).trim()
  preSeed = { clients: CLIENTS, seconds: Number(((performance.now() - started) / 1000).toFixed(1)), output }
  log(`  ${output}`)
}
const port = await freePort()
const url = `http://127.0.0.1:${port}`
/** @type {[string, string[]]} */
const argv = pinnable ? ['taskset', ['-c', '0', process.execPath, SERVER]] : [process.execPath, [SERVER]]
child = spawn(argv[0], argv[1], {
  cwd: root,
  env: { ...process.env, DB_PATH: DB, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
  stdio: ['ignore', 'ignore', 'pipe'],
})
let serverStderr = ''
child.stderr.on('data', (d) => { serverStderr += d })
/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
for (const t0 = performance.now(); ;) {
  if (child.exitCode !== null) throw new Error(`the server exited ${child.exitCode}: ${serverStderr}`)
  try {
    const res = await fetch(`${url}/health`)
    await res.arrayBuffer()
    if (res.status === 200) break
  } catch {}
  if (performance.now() - t0 > 30_000) throw new Error(`the server did not answer within 30 s: ${serverStderr}`)
  await sleep(20)
}
const pid = child.pid

// ---------------------------------------------------------------------------------------------
// The mix. Each connection cycles through `requests` in order; `ctx` is per connection and is
// reset at each new cycle (autocannon), so a create → read → update → delete chain and an
// Authorize → bearer-token request share it. Each request names its kind and what it expects.
const VALID_IDS = [...Array.from({ length: 40 }, (_, i) => i + 1), 1024, 1025]
const BAD_IDS = ['abc', '1.5', '-3', '0', '01024', '1e3', '0x10', '1024abc', '99999999999999999']
const KEYWORDS = ['john', 'example.com', 'street', 'LLC', 'no-such-keyword-at-all']
const PAGE_SIZES = [1, 10, 20, 50, 100]
const RUN = process.pid.toString(36)
let seq = 0
const next = () => seq++
const json = { 'content-type': 'application/json' }
const auth = { api_key: KEY }

/**
 * `expect`: the statuses this kind should answer (others are counted as unexpected, not fatal).
 * @type {Kind[]}
 */
const kinds = [
  { kind: 'get valid id', expect: [200], setup: (r) => ({ ...r, path: `/v1/clients/${VALID_IDS[next() % VALID_IDS.length]}`, headers: auth }) },
  { kind: 'get valid id (Content-Type: json)', expect: [200], setup: (r) => ({ ...r, path: `/v1/clients/${VALID_IDS[next() % VALID_IDS.length]}`, headers: { ...auth, ...json } }) },
  { kind: 'get unknown key', expect: [401], setup: (r) => ({ ...r, path: '/v1/clients/1024', headers: { api_key: UNKNOWN_KEY } }) },
  { kind: 'get no key', expect: [401], setup: (r) => ({ ...r, path: '/v1/clients/1024', headers: {} }) },
  { kind: 'get inactive key', expect: [403], setup: (r) => ({ ...r, path: '/v1/clients/1024', headers: { api_key: INACTIVE_KEY } }) },
  { kind: 'get missing client', expect: [404], setup: (r) => ({ ...r, path: `/v1/clients/${900_000_000 + next()}`, headers: auth }) },
  { kind: "get another merchant's client", expect: [404], setup: (r) => ({ ...r, path: '/v1/clients/2048', headers: auth }) },
  { kind: 'get bad id', expect: [400], setup: (r) => ({ ...r, path: `/v1/clients/${BAD_IDS[next() % BAD_IDS.length]}`, headers: auth }) },
  { kind: 'get valid id', expect: [200], setup: (r) => ({ ...r, path: `/v1/clients/${VALID_IDS[next() % VALID_IDS.length]}`, headers: auth }) },
  {
    kind: 'list page/page_size',
    expect: [200],
    setup: (r) => { const n = next(); return { ...r, path: `/v1/clients?page=${1 + (n % 7)}&page_size=${PAGE_SIZES[n % PAGE_SIZES.length]}`, headers: auth } },
  },
  { kind: 'list keyword', expect: [200], setup: (r) => ({ ...r, path: `/v1/clients/?keyword=${encodeURIComponent(/** @type {string} */ (KEYWORDS[next() % KEYWORDS.length]))}&page_size=20`, headers: auth }) },
  { kind: 'list page_size=101', expect: [400], setup: (r) => ({ ...r, path: '/v1/clients?page_size=101', headers: auth }) },
  {
    kind: 'create',
    expect: [201],
    setup: (r, ctx) => {
      ctx.email = `soak-${RUN}-${next()}@example.com`
      return { ...r, method: 'POST', path: '/v1/clients', headers: { ...auth, ...json }, body: JSON.stringify({ name: 'Soak Client', address: 'West Bay, Doha', phone: '+974 5555 0101', email: ctx.email, notes: 'soak' }) }
    },
    after: (status, body, ctx) => { if (status === 201) ctx.createdId = JSON.parse(body).client.id },
  },
  {
    kind: 'get created',
    expect: [200, 404],
    setup: (r, ctx) => ({ ...r, path: `/v1/clients/${ctx.createdId ?? 900_000_000 + next()}`, headers: auth }),
  },
  {
    kind: 'update created',
    expect: [200, 404],
    setup: (r, ctx) => ({ ...r, method: 'PUT', path: `/v1/clients/${ctx.createdId ?? 900_000_000 + next()}`, headers: { ...auth, ...json }, body: JSON.stringify({ name: 'Soak Client (updated)', email: ctx.email ?? null }) }),
  },
  { kind: 'delete created', expect: [204, 404], setup: (r, ctx) => ({ ...r, method: 'DELETE', path: `/v1/clients/${ctx.createdId ?? 900_000_000 + next()}`, headers: auth }) },
  { kind: 'delete missing', expect: [404], setup: (r) => ({ ...r, method: 'DELETE', path: `/v1/clients/${900_000_000 + next()}`, headers: auth }) },
  { kind: 'wrong method (PATCH)', expect: [405], setup: (r) => ({ ...r, method: 'PATCH', path: '/v1/clients/1024', headers: { ...auth, ...json }, body: '{}' }) },
  { kind: 'wrong method (POST on id)', expect: [405], setup: (r) => ({ ...r, method: 'POST', path: '/v1/clients/1024', headers: auth }) },
  { kind: 'get text/xml', expect: [415], setup: (r) => ({ ...r, path: '/v1/clients/1024', headers: { ...auth, 'content-type': 'text/xml' } }) },
  { kind: 'create text/plain', expect: [415], setup: (r) => ({ ...r, method: 'POST', path: '/v1/clients', headers: { ...auth, 'content-type': 'text/plain' }, body: 'name=x' }) },
  { kind: 'get Accept: xml', expect: [406], setup: (r) => ({ ...r, path: '/v1/clients/1024', headers: { ...auth, accept: 'application/xml' } }) },
  { kind: 'create invalid body', expect: [400], setup: (r) => ({ ...r, method: 'POST', path: '/v1/clients', headers: { ...auth, ...json }, body: '{"name": 42}' }) },
  {
    kind: 'authorize',
    expect: [200],
    authorize: true,
    setup: (r) => ({ ...r, method: 'POST', path: '/v1/Authorization/Authorize', headers: { ...auth, ...json } }),
    after: (status, body, ctx) => { if (status === 200) ctx.token = JSON.parse(body).bearer_token },
  },
  { kind: 'get with bearer token', expect: [200], setup: (r, ctx) => ({ ...r, path: `/v1/clients/${VALID_IDS[next() % VALID_IDS.length]}`, headers: ctx.token ? { authorization: `Bearer ${ctx.token}` } : auth }) },
  { kind: 'authorize unknown key', expect: [401], authorize: true, setup: (r) => ({ ...r, method: 'POST', path: '/v1/Authorization/Authorize', headers: { api_key: UNKNOWN_KEY } }) },
  { kind: 'authorize inactive key', expect: [403], authorize: true, setup: (r) => ({ ...r, method: 'GET', path: '/v1/Authorization/Authorize', headers: { api_key: INACTIVE_KEY } }) },
  { kind: 'unknown route', expect: [404], setup: (r) => ({ ...r, path: '/v1/nowhere', headers: auth }) },
]

/** @type {Record<string, { count: number, statuses: Record<string, number>, ms?: number[], p50Ms?: number | null, p99Ms?: number | null, maxMs?: number | null }>} */
const byKind = {} // ms: the latencies, replaced by p50Ms, p99Ms and maxMs at the end
/** @type {{ kind: string, status: number, body: string }[]} */
const bodyProblems = [] // first few examples
let nonEnvelope = 0
let unexpectedStatus = 0
let badSuccess = 0

/**
 * Fatora's envelope: exactly {status: "FAILURE", error: {error_code: "<status>", description: "…"}}.
 * @param {number} status
 * @param {string} body
 */
function isEnvelope (status, body) {
  try {
    const b = JSON.parse(body)
    return b !== null && typeof b === 'object' && Object.keys(b).length === 2 && b.status === 'FAILURE' &&
      b.error !== null && typeof b.error === 'object' && Object.keys(b.error).length === 2 &&
      b.error.error_code === String(status) && typeof b.error.description === 'string' && b.error.description.length > 0
  } catch { return false }
}
/**
 * Authorize's own bad-key answers: {"status":"ERROR","error":"…"}.
 * @param {string} body
 */
function isAuthorizeError (body) {
  try {
    const b = JSON.parse(body)
    return b !== null && typeof b === 'object' && Object.keys(b).length === 2 && b.status === 'ERROR' && typeof b.error === 'string'
  } catch { return false }
}
/**
 * @param {number} status
 * @param {string} body
 */
function isSuccess (status, body) {
  if (status === 204) return body === ''
  try {
    const b = JSON.parse(body)
    return b.status === 'SUCCESS' || b.success === true
  } catch { return false }
}

/**
 * Tallies one answer of kind `k` and checks its body against its status.
 * @param {KindBase} k
 * @param {number} status
 * @param {string} body
 * @param {Ctx} ctx
 * @param {number} [ms]
 */
function record (k, status, body, ctx, ms) {
  const s = (byKind[k.kind] ??= { count: 0, statuses: {}, ms: [] })
  s.count++
  if (ms !== undefined) /** @type {number[]} */ (s.ms).push(ms)
  s.statuses[status] = (s.statuses[status] ?? 0) + 1
  if (!k.expect.includes(status)) unexpectedStatus++
  if (status >= 200 && status < 300) {
    if (!isSuccess(status, body)) {
      badSuccess++
      if (bodyProblems.length < 10) bodyProblems.push({ kind: k.kind, status, body: body.slice(0, 300) })
    }
    k.after?.(status, body, ctx)
  } else {
    const ok = isEnvelope(status, body) || (k.authorize === true && (status === 401 || status === 403) && isAuthorizeError(body))
    if (!ok) {
      nonEnvelope++
      if (bodyProblems.length < 10) bodyProblems.push({ kind: k.kind, status, body: body.slice(0, 300) })
    }
  }
}

// Every request carries x-request-id "<kind index>-<n>", which the server echoes: each answer is
// checked against the kind it really answers. (autocannon matches answers to requests in order
// per connection; a connection the server closes with a request unanswered would shift that.)
let misattributed = 0
/** @type {Request[]} */
const requests = kinds.map((k, i) => ({
  // Fresh header objects: autocannon adds Content-Length to the one it is given.
  // ctx.sentAt: per-kind latency (the request is written right after it is built).
  setupRequest: (req, /** @type {Ctx} */ ctx) => { const r = k.setup(req, ctx); ctx.sentAt = performance.now(); return { ...r, headers: { ...r.headers, 'x-request-id': `${i}-${next()}` } } },
  onResponse: (status, body, /** @type {Ctx} */ ctx, headers) => {
    // autocannon always passes the headers, as an object; sentAt was set by setupRequest.
    const echoed = Number(/^(\d+)-/.exec(String(/** @type {import('node:http').IncomingHttpHeaders} */ (headers)['x-request-id'] ?? ''))?.[1] ?? i)
    if (echoed !== i) misattributed++
    record(kinds[echoed] ?? k, status, body, ctx, performance.now() - /** @type {number} */ (ctx.sentAt))
  },
}))

// Malformed JSON is answered 400 with "Connection: close" (Fastify closes a connection whose
// body failed to parse). autocannon ignores that header and loses the request it already wrote
// on the closing socket, so these go through fetch (undici honours it), two at a time.
/** @type {KindBase} */
const malformed = { kind: 'create malformed JSON (fetch)', expect: [400] }
/** @type {number[]} */
const sideLatencies = []
let sideErrors = 0
/** @type {Record<string, number>} */
const sideErrorCodes = {}
/** @param {number} until a performance.now() time */
async function malformedLoop (until) {
  while (performance.now() < until) {
    const started = performance.now()
    try {
      const res = await fetch(`${url}/v1/clients`, { method: 'POST', headers: { ...auth, ...json }, body: '{"name": "Broken", ' })
      const text = await res.text()
      sideLatencies.push(performance.now() - started)
      record(malformed, res.status, text, {}, performance.now() - started)
    } catch (err) {
      sideErrors++
      const c = /** @type {{ cause?: { code?: string } }} */ (err).cause?.code ?? String(/** @type {{ cause?: unknown }} */ (err).cause ?? err)
      sideErrorCodes[c] = (sideErrorCodes[c] ?? 0) + 1
    }
  }
}

// ---------------------------------------------------------------------------------------------
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, pinned: pinnable, loadavg: loadavg().map((x) => Number(x.toFixed(2))) }
log(`fatora-mock soak: ${DURATION} s at ${CONNECTIONS} connections, ${kinds.length} request kinds, seeds of ${SEED_COUNT} at ${Math.round(DURATION / 3)} s and ${Math.round(2 * DURATION / 3)} s; ${machine.cpu} × ${machine.cores}, Node ${machine.node}${pinnable ? ', server on core 0, autocannon on core 1' : ''}`)

/** @type {{ start: number, warm?: number, end?: number, peak?: number }} */
const rss = { start: rssMb(pid).rss }
const samples = [{ s: 0, ...rssMb(pid) }]
/** @type {Record<string, number>} */
const errorCodes = {}
// Per-second response count and max latency, to see the seeds' effect.
const perSecond = Array.from({ length: DURATION + 2 }, () => ({ n: 0, maxMs: 0 }))
const t0 = performance.now()

// Without a callback autocannon returns its event emitter, made thenable (@types/autocannon says a Promise).
const instance = /** @type {autocannon.Instance} */ (/** @type {unknown} */ (autocannon({ url, connections: CONNECTIONS, duration: DURATION, timeout: 10, requests })))
instance.on('response', (_client, _status, _bytes, ms) => {
  const b = perSecond[Math.floor((performance.now() - t0) / 1000)]
  if (b !== undefined) { b.n++; if (ms > b.maxMs) b.maxMs = ms }
})
instance.on('reqError', (err) => { const c = err.code ?? err.message; errorCodes[c] = (errorCodes[c] ?? 0) + 1 })
/** @type {Promise<autocannon.Result>} */
const finished = new Promise((resolve, reject) => instance.on('done', resolve).on('error', reject))
const side = [malformedLoop(t0 + DURATION * 1000), malformedLoop(t0 + DURATION * 1000)]

const timers = []
timers.push(setTimeout(() => { rss.warm = rssMb(pid).rss; log(`  ${WARMUP_S} s: warm RSS ${rss.warm} MB`) }, WARMUP_S * 1000))
// Every second: the RSS saw-tooths with V8's collections, so a point reading says little alone.
const sampler = setInterval(() => { try { samples.push({ s: Math.round((performance.now() - t0) / 1000), ...rssMb(pid) }) } catch {} }, 1000)

/** @type {Seed[]} */
const seeds = []
/** @param {string} at */
async function seedNow (at) {
  const startS = (performance.now() - t0) / 1000
  const started = performance.now()
  try {
    const res = await fetch(`${url}/__admin/seed`, { method: 'POST', headers: json, body: JSON.stringify({ count: SEED_COUNT }) })
    const body = await res.text()
    const s = { at, startS: Number(startS.toFixed(1)), status: res.status, ms: Math.round(performance.now() - started), body: body.slice(0, 200) }
    seeds.push(s)
    log(`  seed at ${s.startS} s: ${s.status} in ${s.ms} ms ${s.body}`)
  } catch (err) {
    const cause = /** @type {{ cause?: unknown }} */ (err).cause
    seeds.push({ at, startS: Number(startS.toFixed(1)), error: String(cause ?? err) })
    log(`  seed at ${startS.toFixed(1)} s failed: ${cause ?? err}`)
  }
}
/** @type {Promise<void>[]} */
const seedRuns = []
// One seed inside the warm-up too: the first one loads faker and builds its name pools (a one-time
// ~30–40 MB), which is start-up cost, not growth; the mid-run seeds then measure what repeats.
timers.push(setTimeout(() => { seedRuns.push(seedNow('warm-up')) }, Math.min(2, WARMUP_S / 5) * 1000))
for (const frac of [1 / 3, 2 / 3]) timers.push(setTimeout(() => { seedRuns.push(seedNow(`${Math.round(frac * 3)}/3`)) }, frac * DURATION * 1000))

const result = await finished
rss.end = rssMb(pid).rss
clearInterval(sampler)
for (const t of timers) clearTimeout(t)
await Promise.all(seedRuns)
await Promise.all(side)
rss.warm ??= rss.end
rss.peak = rssMb(pid).peak
samples.push({ s: DURATION, ...rssMb(pid) })

// The server should still answer and stop cleanly after all that.
const health = await fetch(`${url}/health`).then((r) => r.status, (err) => String(err.cause ?? err))
const state = await fetch(`${url}/__admin/state`).then((r) => r.json()).then((b) => /** @type {{ totals: { clients: number } }} */ (b).totals, () => undefined)
const stopAt = performance.now()
child.kill('SIGTERM')
const exit = await exited
const stopMs = Math.round(performance.now() - stopAt)

// ---------------------------------------------------------------------------------------------
// autocannon's answers plus the malformed-JSON loop's.
/** @type {Record<string, number>} */
const counts = {}
// autocannon counts every status it records (count is never missing, whatever @types/autocannon says).
for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) counts[k] = /** @type {number} */ (v.count)
for (const [k, v] of Object.entries(byKind[malformed.kind]?.statuses ?? {})) counts[k] = (counts[k] ?? 0) + v
const statuses = Object.fromEntries(Object.entries(counts).sort())
const sideCount = sideLatencies.length
const sortedSide = [...sideLatencies].sort((a, b) => a - b)
const sideP99 = sortedSide.length > 0 ? Math.round(/** @type {number} */ (sortedSide[Math.min(sortedSide.length - 1, Math.floor(sortedSide.length * 0.99))])) : null
// The seeds' own answers count too: a seed that fails on the socket or with a 5xx fails the run.
const seedErrors = seeds.filter((x) => x.error !== undefined).length
const seed5xx = seeds.filter((x) => x.status !== undefined && x.status >= 500).length
const socketErrors = result.errors + sideErrors + seedErrors
const status5xx = Object.entries(statuses).filter(([k]) => k >= '500').reduce((n, [, v]) => n + v, 0) + seed5xx
const non2xx = Object.entries(statuses).filter(([k]) => k < '200' || k >= '300').reduce((n, [, v]) => n + v, 0)
const growthPct = Number(((rss.end - rss.warm) / rss.warm * 100).toFixed(1))
const afterWarm = samples.filter((x) => x.s >= WARMUP_S).map((x) => x.rss)
const rssRange = { min: Math.min(...afterWarm), max: Math.max(...afterWarm) }
const pct = (/** @type {number[]} */ xs, /** @type {number} */ q) => { if (xs.length === 0) return null; const sorted = [...xs].sort((a, b) => a - b); return Math.round(/** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))])) }
for (const v of Object.values(byKind)) { const ms = /** @type {number[]} */ (v.ms); v.p50Ms = pct(ms, 0.5); v.p99Ms = pct(ms, 0.99); v.maxMs = pct(ms, 1); delete v.ms }
const seedWindows = seeds.filter((s) => s.startS !== undefined).map((s) => {
  const from = Math.floor(s.startS)
  const to = Math.min(perSecond.length - 1, Math.ceil(s.startS + (s.ms ?? 0) / 1000))
  const w = perSecond.slice(from, to + 1)
  return { at: s.at, maxLatencyMs: Math.max(...w.map((b) => b.maxMs)), rps: Math.round(w.reduce((n, b) => n + b.n, 0) / Math.max(1, w.length)) }
})

const results = {
  date: new Date().toISOString(),
  machine,
  config: { durationS: DURATION, connections: CONNECTIONS, clients: CLIENTS, preSeed, warmupS: WARMUP_S, seedCount: SEED_COUNT, server: SERVER.replace(root, ''), logLevel: 'info', kinds: kinds.map((k) => k.kind) },
  targets: TARGETS,
  requests: { total: result.requests.total + sideCount, autocannon: result.requests.total, malformedJsonFetch: sideCount, rps: Math.round((result.requests.total + sideCount) / DURATION), sent: result.requests.sent },
  statuses,
  non2xx,
  status5xx,
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
  socketErrors,
  timeouts: result.timeouts,
  errorCodes: { ...errorCodes, ...Object.fromEntries(Object.entries(sideErrorCodes).map(([k, v]) => [`fetch ${k}`, v])) },
  malformedJsonFetch: { requests: sideCount, errors: sideErrors, p99Ms: sideP99, maxMs: sortedSide.length > 0 ? Math.round(/** @type {number} */ (sortedSide.at(-1))) : null },
  misattributed,
  nonEnvelopeErrorBodies: nonEnvelope,
  badSuccessBodies: badSuccess,
  unexpectedStatus,
  bodyProblems,
  byKind,
  seeds,
  seedWindows,
  rssMb: { start: rss.start, warm: rss.warm, end: rss.end, peak: rss.peak, growthAfterWarmupPct: growthPct, minAfterWarmup: rssRange.min, maxAfterWarmup: rssRange.max },
  rssSamples: samples,
  after: { health, totals: state, sigtermExit: exit, sigtermMs: stopMs, serverStderr, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
}

/** @type {Row[]} */
const rows = []
/**
 * @param {string} what
 * @param {string} value
 * @param {string} target
 * @param {boolean} [pass]
 */
const row = (what, value, target, pass) => rows.push({ what, value, target, pass })
row('requests', `${results.requests.total} in ${DURATION} s (${results.requests.rps} req/s): ${result.requests.total} by autocannon at ${CONNECTIONS} connections + ${sideCount} malformed JSON by fetch`, '—')
row('status codes', Object.entries(statuses).map(([k, v]) => `${k}: ${v}`).join(', '), '—')
row('latency (autocannon, all statuses)', `p50 ${results.latencyMs.p50} ms, p90 ${results.latencyMs.p90} ms, p99 ${results.latencyMs.p99} ms, max ${results.latencyMs.max} ms`, '—')
row('  malformed JSON via fetch', `p99 ${sideP99} ms, max ${results.malformedJsonFetch.maxMs} ms`, '—')
row('socket errors / timeouts', `${socketErrors} / ${result.timeouts}${Object.keys(results.errorCodes).length > 0 ? ` (${Object.entries(results.errorCodes).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`, '0', socketErrors === 0)
row('5xx', String(status5xx), '0', status5xx === 0)
row('non-2xx bodies not the envelope', `${nonEnvelope} of ${non2xx}`, '0', nonEnvelope === 0)
row('2xx bodies not SUCCESS (info)', String(badSuccess), '—')
row('statuses other than the kind expects (info)', String(unexpectedStatus), '—')
row('answers out of order (x-request-id, info)', String(misattributed), '—')
row('seeds of 50,000 (POST /__admin/seed)', seeds.map((s) => s.error ?? `${s.at}: ${s.status} in ${s.ms} ms`).join('; '), '—')
row('  while seeding', seedWindows.map((w) => `${w.at}: ${w.rps} req/s, max latency ${Math.round(w.maxLatencyMs)} ms`).join('; '), '—')
for (const k of ['list page/page_size', 'list keyword']) {
  const v = byKind[k]
  if (v !== undefined) row(`${k} (${CLIENTS > 0 ? `${CLIENTS.toLocaleString('en-US')} + ` : ''}the fixtures' clients)`, `p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms, max ${v.maxMs} ms over ${v.count} requests`, '—')
}
row('RSS start / warm / end', `${rss.start} / ${rss.warm} / ${rss.end} MB (peak ${rss.peak}); growth after ${WARMUP_S} s warm-up ${growthPct} %`, `≤ ${TARGETS.rssGrowthPct} %`, growthPct <= TARGETS.rssGrowthPct)
row('  RSS after the warm-up, every second', `${rssRange.min}–${rssRange.max} MB`, '—')
row('after the run', `health ${health}; ${state ? `${state.clients} clients` : 'state unavailable'}; SIGTERM → exit ${exit.code ?? exit.signal} in ${stopMs} ms`, '—')
Object.assign(results, { table: rows })

const width = Math.max(...rows.map((r) => r.what.length))
console.log(`fatora-mock soak — ${machine.cpu} × ${machine.cores}, ${machine.memoryGb} GB, Node ${machine.node}, ${results.date}; load average ${machine.loadavg.join(' ')} before, ${results.after.loadavg.join(' ')} after`)
for (const r of rows) console.log(`${r.what.padEnd(width)}  ${r.value}  [${r.target}${r.pass === undefined ? '' : r.pass ? ' ✓' : ' ✗'}]`)
console.log('by kind:')
const kw = Math.max(...Object.keys(byKind).map((k) => k.length))
console.log(`  ${'kind'.padEnd(kw)}  ${'count'.padStart(7)}  ${'p50'.padStart(5)}  ${'p99'.padStart(5)}  ${'max'.padStart(5)}  statuses`)
for (const [k, v] of Object.entries(byKind)) console.log(`  ${k.padEnd(kw)}  ${String(v.count).padStart(7)}  ${String(v.p50Ms).padStart(5)}  ${String(v.p99Ms).padStart(5)}  ${String(v.maxMs).padStart(5)}  ${Object.entries(v.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}`)
if (bodyProblems.length > 0) {
  console.log('body problems (first ones):')
  for (const p of bodyProblems) console.log(`  ${p.kind} → ${p.status}: ${p.body}`)
}

writeFileSync(join(root, 'bench', 'soak-results.json'), JSON.stringify(results, null, 2) + '\n')
log('written: bench/soak-results.json')
const failed = rows.filter((r) => r.pass === false)
if (failed.length > 0) {
  console.log(`FAIL: ${failed.map((r) => r.what).join('; ')}`)
  process.exit(1)
}
