// npm run bench:list [-- --count N] — GET /v1/clients latency on a merchant with N clients
// (default 1,000,000): the first page, a deep page, a keyword search and an e-mail lookup,
// each the median of several requests to the real server over loopback.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const count = Number(args[args.indexOf('--count') + 1] ?? NaN) || 1_000_000
const REPEAT = 7
const KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'

const dir = mkdtempSync(join(tmpdir(), 'fatora-list-'))
const db = join(dir, 'list.db')
console.log(`list benchmark: demo merchant with ${count.toLocaleString('en-US')} + 42 clients; ${cpus()[0]?.model ?? ''} × ${cpus().length}, Node ${process.version}`)
const seeded = execFileSync(process.execPath, ['dist/cli.js', 'seed', '--count', String(count), '--db', db], { encoding: 'utf8' })
console.log(`  ${seeded.trim()}`)

const port = 40_000 + Math.floor(Math.random() * 1000)
const server = spawn(process.execPath, ['dist/server.js'], { env: { ...process.env, PORT: String(port), DB_PATH: db, LOG_LEVEL: 'warn' }, stdio: 'ignore' })
const base = `http://127.0.0.1:${port}`
for (let i = 0; i < 200; i++) {
  try { if ((await fetch(`${base}/health`)).ok) break } catch {}
  await new Promise((resolve) => setTimeout(resolve, 25))
}

/**
 * The median of REPEAT requests to `path`, printed with `label`.
 * @param {string} label
 * @param {string} path
 */
async function time (label, path) {
  /** @type {number[]} */
  const samples = []
  /** @type {{ clients?: unknown[], total?: number }} */
  let body = {}
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now()
    const res = await fetch(base + path, { headers: { api_key: KEY } })
    body = /** @type {{ clients?: unknown[], total?: number }} */ (await res.json())
    samples.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`)
  }
  samples.sort((a, b) => a - b)
  // REPEAT ≥ 1 samples: none of these is undefined.
  const median = /** @type {number} */ (samples[Math.floor(samples.length / 2)])
  const min = /** @type {number} */ (samples[0])
  const max = /** @type {number} */ (samples.at(-1))
  console.log(`  ${label.padEnd(34)} median ${median.toFixed(1).padStart(7)} ms   (min ${min.toFixed(1)}, max ${max.toFixed(1)}; ${body.clients?.length ?? 1} of ${body.total ?? 1})`)
  return { label, path, medianMs: median, total: body.total }
}

const emailOf = /** @type {{ client?: { email?: string } }} */ (await (await fetch(`${base}/v1/clients/${Math.floor(count / 2)}`, { headers: { api_key: KEY } })).json()).client?.email
const results = [
  await time('first page (page_size 20)', '/v1/clients'),
  await time('first page (page_size 100)', '/v1/clients?page_size=100'),
  await time('deep page (offset ~ half)', `/v1/clients?page=${Math.floor(count / 2 / 20)}`),
  await time('keyword search (common: "terry")', '/v1/clients?keyword=terry'),
  await time('keyword search (rare: one email)', `/v1/clients?keyword=${encodeURIComponent(emailOf ?? 'x')}`),
  await time('keyword search (no match)', '/v1/clients?keyword=zzzzqqq'),
  await time('email lookup (exact)', `/v1/clients?email=${encodeURIComponent((emailOf ?? 'x').toUpperCase())}`),
  await time('Get Client (for comparison)', '/v1/clients/1024'),
]
server.kill('SIGTERM')
await new Promise((resolve) => server.on('exit', resolve))
rmSync(dir, { recursive: true, force: true })
void results
