// `npm run fuzz -- --runs N --seed=S [--batch B] [--path=P]` (started by scripts/fuzz.mjs with tsx):
// the property of test/fuzz/fuzz.test.ts, as long as you like, against the same in-process app
// (test/helper.ts: :memory: database with the fixtures). Prints progress per batch; on failure
// fast-check's report with the seed and path to replay, exit 1; on success the cases run, exit 0.
import type { Test } from 'tap'
import { parseArgs } from 'node:util'
import { listen } from '../helper.js'
import { fetchToken, runFuzz, type Memory } from './property.js'
import { routeTable } from './routes.js'

const usage = 'usage: npm run fuzz -- [--runs N] [--seed=S] [--batch B] [--path=P] [--time-limit SECONDS]   (a negative seed needs the = form)'

function int (name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  if (!/^-?\d+$/.test(text)) { console.error(`--${name}: expected an integer, got ${JSON.stringify(text)}\n${usage}`); process.exit(2) }
  return Number(text)
}

let values
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      path: { type: 'string' },
      'time-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }))
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`)
  process.exit(2)
}
if (values.help === true) { console.log(usage); process.exit(0) }

const runs = int('runs', values.runs, 20_000)
// fast-check seeds are 32-bit integers.
const seed = int('seed', values.seed, Math.floor(Math.random() * 2 ** 31)) | 0
const batchSize = int('batch', values.batch, 1000)
const timeLimit = values['time-limit'] === undefined ? undefined : int('time-limit', values['time-limit'], 0) * 1000
if (runs < 1 || batchSize < 1) { console.error(usage); process.exit(2) }

// helper.ts closes the app through tap's teardown; here we keep the callbacks ourselves.
const teardowns: Array<() => unknown> = []
const t = { teardown: (fn: () => unknown) => { teardowns.push(fn) } } as unknown as Test
const { app, port } = await listen(t)
const token = await fetchToken(port)
const aims = await routeTable(app)

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const memo = (m: Memory): string => `heap ${mb(m.heapUsed)}, rss ${mb(m.rss)}`
console.log(values.path !== undefined
  ? `fuzz: replaying seed ${seed}, path ${values.path} (a fresh server: a failure that needed earlier requests may not recur), server on 127.0.0.1:${port}`
  : `fuzz: ${runs} cases, seed ${seed}, batches of ${batchSize}, server on 127.0.0.1:${port}`)

const result = await runFuzz({
  port,
  token,
  aims,
  runs,
  seed,
  batchSize,
  ...(values.path !== undefined ? { path: values.path } : {}),
  ...(timeLimit !== undefined ? { timeLimitMs: timeLimit } : {}),
  onBatch: (p) => {
    console.log(`  batch ${p.batch}/${p.batches}: ${p.runs}/${p.totalRuns} cases in ${(p.ms / 1000).toFixed(1)} s (${Math.round(p.runs / (p.ms / 1000))}/s), ${memo(p.memory)}, /health ok`)
  },
})

for (const fn of teardowns.reverse()) await fn()

const growth = result.memoryAfter.heapUsed - result.memoryBefore.heapUsed
const memoryLine = `memory after warm-up → end (after GC): ${memo(result.memoryBefore)} → ${memo(result.memoryAfter)} (heap ${growth >= 0 ? '+' : ''}${mb(growth)})`
if (!result.ok) {
  console.log(`\nFAILED after ${result.runs} cases (${(result.ms / 1000).toFixed(1)} s), run seed ${seed}`)
  console.log(result.failure)
  process.exit(1)
}
// Generous bound, as in the test: a leak would grow with every batch.
const HEAP_BOUND = 50 * 1024 * 1024
console.log(`\n${result.runs} case${result.runs === 1 ? '' : 's'} passed in ${(result.ms / 1000).toFixed(1)} s (seed ${seed})${result.interrupted ? ' — interrupted by --time-limit' : ''}`)
console.log(memoryLine)
if (growth > HEAP_BOUND) {
  console.log(`FAILED: heap grew by ${mb(growth)} (bound ${mb(HEAP_BOUND)})`)
  process.exit(1)
}
process.exit(0)
