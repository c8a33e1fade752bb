// Property-based fuzzing over real sockets, the short seeded run of `npm test`:
// random methods, request-targets (unicode, %-encodings good and bad, dot segments, NUL, very
// long), header sets (duplicates, odd casing, huge values, raw bytes, several api_key headers) and
// bodies (malformed, deeply nested, huge, wrong types, __proto__ / constructor.prototype) against
// every route of one in-process app — the families' /v1 routes read from the app (routes.ts).
// Every answer must be well formed: the route's success shape, or a 4xx envelope whose error_code
// is the status — never a 5xx, never silence (the invariant is checkResponse in oracle.ts). After
// every batch /health must answer and no built-in prototype may have gained a property; heap use
// must stay flat.
//
// Longer runs, other seeds, replays: npm run fuzz -- --runs 20000 [--seed S] [--path P]
import t from 'tap'
import { listen } from '../helper.js'
import { fetchToken, runFuzz } from './property.js'
import { routeTable } from './routes.js'

// Fixed, so `npm test` is reproducible; the report names the batch seed and path of a failure.
const SEED = 20260508
const RUNS = 3000
const BATCH = 300
// Generous: a green run takes ~10 s on a loaded 2-core machine. Past this, shrinking stops and the
// failure found so far is reported (tap's own timeout for the file is 120 s).
const TIME_LIMIT_MS = 80_000
const HEAP_GROWTH_LIMIT = 50 * 1024 * 1024
const RSS_GROWTH_LIMIT = 250 * 1024 * 1024

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

const { app, port } = await listen(t)
const token = await fetchToken(port)
const aims = await routeTable(app)

t.test(`${RUNS} random requests over real sockets (seed ${SEED}): each answer is a success shape or a 4xx envelope; /health after every batch`, async (t) => {
  t.comment(`route table: ${aims.map((a) => a.aim).join(', ')}`)
  const result = await runFuzz({
    port,
    token,
    aims,
    runs: RUNS,
    seed: SEED,
    batchSize: BATCH,
    timeLimitMs: TIME_LIMIT_MS,
    onBatch: (p) => { t.comment(`batch ${p.batch}/${p.batches}: ${p.runs} cases in ${(p.ms / 1000).toFixed(1)} s, heap ${mb(p.memory.heapUsed)}, rss ${mb(p.memory.rss)}, /health ok`) },
  })

  if (!result.ok) {
    // fast-check's report: seed, path, shrunk counterexample (the exact request bytes) and the
    // violation with the response.
    t.fail(`fuzz failed after ${result.runs} cases: ${(result.failure ?? '').split('\n').find((l) => l.startsWith('Got ')) ?? 'see the report'}`, {
      diagnostic: true,
      report: result.failure,
      replay: result.failedPath === undefined ? undefined : `npm run fuzz -- --seed=${result.failedSeed} --path=${result.failedPath}`,
    })
    return
  }
  t.notOk(result.interrupted, `all ${RUNS} cases ran within ${TIME_LIMIT_MS / 1000} s (took ${(result.ms / 1000).toFixed(1)} s)`)
  t.equal(result.runs, RUNS, `${result.runs} cases passed in ${(result.ms / 1000).toFixed(1)} s`)

  const heap = result.memoryAfter.heapUsed - result.memoryBefore.heapUsed
  const rss = result.memoryAfter.rss - result.memoryBefore.rss
  t.comment(`memory after the first batch → after the last (after GC): heap ${mb(result.memoryBefore.heapUsed)} → ${mb(result.memoryAfter.heapUsed)}, rss ${mb(result.memoryBefore.rss)} → ${mb(result.memoryAfter.rss)}`)
  t.ok(heap < HEAP_GROWTH_LIMIT, `heap grew by ${mb(heap)} (limit ${mb(HEAP_GROWTH_LIMIT)})`)
  t.ok(rss < RSS_GROWTH_LIMIT, `rss grew by ${mb(rss)} (loose limit ${mb(RSS_GROWTH_LIMIT)})`)
})
