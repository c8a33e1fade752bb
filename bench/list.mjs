// npm run bench:list [-- --count N --family clients|invoices] — list latency on a merchant with N
// clients (default 1,000,000) or N invoices: the first page, a deep page, keyword searches (the
// soak's keywords among them) and an exact filter, each the first request and the median of
// several to the real server over loopback. The seed itself is timed (wall time of `fatora-mock
// seed`, as a user runs it).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({ options: { count: { type: 'string', default: '1000000' }, family: { type: 'string', default: 'clients' } } })
const count = Number(args.count)
const family = args.family
if (!Number.isInteger(count) || count < 0 || (family !== 'clients' && family !== 'invoices')) {
  process.stderr.write('usage: node bench/list.mjs [--count N] [--family clients|invoices]\n')
  process.exit(2)
}
const REPEAT = 7
const KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'

const dir = mkdtempSync(join(tmpdir(), 'fatora-list-'))
const db = join(dir, 'list.db')
console.log(`list benchmark: demo merchant with ${count.toLocaleString('en-US')} more ${family}; ${cpus()[0]?.model ?? ''} × ${cpus().length}, Node ${process.version}`)
const seedStarted = performance.now()
const seeded = execFileSync(process.execPath, ['dist/cli.js', 'seed', '--family', family, '--count', String(count), '--db', db], { encoding: 'utf8' })
console.log(`  seed: ${((performance.now() - seedStarted) / 1000).toFixed(1)} s wall (process start to exit): ${seeded.trim().split('\n').at(-1)}`)

const port = 40_000 + Math.floor(Math.random() * 1000)
const server = spawn(process.execPath, ['dist/server.js'], { env: { ...process.env, PORT: String(port), DB_PATH: db, LOG_LEVEL: 'warn' }, stdio: 'ignore' })
const base = `http://127.0.0.1:${port}`
for (let i = 0; i < 400; i++) {
  try { if ((await fetch(`${base}/health`)).ok) break } catch {}
  await new Promise((resolve) => setTimeout(resolve, 25))
}

/**
 * The first of REPEAT requests to `path` and their median, printed with `label`.
 * @param {string} label
 * @param {string} path
 */
async function time (label, path) {
  /** @type {number[]} */
  const samples = []
  /** @type {{ clients?: unknown[], invoices?: unknown[], total?: number }} */
  let body = {}
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now()
    const res = await fetch(base + path, { headers: { api_key: KEY } })
    body = /** @type {{ clients?: unknown[], invoices?: unknown[], total?: number }} */ (await res.json())
    samples.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`)
  }
  const first = /** @type {number} */ (samples[0])
  samples.sort((a, b) => a - b)
  // REPEAT ≥ 1 samples: none of these is undefined.
  const median = /** @type {number} */ (samples[Math.floor(samples.length / 2)])
  const max = /** @type {number} */ (samples.at(-1))
  const rows = body.clients ?? body.invoices
  console.log(`  ${label.padEnd(40)} first ${first.toFixed(1).padStart(7)} ms, median ${median.toFixed(1).padStart(7)} ms, max ${max.toFixed(1).padStart(7)} ms   (${rows?.length ?? 1} of ${body.total ?? 1})`)
  return { label, path, firstMs: first, medianMs: median, total: body.total }
}

const q = (/** @type {string} */ keyword) => encodeURIComponent(keyword)
const results = []
if (family === 'clients') {
  const emailOf = /** @type {{ client?: { email?: string } }} */ (await (await fetch(`${base}/v1/clients/${Math.floor(count / 2)}`, { headers: { api_key: KEY } })).json()).client?.email
  results.push(
    await time('first page (page_size 20)', '/v1/clients'),
    await time('first page (page_size 100)', '/v1/clients?page_size=100'),
    await time('deep page (offset ~ half)', `/v1/clients?page=${Math.floor(count / 2 / 20)}`),
    await time('keyword search (common: "terry")', '/v1/clients?keyword=terry'),
    await time('keyword search (rare: one email)', `/v1/clients?keyword=${q(emailOf ?? 'x')}`),
    await time('keyword search (no match)', '/v1/clients?keyword=zzzzqqq'),
    await time('keyword search (2 characters: "jo")', '/v1/clients?keyword=jo'),
  )
  // The soak's keywords (bench/soak.mjs), page_size 20 as there.
  for (const keyword of ['john', 'example.com', 'street', 'LLC', 'no-such-keyword-at-all']) {
    results.push(await time(`soak keyword "${keyword}"`, `/v1/clients?keyword=${q(keyword)}&page_size=20`))
  }
  results.push(
    await time('email lookup (exact)', `/v1/clients?email=${q((emailOf ?? 'x').toUpperCase())}`),
    await time('Get Client (for comparison)', '/v1/clients/1024'),
  )
} else {
  const numberOf = /** @type {{ invoice?: { number?: string } }} */ (await (await fetch(`${base}/v1/invoices/${Math.floor(count / 2)}`, { headers: { api_key: KEY } })).json()).invoice?.number
  results.push(
    await time('first page (page_size 20)', '/v1/invoices'),
    await time('keyword search (common: "invoice")', '/v1/invoices?keyword=invoice'),
    await time('keyword search (a client: "john")', '/v1/invoices?keyword=john'),
    await time(`keyword search (one number: ${numberOf ?? '?'})`, `/v1/invoices?keyword=${q(numberOf ?? 'x')}`),
    await time('keyword search (no match)', '/v1/invoices?keyword=zzzzqqq'),
    await time('keyword search (2 characters: "jo")', '/v1/invoices?keyword=jo'),
    await time('keyword + status=paid ("consult")', '/v1/invoices?keyword=consult&status=paid'),
  )
}
server.kill('SIGTERM')
await new Promise((resolve) => server.on('exit', resolve))
rmSync(dir, { recursive: true, force: true })
void results
