// npm run bench [-- --quick] — fatora-mock against a bare node:http server, in the same run.
// Server and load generator are pinned to one core each (taskset) when the machine
// has two or more; rounds alternate A B A B so drift on a shared machine hits both sides.
// Each round reports the server's CPU per request and says when autocannon's core, not the
// server, was the limit. The full run also measures a paged clients list, checkout, verify (against
// Get Client's throughput) and collect-payment (POST, JSON bodies; checkout and collect-payment
// write a row per request), seeds 1,000,000 clients and 1,000,000 invoices with their items,
// measures GET /v1/invoices list pages on them against 1,000 invoices and bare node:http, memory
// over 60 s, cold starts and startMock() to ready. Prints a table and writes bench/results.json.
// --quick (~20 s, for CI) measures only the default-configuration throughput ratio and exits 1
// when it stays below 0.60× after a re-run.
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuilt, serverEntry } from '../scripts/ensure-built.mjs'
import Database from 'better-sqlite3'
import { freePort, pinnable } from './lib.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const quick = process.argv.includes('--quick')
const DURATION = quick ? 4 : 10
const PAIRS = quick ? 2 : 3
const CONNECTIONS = 50
const KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'
const GATE = 0.60
/** Invoice list queries: requests measured one at a time, and connections under load. */
const LIST_ALONE = 7
const LIST_CONNECTIONS = 4
const TARGETS = { ratio: 0.70, p99: 3, scale: 0.90, coldExisting: 300, coldFresh: 1000, rssAfterLoad: 120, growth: 10, verifyVsGet: 0.5 }
/** A core this busy (share of the round) is the limit: its process could not go faster. */
const SATURATED = 0.85

/**
 * @typedef {{ url: string, pid: number, ms: number, stop: () => Promise<void>, label?: string }} Server a started server
 * @typedef {{ paths: string[], headers?: Record<string, string>, duration?: number, method?: 'GET' | 'POST', body?: string, connections?: number, timeout?: number }} LoadOptions
 * @typedef {{ rps: number, total: number, p50: number, p99: number, max: number, errors: number, timeouts: number, non2xx: number, statuses: Record<string, number>, clientBusy: number }} LoadResult what bench/load.mjs prints (clientBusy: autocannon's CPU share of the round)
 * @typedef {Awaited<ReturnType<typeof compare>>} Comparison
 * @typedef {{ what: string, value: string, target: string, pass: boolean | undefined }} Row
 * @typedef {{ path: string, total: number | undefined, firstMs: number, aloneMs: number, rps: number, p50: number, p99: number }} ListMeasure one list query on one server (firstMs: its first request)
 */

await ensureBuilt()
// What `npm start` and the Docker image run: the esbuild bundle (tsc's dist/server.js without it).
const SERVER = serverEntry()
/**
 * Server on core 0, load generator on core 1 (when pinning is possible).
 * @param {number} core
 * @param {[string, ...string[]]} argv
 * @returns {[string, string[]]} the command and its arguments
 */
const pinned = (core, argv) => pinnable ? ['taskset', ['-c', String(core), ...argv]] : [argv[0], argv.slice(1)]

const work = mkdtempSync(join(tmpdir(), 'fatora-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set()
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { for (const c of children) c.kill('SIGKILL'); process.exit(130) })

const log = (/** @type {string} */ line) => process.stderr.write(line + '\n')
/**
 * The median of `xs` (NaN when it is empty).
 * @param {number[]} xs
 * @returns {number}
 */
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 === 1 ? /** @type {number} */ (s[m]) : (/** @type {number} */ (s[m - 1]) + /** @type {number} */ (s[m])) / 2 }
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** @param {number | undefined} pid */
function rssMb (pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, peak: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024 }
}

/**
 * Spawns a server and resolves once `path` answers `status`; reports ms from spawn to that answer.
 * @param {[string, ...string[]]} argv
 * @param {NodeJS.ProcessEnv} env
 * @param {{ path?: string, headers?: Record<string, string>, status?: number, core?: number }} [options]
 * @returns {Promise<Server>}
 */
async function start (argv, env, { path = '/v1/clients/1024', headers = { api_key: KEY }, status = 200, core = 0 } = {}) {
  const port = await freePort()
  const [cmd, args] = pinned(core, argv)
  const t0 = performance.now()
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] })
  children.add(child)
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const exited = new Promise((resolve) => child.on('exit', (code) => { children.delete(child); resolve(code) }))
  const url = `http://127.0.0.1:${port}`
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${argv.join(' ')} exited ${child.exitCode}: ${stderr}`)
    try {
      const res = await fetch(url + path, { headers })
      await res.arrayBuffer()
      if (res.status === status) break
    } catch {}
    if (performance.now() - t0 > 30_000) throw new Error(`${argv.join(' ')} did not answer within 30 s: ${stderr}`)
    await sleep(2)
  }
  const ms = performance.now() - t0
  // It answered, so it was spawned: it has a pid.
  return { url, pid: /** @type {number} */ (child.pid), ms, stop: async () => { child.kill('SIGTERM'); await exited } }
}

/**
 * utime + stime of a process, in µs (from /proc; clock ticks of 10 ms).
 * @param {number} pid
 */
function cpuMicros (pid) {
  const fields = /** @type {string} */ (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

/**
 * One autocannon run in its own (pinned) process; with `pid`, also the server's CPU µs per request.
 * @overload
 * @param {string} url
 * @param {LoadOptions & { pid: number }} options
 * @returns {Promise<LoadResult & { cpuUsPerRequest: number }>}
 */
/**
 * @overload
 * @param {string} url
 * @param {LoadOptions} options
 * @returns {Promise<LoadResult>}
 */
/**
 * @param {string} url
 * @param {LoadOptions & { pid?: number }} options
 * @returns {Promise<LoadResult & { cpuUsPerRequest?: number }>}
 */
async function load (url, { paths, headers = { api_key: KEY }, duration = DURATION, pid, method, body, connections = CONNECTIONS, timeout }) {
  const [cmd, args] = pinned(1, [process.execPath, join(root, 'bench/load.mjs'), JSON.stringify({ url, connections, duration, timeout, paths, headers, method, body })])
  const before = pid === undefined ? 0 : cpuMicros(pid)
  const out = execFileSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 })
  /** @type {LoadResult & { cpuUsPerRequest?: number }} */
  const result = JSON.parse(/** @type {string} */ (out.trim().split('\n').pop()))
  if (pid !== undefined) result.cpuUsPerRequest = (cpuMicros(pid) - before) / result.total
  return result
}

/**
 * What limited a round: the server's core (busy ≥ SATURATED), else autocannon's, else neither.
 * @param {LoadResult & { cpuUsPerRequest: number }} r
 * @param {number} durationS
 */
function limitOf (r, durationS) {
  const serverBusy = r.cpuUsPerRequest * r.total / (durationS * 1e6)
  return { by: serverBusy >= SATURATED ? 'server' : r.clientBusy >= SATURATED ? 'autocannon' : 'neither', serverBusy: Number(serverBusy.toFixed(2)), clientBusy: r.clientBusy }
}

/**
 * The bare node:http baseline, serving `body` with `status` whatever is asked.
 * @param {number} status
 * @param {string} body
 */
const bare = (status, body) => start([process.execPath, join(root, 'bench/bare.mjs')], { BARE_STATUS: String(status), BARE_BODY: body }, { status })

/**
 * A B A B: baseline then mock, `pairs` times; ratio per pair.
 * @param {string} name
 * @param {Server} baseline
 * @param {Server} mock
 * @param {LoadOptions & { expect?: number }} opts
 */
async function compare (name, baseline, mock, opts, pairs = PAIRS) {
  /** @type {Array<{ baseline: LoadResult & { cpuUsPerRequest: number }, mock: LoadResult & { cpuUsPerRequest: number }, ratio: number, limits: { baseline: ReturnType<typeof limitOf>, mock: ReturnType<typeof limitOf> } }>} */
  const rounds = []
  for (let i = 0; i < pairs; i++) {
    const a = await load(baseline.url, { ...opts, pid: baseline.pid })
    const b = await load(mock.url, { ...opts, pid: mock.pid })
    const expected = opts.expect ?? 200
    if (b.statuses[expected] !== b.total || b.errors > 0) throw new Error(`${name}: expected only ${expected}, got ${JSON.stringify(b)}`)
    const duration = opts.duration ?? DURATION
    const limits = { baseline: limitOf(a, duration), mock: limitOf(b, duration) }
    rounds.push({ baseline: a, mock: b, ratio: b.rps / a.rps, limits })
    const said = (/** @type {ReturnType<typeof limitOf>} */ l) => l.by === 'autocannon' ? `, limited by autocannon (its core ${Math.round(l.clientBusy * 100)} % busy, the server's ${Math.round(l.serverBusy * 100)} %)` : ''
    log(`  ${name} pair ${i + 1}: ${baseline.label ?? 'bare'} ${Math.round(a.rps)} req/s (${a.cpuUsPerRequest.toFixed(1)} µs CPU/req${said(limits.baseline)}), ${mock.label ?? 'fatora-mock'} ${Math.round(b.rps)} req/s (${b.cpuUsPerRequest.toFixed(1)} µs CPU/req, p99 ${b.p99} ms${said(limits.mock)}) → ${(b.rps / a.rps).toFixed(2)}×`)
  }
  return {
    name,
    baselineRps: Math.round(median(rounds.map((r) => r.baseline.rps))),
    rps: Math.round(median(rounds.map((r) => r.mock.rps))),
    p50: median(rounds.map((r) => r.mock.p50)),
    p99: median(rounds.map((r) => r.mock.p99)),
    baselineP99: median(rounds.map((r) => r.baseline.p99)),
    ratio: median(rounds.map((r) => r.ratio)),
    ratios: rounds.map((r) => Number(r.ratio.toFixed(3))),
    baselineCpuUs: Number(median(rounds.map((r) => r.baseline.cpuUsPerRequest)).toFixed(1)),
    cpuUs: Number(median(rounds.map((r) => r.mock.cpuUsPerRequest)).toFixed(1)),
    // Rounds whose baseline (or mock) could have gone faster but autocannon's core was full: the
    // ratio then says less about the server than CPU per request does.
    baselineClientLimited: rounds.filter((r) => r.limits.baseline.by === 'autocannon').length,
    mockClientLimited: rounds.filter((r) => r.limits.mock.by === 'autocannon').length,
    rounds: rounds.length,
    // autocannon's busiest share in a baseline round it limited (else in any baseline round).
    clientBusy: Number(Math.max(...rounds.filter((r) => r.limits.baseline.by === 'autocannon' || rounds.every((x) => x.limits.baseline.by !== 'autocannon')).map((r) => r.baseline.clientBusy)).toFixed(2)),
  }
}

/**
 * How many rows a table of a database holds (checkout's payments, seeded invoice items).
 * @param {string} path
 * @param {'payments' | 'invoice_items'} table
 */
function countRows (path, table) {
  const db = new Database(path, { readonly: true })
  try {
    return Number(/** @type {{ n: number }} */ (db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).n)
  } finally {
    db.close()
  }
}
/** @param {string} path */
const countPayments = (path) => countRows(path, 'payments')

/** @param {string[]} args the fatora-mock command line */
async function cli (args) {
  const t0 = performance.now()
  const child = spawn(process.execPath, [join(root, 'dist/cli.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  let peak = 0
  const timer = setInterval(() => { try { peak = Math.max(peak, rssMb(child.pid).peak) } catch {} }, 50)
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  const code = await new Promise((resolve) => child.on('exit', resolve))
  clearInterval(timer)
  if (code !== 0) throw new Error(`fatora-mock ${args.join(' ')} exited ${code}`)
  return { seconds: (performance.now() - t0) / 1000, peakMb: Math.round(peak), out }
}

/**
 * @param {string} url
 * @param {string} path
 * @param {Record<string, string>} [headers]
 */
const getBody = async (url, path, headers = { api_key: KEY }) => { const r = await fetch(url + path, { headers }); return { status: r.status, body: await r.text() } }

// ---------------------------------------------------------------------------------------------
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}`, pinned: pinnable, loadavg: loadavg().map((x) => Number(x.toFixed(2))) }
log(`fatora-mock benchmark${quick ? ' (quick)' : ''}: ${machine.cpu} × ${machine.cores}, Node ${machine.node}, load ${machine.loadavg.join(' ')}${pinnable ? ', server on core 0, autocannon on core 1' : ', not pinned'}`)
/**
 * @type {{
 *   date: string, mode: string, machine: typeof machine, config: { connections: number, durationS: number, pairs: number }, targets: typeof TARGETS,
 *   seeding?: { clients: number, seconds: number, rowsPerSecond: number, peakRssMb: number },
 *   invoiceSeeding?: { invoices: number, items: number, seconds: number, rowsPerSecond: number, peakRssMb: number, dbMb: number },
 *   invoiceLists?: Array<{ name: string, big: ListMeasure, small: ListMeasure, bare: ListMeasure, vsSmall: number, vsBare: number }>,
 *   throughput?: { get: Comparison, unauthorized?: Comparison, notFound?: Comparison, controls?: Comparison, list?: Comparison, checkout?: Comparison & { rowsWritten: number }, verify?: Comparison, collect?: Comparison & { rowsWritten: number } },
 *   startMock?: { readyMs: number, fromProcessStartMs: number, runs: number[] },
 *   scale?: { ratio: number, ratios: number[], rssMb: number },
 *   memory?: { idleMb: number, afterLoadMb: number, warmMb?: number, after60sMb?: number, growthPct?: number },
 *   coldStart?: { existingMs: number, freshMs: number, bareMs: number, existingRuns: number[], freshRuns: number[], bareRuns: number[] },
 *   table?: Row[],
 * }}
 */
const results = { date: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine, config: { connections: CONNECTIONS, durationS: DURATION, pairs: PAIRS }, targets: TARGETS }

// Databases: 1,000 clients (fixtures + seeded) and, in the full run, 1,000,000 — the latter is
// also the seeding figure (rows/s and peak RSS of the CLI).
const smallDb = join(work, 'small.db')
await cli(['seed', '--count', '916', '--db', smallDb, '--seed', '7'])
// The payment routes run on their own copy, so checkout's rows never reach the GET measurements.
const payDb = join(work, 'payments.db')
copyFileSync(smallDb, payDb)
const smallIds = [...Array.from({ length: 40 }, (_, i) => i + 1), 1024, 1025, ...Array.from({ length: 916 }, (_, i) => 2049 + i)]
const paths = (/** @type {number[]} */ ids) => Array.from({ length: 1000 }, (_, i) => `/v1/clients/${ids[(i * 7919) % ids.length]}`)

// Throughput in the default configuration (LOG_LEVEL=info, journal on, admin on): stdout goes
// to /dev/null so the log lines are written but no reader competes for the CPU.
const mock = await start([process.execPath, SERVER], { DB_PATH: smallDb })
const rssIdle = rssMb(mock.pid).rss
const ok = await getBody(mock.url, '/v1/clients/1024')
const base = await bare(200, ok.body)
log('throughput, GET /v1/clients/:id (1,000 clients), default configuration:')
let get = await compare('200', base, mock, { paths: paths(smallIds) })
if (quick && get.ratio < GATE) {
  log(`  ratio ${get.ratio.toFixed(2)}× below the ${GATE}× gate: measuring again (shared machines are noisy)`)
  get = await compare('200 (re-run)', base, mock, { paths: paths(smallIds) }, PAIRS + 1)
}
results.throughput = { get }
await base.stop()

if (!quick) {
  const unauthorized = await getBody(mock.url, '/v1/clients/1024', { api_key: 'NOT-A-KEY' })
  const b401 = await bare(401, unauthorized.body)
  log('401 path (unknown api_key):')
  results.throughput.unauthorized = await compare('401', b401, mock, { paths: paths(smallIds), headers: { api_key: 'NOT-A-KEY' }, expect: 401 }, 2)
  await b401.stop()
  const missing = await getBody(mock.url, '/v1/clients/999999999')
  const b404 = await bare(404, missing.body)
  log('404 path (no such client):')
  results.throughput.notFound = await compare('404', b404, mock, { paths: Array.from({ length: 1000 }, (_, i) => `/v1/clients/${900_000_000 + i}`), expect: 404 }, 2)
  await b404.stop()

  // What the test controls cost when unused: the default (journal on, Prefer honoured)
  // against the same server with JOURNAL_SIZE=0 and PREFER_ENABLED=false.
  const off = await start([process.execPath, SERVER], { DB_PATH: smallDb, JOURNAL_SIZE: '0', PREFER_ENABLED: 'false' })
  off.label = 'controls off'
  mock.label = 'default'
  log('test controls unused: default vs JOURNAL_SIZE=0 PREFER_ENABLED=false:')
  results.throughput.controls = await compare('controls', off, mock, { paths: paths(smallIds) }, 2)
  delete mock.label
  await off.stop()

  // A list with paging (CONTRACT §2): the third page of 20 of the 1,000 clients, against bare
  // node:http sending the same bytes.
  const listPath = '/v1/clients?page=3&page_size=20'
  const listed = await getBody(mock.url, listPath)
  if (listed.status !== 200) throw new Error(`${listPath} answered ${listed.status}: ${listed.body}`)
  const bList = await bare(200, listed.body)
  log(`GET ${listPath}:`)
  results.throughput.list = await compare('list', bList, mock, { paths: [listPath] }, 2)
  await bList.stop()

  // Payments (CONTRACT §6.2, §6.4) on their own server and database copy. Checkout writes a row
  // per request (a PENDING payment), so it measures SQLite's write path, not only the HTTP stack.
  const pay = await start([process.execPath, SERVER], { DB_PATH: payDb })
  const json = { api_key: KEY, 'content-type': 'application/json' }
  const checkoutBody = JSON.stringify({ amount: 123.1, currency: 'QAR', order_id: 'bench-order', client: { name: 'Bench Client' }, success_url: 'https://shop.example/ok', failure_url: 'https://shop.example/ko' })
  const post = async (/** @type {string} */ path, /** @type {string} */ body) => { const r = await fetch(pay.url + path, { method: 'POST', headers: json, body }); return { status: r.status, body: await r.text() } }
  const sample = await post('/v1/payments/checkout', checkoutBody)
  if (sample.status !== 200) throw new Error(`checkout answered ${sample.status}: ${sample.body}`)
  const bCheckout = await bare(200, sample.body)
  log('POST /v1/payments/checkout (writes a row per request):')
  const checkout = await compare('checkout', bCheckout, pay, { paths: ['/v1/payments/checkout'], headers: json, method: 'POST', body: checkoutBody }, 2)
  await bCheckout.stop()
  results.throughput.checkout = { ...checkout, rowsWritten: countPayments(payDb) }
  // The fixture's payment (transaction_id and order_id 123456789) answers 200 out of the box.
  const verifyBody = JSON.stringify({ transaction_id: '123456789', order_id: '123456789' })
  const verified = await post('/v1/payments/verify', verifyBody)
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}: ${verified.body}`)
  const bVerify = await bare(200, verified.body)
  log('POST /v1/payments/verify (the fixture payment, read only):')
  results.throughput.verify = await compare('verify', bVerify, pay, { paths: ['/v1/payments/verify'], headers: json, method: 'POST', body: verifyBody }, 2)
  await bVerify.stop()
  // collect-payment (CONTRACT §6.6): the fixture's saved card (token 123456789) charged again and
  // again, a finished payment row per request, with its webhook/push step.
  const collectBody = JSON.stringify({ card_token: '123456789', order_id: 'bench-renewal', amount: 9.99 })
  const collected = await post('/v1/payments/collect-payment', collectBody)
  if (collected.status !== 200) throw new Error(`collect-payment answered ${collected.status}: ${collected.body}`)
  const rowsBefore = countPayments(payDb)
  const bCollect = await bare(200, collected.body)
  log('POST /v1/payments/collect-payment (the fixture token, writes a row per request):')
  const collect = await compare('collect', bCollect, pay, { paths: ['/v1/payments/collect-payment'], headers: json, method: 'POST', body: collectBody }, 2)
  await bCollect.stop()
  results.throughput.collect = { ...collect, rowsWritten: countPayments(payDb) - rowsBefore }
  await pay.stop()
}
const rssAfterLoad = rssMb(mock.pid).rss

// The large seeds come after the throughput rounds: writing back a 550 MB file slows the whole
// machine for a while (GET rounds measured right after it cost 57 µs of CPU per request, 35–44 µs
// otherwise).
let bigDb
if (!quick) {
  bigDb = join(work, 'big.db')
  log('seeding 1,000,000 clients…')
  const seeded = await cli(['seed', '--count', '1000000', '--db', bigDb, '--seed', '1'])
  results.seeding = { clients: 1_000_000, seconds: Number(seeded.seconds.toFixed(2)), rowsPerSecond: Math.round(1_000_000 / seeded.seconds), peakRssMb: seeded.peakMb }
  log(`  ${results.seeding.seconds} s, ${results.seeding.rowsPerSecond} rows/s, peak RSS ${seeded.peakMb} MB`)
}

// Invoices (CONTRACT §7), full run only: a demo merchant with 1,000,000 invoices and their items
// (also the invoice seeding figure) and one with 1,000 (the fixtures' 42 and 958 seeded).
let invoicesBigDb
let invoicesSmallDb
if (!quick) {
  invoicesSmallDb = join(work, 'invoices-small.db')
  await cli(['seed', '--family', 'invoices', '--count', '958', '--db', invoicesSmallDb, '--seed', '7'])
  invoicesBigDb = join(work, 'invoices-big.db')
  log('seeding 1,000,000 invoices with their items…')
  const seeded = await cli(['seed', '--family', 'invoices', '--count', '1000000', '--db', invoicesBigDb, '--seed', '1'])
  const items = countRows(invoicesBigDb, 'invoice_items')
  results.invoiceSeeding = { invoices: 1_000_000, items, seconds: Number(seeded.seconds.toFixed(2)), rowsPerSecond: Math.round(1_000_000 / seeded.seconds), peakRssMb: seeded.peakMb, dbMb: Math.round(statSync(invoicesBigDb).size / 2 ** 20) }
  log(`  ${results.invoiceSeeding.seconds} s, ${results.invoiceSeeding.rowsPerSecond} invoices/s (+ ${items} items), peak RSS ${seeded.peakMb} MB, ${results.invoiceSeeding.dbMb} MB file`)
}

// Their writes reach the disk before anything else is measured.
if (!quick) {
  execFileSync('sync')
  await sleep(2000)
}

if (!quick) {
  // Scale: the same spread of ids on the 1,000,000-client database, alternating with the small one.
  log('scale: 1,000 vs 1,000,000 clients:')
  const big = await start([process.execPath, SERVER], { DB_PATH: bigDb })
  const bigIds = Array.from({ length: 1000 }, (_, i) => 2049 + ((i * 998_001) % 1_000_000))
  const rounds = []
  for (let i = 0; i < PAIRS; i++) {
    const a = await load(mock.url, { paths: paths(smallIds) })
    const b = await load(big.url, { paths: bigIds.map((id) => `/v1/clients/${id}`) })
    if (b.statuses[200] !== b.total) throw new Error(`scale: expected only 200, got ${JSON.stringify(b)}`)
    rounds.push(b.rps / a.rps)
    log(`  pair ${i + 1}: 1k ${Math.round(a.rps)} req/s, 1M ${Math.round(b.rps)} req/s (p99 ${b.p99} ms) → ${(b.rps / a.rps).toFixed(2)}×`)
  }
  results.scale = { ratio: median(rounds), ratios: rounds.map((r) => Number(r.toFixed(3))), rssMb: Math.round(rssMb(big.pid).rss) }
  await big.stop()

  // Invoice lists (CONTRACT §7) on 1,000,000 invoices against 1,000 and against bare node:http
  // sending the 1M answer's bytes: each query alone (median of LIST_ALONE requests, one at a
  // time) and under load (LIST_CONNECTIONS connections; a slow answer waits, it is not dropped).
  log('invoice lists: 1,000,000 vs 1,000 invoices vs bare:')
  const invBig = await start([process.execPath, SERVER], { DB_PATH: invoicesBigDb })
  const invSmall = await start([process.execPath, SERVER], { DB_PATH: invoicesSmallDb })
  /** @type {NonNullable<typeof results.invoiceLists>} */
  const lists = []
  const queries = [
    ['page 1', (/** @type {number} */ n) => '/v1/invoices'],
    ['deep page (offset ~ half)', (/** @type {number} */ n) => `/v1/invoices?page=${Math.floor(n / 2 / 20)}`],
    ['keyword (Installation, ~2 %)', () => '/v1/invoices?keyword=Installation'],
    ['from/to (one month)', () => '/v1/invoices?from=2024-06-01&to=2024-06-30'],
  ]
  for (const [name, pathFor] of /** @type {Array<[string, (n: number) => string]>} */ (queries)) {
    const bigPath = pathFor(1_000_042)
    const smallPath = pathFor(1_000)
    const sample = await getBody(invBig.url, bigPath)
    if (sample.status !== 200) throw new Error(`${bigPath} answered ${sample.status}: ${sample.body}`)
    const bareList = await bare(200, sample.body)
    /**
     * @param {Server} server
     * @param {string} path
     * @returns {Promise<ListMeasure>}
     */
    const measure = async (server, path) => {
      const alone = []
      let total
      for (let i = 0; i < LIST_ALONE; i++) {
        const t0 = performance.now()
        const r = await getBody(server.url, path)
        alone.push(performance.now() - t0)
        total = /** @type {{ total?: number }} */ (JSON.parse(r.body)).total
      }
      const l = await load(server.url, { paths: [path], connections: LIST_CONNECTIONS, timeout: 120 })
      if (l.statuses[200] !== l.total || l.errors > 0) throw new Error(`${name} ${path}: expected only 200, got ${JSON.stringify(l)}`)
      // One decimal: a full scan of a million rows answers about one request a second.
      return { path, total, firstMs: Number((alone[0] ?? 0).toFixed(1)), aloneMs: Number(median(alone).toFixed(1)), rps: Number(l.rps.toFixed(1)), p50: l.p50, p99: l.p99 }
    }
    const b = await measure(bareList, bigPath)
    const big = await measure(invBig, bigPath)
    const small = await measure(invSmall, smallPath)
    await bareList.stop()
    lists.push({ name, big, small, bare: b, vsSmall: Number((big.rps / small.rps).toPrecision(2)), vsBare: Number((big.rps / b.rps).toPrecision(2)) })
    log(`  ${name}: 1M ${big.rps} req/s (alone ${big.aloneMs} ms, p99 ${big.p99} ms, total ${big.total}), 1k ${small.rps} req/s (alone ${small.aloneMs} ms), bare ${b.rps} req/s`)
  }
  results.invoiceLists = lists
  await invBig.stop()
  await invSmall.stop()

  // Memory: warm (after the runs above), then 60 s of load; growth relative to warm.
  log('memory: 60 s of load…')
  const warm = rssMb(mock.pid).rss
  await load(mock.url, { paths: paths(smallIds), duration: 60 })
  const after60 = rssMb(mock.pid).rss
  results.memory = { idleMb: Math.round(rssIdle), afterLoadMb: Math.round(rssAfterLoad), warmMb: Math.round(warm), after60sMb: Math.round(after60), growthPct: Number(((after60 - warm) / warm * 100).toFixed(1)) }
} else {
  results.memory = { idleMb: Math.round(rssIdle), afterLoadMb: Math.round(rssAfterLoad) }
}
await mock.stop()

if (!quick) {
  // Cold start: spawn → first 200 on /v1/clients/1024, median of 5 (not pinned: as users run it).
  log('cold start (median of 5)…')
  const existing = []
  const fresh = []
  const bareStart = []
  for (let i = 0; i < 5; i++) {
    // The floor on this machine: node itself starting a bare node:http server.
    const z = await start([process.execPath, join(root, 'bench/bare.mjs')], { BARE_STATUS: '200', BARE_BODY: ok.body }, { core: 0 })
    bareStart.push(z.ms)
    await z.stop()
    const copy = join(work, `cold-${i}.db`)
    copyFileSync(smallDb, copy)
    const a = await start([process.execPath, SERVER], { DB_PATH: copy }, { core: 0 })
    existing.push(a.ms)
    await a.stop()
    const b = await start([process.execPath, SERVER], { DB_PATH: join(work, `fresh-${i}.db`) }, { core: 0 })
    fresh.push(b.ms)
    await b.stop()
  }
  results.coldStart = { existingMs: Math.round(median(existing)), freshMs: Math.round(median(fresh)), bareMs: Math.round(median(bareStart)), existingRuns: existing.map(Math.round), freshRuns: fresh.map(Math.round), bareRuns: bareStart.map(Math.round) }

  // startMock() as a test suite calls it (in-memory database, silent): its own time to ready,
  // and from the process's start (node, the package's import and startMock together).
  log('startMock() to ready (median of 5)…')
  const script = `import { startMock } from ${JSON.stringify(join(root, 'dist/index.js'))}
const t0 = performance.now(); const mock = await startMock(); const ms = performance.now() - t0
const res = await fetch(mock.url + '/v1/clients/1024', { headers: { api_key: ${JSON.stringify(KEY)} } }); await res.arrayBuffer()
process.stdout.write(JSON.stringify({ ms, total: performance.now(), status: res.status }) + '\\n'); await mock.close()`
  const runs = []
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    const r = /** @type {{ ms: number, total: number, status: number }} */ (JSON.parse(/** @type {string} */ (out.trim().split('\n').pop())))
    if (r.status !== 200) throw new Error(`startMock: GET /v1/clients/1024 answered ${r.status}`)
    runs.push(r)
  }
  results.startMock = { readyMs: Math.round(median(runs.map((r) => r.ms))), fromProcessStartMs: Math.round(median(runs.map((r) => r.total))), runs: runs.map((r) => Math.round(r.ms)) }
}

// ---------------------------------------------------------------------------------------------
/** @type {Row[]} */
const rows = []
/**
 * @param {string} what
 * @param {string} value
 * @param {string} target
 * @param {boolean | undefined} pass
 */
const row = (what, value, target, pass) => rows.push({ what, value, target, pass })
const g = results.throughput.get
row('GET /v1/clients/:id, 1k clients', `${g.rps} req/s vs bare ${g.baselineRps} → ${g.ratio.toFixed(2)}× (pairs ${g.ratios.join(', ')}); CPU ${g.cpuUs} vs ${g.baselineCpuUs} µs/req`, `≥ ${TARGETS.ratio}×`, g.ratio >= TARGETS.ratio)
row('  latency at 50 connections', `p50 ${g.p50} ms, p99 ${g.p99} ms (bare p99 ${g.baselineP99} ms)`, `p99 ≤ ${TARGETS.p99} ms`, g.p99 <= TARGETS.p99)
row('  what limited bare node:http', g.baselineClientLimited > 0 ? `autocannon, in ${g.baselineClientLimited} of ${g.rounds} rounds (its core ${Math.round(g.clientBusy * 100)} % busy): bare could have gone faster, so the ratio flatters fatora-mock; CPU per request does not (bare ${g.baselineCpuUs} vs ${g.cpuUs} µs: ${(g.baselineCpuUs / g.cpuUs).toFixed(2)}×)` : `its own core in ${g.rounds - g.baselineClientLimited} of ${g.rounds} rounds`, '—', undefined)
if (results.throughput.unauthorized) {
  const u = results.throughput.unauthorized
  row('401 (unknown api_key)', `${u.rps} req/s vs bare ${u.baselineRps} → ${u.ratio.toFixed(2)}×, p99 ${u.p99} ms`, '—', undefined)
  // unauthorized, notFound and controls are measured together.
  const n = /** @type {Comparison} */ (results.throughput.notFound)
  row('404 (no such client)', `${n.rps} req/s vs bare ${n.baselineRps} → ${n.ratio.toFixed(2)}×, p99 ${n.p99} ms`, '—', undefined)
  const k = /** @type {Comparison} */ (results.throughput.controls)
  row('test controls, unused', `default ${k.rps} req/s (${k.cpuUs} µs CPU/req) vs journal+Prefer off ${k.baselineRps} (${k.baselineCpuUs} µs) → ${k.ratio.toFixed(2)}×`, '—', undefined)
  const c = /** @type {Comparison & { rowsWritten: number }} */ (results.throughput.checkout)
  row('POST /v1/payments/checkout (writes a row per request)', `${c.rps} req/s vs bare ${c.baselineRps} → ${c.ratio.toFixed(2)}× (pairs ${c.ratios.join(', ')}); CPU ${c.cpuUs} vs ${c.baselineCpuUs} µs/req; p99 ${c.p99} ms; ${c.rowsWritten} payments written`, '—', undefined)
  const l = /** @type {Comparison} */ (results.throughput.list)
  row('GET /v1/clients?page=3&page_size=20', `${l.rps} req/s vs bare ${l.baselineRps} → ${l.ratio.toFixed(2)}× (pairs ${l.ratios.join(', ')}); CPU ${l.cpuUs} vs ${l.baselineCpuUs} µs/req; p99 ${l.p99} ms`, '—', undefined)
  const v = /** @type {Comparison} */ (results.throughput.verify)
  row('POST /v1/payments/verify (fixture payment)', `${v.rps} req/s vs bare ${v.baselineRps} → ${v.ratio.toFixed(2)}× (pairs ${v.ratios.join(', ')}); CPU ${v.cpuUs} vs ${v.baselineCpuUs} µs/req; p99 ${v.p99} ms`, '—', undefined)
  row('  verify vs GET /v1/clients/:id', `${(v.rps / g.rps).toFixed(2)}× the throughput (${v.rps} vs ${g.rps} req/s); ${(g.cpuUs / v.cpuUs).toFixed(2)}× by CPU per request`, `≥ ${TARGETS.verifyVsGet}×`, v.rps / g.rps >= TARGETS.verifyVsGet)
  const cp = /** @type {Comparison & { rowsWritten: number }} */ (results.throughput.collect)
  row('POST /v1/payments/collect-payment (writes a row per request)', `${cp.rps} req/s vs bare ${cp.baselineRps} → ${cp.ratio.toFixed(2)}× (pairs ${cp.ratios.join(', ')}); CPU ${cp.cpuUs} vs ${cp.baselineCpuUs} µs/req; p99 ${cp.p99} ms; ${cp.rowsWritten} payments written`, '—', undefined)
}
if (results.scale) row('1M clients vs 1k', `${results.scale.ratio.toFixed(2)}× (pairs ${results.scale.ratios.join(', ')})`, `≥ ${TARGETS.scale}×`, results.scale.ratio >= TARGETS.scale)
if (results.coldStart) {
  const c = results.coldStart
  row('cold start, existing database', `${c.existingMs} ms (runs ${c.existingRuns.join(', ')}) = ${(c.existingMs / c.bareMs).toFixed(1)}× bare node:http's ${c.bareMs} ms`, `≤ ${TARGETS.coldExisting} ms`, c.existingMs <= TARGETS.coldExisting)
  row('cold start, fresh database', `${c.freshMs} ms (runs ${c.freshRuns.join(', ')})`, `≤ ${TARGETS.coldFresh} ms`, c.freshMs <= TARGETS.coldFresh)
}
if (results.startMock) {
  const sm = results.startMock
  row('startMock() to ready (in-memory database)', `${sm.readyMs} ms (runs ${sm.runs.join(', ')}); ${sm.fromProcessStartMs} ms from the process's start to its first 200`, '—', undefined)
}
const m = results.memory
row('RSS idle / after load', `${m.idleMb} MB / ${m.afterLoadMb} MB`, `after load ≤ ${TARGETS.rssAfterLoad} MB`, m.afterLoadMb <= TARGETS.rssAfterLoad)
if (m.growthPct !== undefined) row('RSS growth over 60 s of load', `${m.warmMb} → ${m.after60sMb} MB (${m.growthPct} %)`, `≤ ${TARGETS.growth} %`, m.growthPct <= TARGETS.growth)
if (results.seeding) row('seeding 1,000,000 clients', `${results.seeding.seconds} s, ${results.seeding.rowsPerSecond} rows/s, peak RSS ${results.seeding.peakRssMb} MB`, '—', undefined)
if (results.invoiceSeeding) {
  const s = results.invoiceSeeding
  row('seeding 1,000,000 invoices', `${s.seconds} s, ${s.rowsPerSecond} invoices/s (+ ${s.items} items), peak RSS ${s.peakRssMb} MB, ${s.dbMb} MB file`, '—', undefined)
}
for (const l of results.invoiceLists ?? []) {
  row(`GET /v1/invoices ${l.name}, 1M vs 1k`, `1M ${l.big.rps} req/s (alone ${l.big.aloneMs} ms, p99 ${l.big.p99} ms; ${l.big.total} found) · 1k ${l.small.rps} req/s (alone ${l.small.aloneMs} ms) · bare ${l.bare.rps} req/s → 1M/1k ${l.vsSmall}×, 1M/bare ${l.vsBare}×`, '—', undefined)
}
results.table = rows

const width = Math.max(...rows.map((r) => r.what.length))
console.log(`fatora-mock ${quick ? 'quick ' : ''}benchmark — ${machine.cpu} × ${machine.cores}, ${machine.memoryGb} GB, Node ${machine.node}, ${results.date}`)
for (const r of rows) console.log(`${r.what.padEnd(width)}  ${r.value}  [${r.target}${r.pass === undefined ? '' : r.pass ? ' ✓' : ' ✗'}]`)

writeFileSync(join(root, 'bench', quick ? 'results-quick.json' : 'results.json'), JSON.stringify(results, null, 2) + '\n')
log(`written: bench/${quick ? 'results-quick.json' : 'results.json'}`)
if (quick && g.ratio < GATE) {
  console.log(`FAIL: throughput ratio ${g.ratio.toFixed(2)}× is below the ${GATE}× gate`)
  process.exit(1)
}
