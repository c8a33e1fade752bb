// The property (one generated request over a real socket, its answer checked by oracle.ts) and
// the seeded run: batches with a /health probe, a prototype-pollution check and a memory reading
// after each. Used by test/fuzz/fuzz.test.ts (a short seeded run in `npm test`) and
// test/fuzz/run.ts (`npm run fuzz`).
import fc from 'fast-check'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { checkResponse, newState, type FuzzState } from './oracle.js'
import { requestArb } from './requests.js'
import type { Aim } from './routes.js'
import { DEMO_KEY } from './values.js'
import { describeBytes, describeRequest, describeResponse, nestingDepth, NoAnswerError, sendRaw, type FuzzRequest, type RawResponse } from './wire.js'

/** How many earlier requests a failure report lists. */
const HISTORY = 6

/** Updates the known-bug bookkeeping after a request was answered (see FuzzState). */
function track (state: FuzzState, r: FuzzRequest, res: RawResponse): void {
  const depth = nestingDepth(r.body)
  state.history.push(`${describeBytes(`${r.method} ${r.target}`, 160)} (${r.body.length} body bytes${depth > 1 ? `, nested ${depth} deep` : ''}) → ${res.status}`)
  if (state.history.length > HISTORY) state.history.shift()
}

/** The property: one request generated from the route table `aims`, sent over a real socket, its answer checked. */
export function fuzzProperty (port: number, token: string, aims: readonly Aim[], state: FuzzState): fc.IAsyncPropertyWithHooks<[FuzzRequest]> {
  return fc.asyncProperty(requestArb(token, aims), async (request) => {
    const earlier = state.history.length === 0 ? '' : `\n--- the requests before it (newest last; the server keeps state) ---\n${state.history.join('\n')}`
    let res: RawResponse
    try {
      res = await sendRaw(port, request)
    } catch (cause) {
      const err = new NoAnswerError(`${(cause as Error).message}\n--- request ---\n${describeRequest(request)}${earlier}`)
      err.stack = `${err.name}: ${err.message}`
      throw err
    }
    const problem = checkResponse(request, res, state)
    track(state, request, res)
    if (problem !== undefined) {
      const err = new Error(`${problem}\n--- request ---\n${describeRequest(request)}\n--- response ---\n${describeResponse(res)}${earlier}`)
      err.stack = `${err.name}: ${err.message}` // the report is about the server, not this stack
      throw err
    }
  })
}

/** A V8 gc() without --expose-gc on the command line (the flag can be set at run time). */
export function getGc (): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc
  if (typeof existing === 'function') return existing
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? gc as () => void : undefined
  } catch {
    return undefined
  }
}

export interface Memory { heapUsed: number, rss: number }
export function measureMemory (gc = getGc()): Memory {
  if (gc !== undefined) { gc(); gc() }
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, rss: m.rss }
}

/** GET /health over a raw socket: undefined when it answers 200 {"status":"ok"}, else what went wrong. */
export async function probeHealth (port: number): Promise<string | undefined> {
  try {
    const res = await sendRaw(port, Buffer.from('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'latin1'))
    return res.status === 200 && res.body === '{"status":"ok"}' ? undefined : `/health answered ${res.statusLine}: ${describeBytes(res.body, 300)}`
  } catch (err) {
    return `/health: ${(err as Error).message}`
  }
}

/** Own properties of the built-in prototypes, to see that no body polluted them. */
export function prototypeSnapshot (): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Reflect.ownKeys(p).map(String).sort().join(',')).join('|')
}

export interface FuzzOptions {
  port: number
  /** A bearer token from Authorize, so real tokens (and tampered copies) are fuzzed too. */
  token: string
  /** The route table (routes.ts: routeTable(app)); for a given table, a seed always gives the same cases. */
  aims: readonly Aim[]
  runs: number
  seed: number
  batchSize?: number
  /** Replay one counterexample (with the batch seed it failed in): fast-check's path. `runs` is then ignored. */
  path?: string
  /** Stop shrinking (and the run) after this long; the failure found so far is still reported. */
  timeLimitMs?: number
  onBatch?: (progress: BatchProgress) => void
}

export interface BatchProgress { batch: number, batches: number, runs: number, totalRuns: number, ms: number, memory: Memory }

export interface FuzzResult {
  ok: boolean
  runs: number
  ms: number
  batches: number
  /** fast-check's report (seed, path, counterexample, error) or the failed batch check. */
  failure?: string
  /** The seed of the failing batch, for `--seed S --path P` replays. */
  failedSeed?: number
  failedPath?: string
  interrupted: boolean
  memoryBefore: Memory
  memoryAfter: Memory
}

/** Batch b's seed: fast-check seeds are 32-bit integers. */
export function batchSeed (seed: number, batch: number): number {
  return (seed + Math.imul(batch, 0x9e3779b1)) | 0
}

/**
 * Runs `runs` cases in batches of `batchSize` (batch b seeded with batchSeed(seed, b)); after each
 * batch, /health must answer and the built-in prototypes must be untouched. Memory is read after a
 * GC once the first batch has warmed everything up, and again at the end.
 */
export async function runFuzz (options: FuzzOptions): Promise<FuzzResult> {
  const { port, token, aims, runs, seed } = options
  const batchSize = Math.max(1, options.batchSize ?? 500)
  const state = newState()
  const started = performance.now()
  const gc = getGc()
  const protoBefore = prototypeSnapshot()
  let memoryBefore = measureMemory(gc)
  let done = 0
  let interrupted = false
  const batches = options.path !== undefined ? 1 : Math.ceil(runs / batchSize)
  const base = { batches }
  for (let b = 0; b < batches; b++) {
    const numRuns = options.path !== undefined ? 1 : Math.min(batchSize, runs - done)
    const s = options.path !== undefined ? seed : batchSeed(seed, b)
    const left = options.timeLimitMs === undefined ? undefined : options.timeLimitMs - (performance.now() - started)
    const details = await fc.check(fuzzProperty(port, token, aims, state), {
      seed: s,
      numRuns,
      includeErrorInReport: true,
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(left !== undefined ? { plugins: [fc.interruptAfterTimeLimit(Math.max(1000, left))] } : {}),
    })
    done += details.numRuns
    interrupted ||= details.interrupted
    if (details.failed) {
      const report = fc.defaultReportMessage(details) ?? 'property failed'
      return {
        ...base,
        ok: false,
        runs: done,
        ms: performance.now() - started,
        failure: `batch ${b + 1}/${batches} (batch seed ${s}; replay: npm run fuzz -- --seed=${s} --path=${details.counterexamplePath ?? '?'})\n${report}`,
        failedSeed: s,
        ...(details.counterexamplePath !== null ? { failedPath: details.counterexamplePath } : {}),
        interrupted,
        memoryBefore,
        memoryAfter: measureMemory(gc),
      }
    }
    const health = await probeHealth(port)
    const polluted = prototypeSnapshot() !== protoBefore || ({} as Record<string, unknown>).polluted !== undefined
    if (health !== undefined || polluted) {
      return {
        ...base,
        ok: false,
        runs: done,
        ms: performance.now() - started,
        failure: `after batch ${b + 1}/${batches} (batch seed ${s}): ${health ?? 'a built-in prototype gained a property (prototype pollution)'}`,
        failedSeed: s,
        interrupted,
        memoryBefore,
        memoryAfter: measureMemory(gc),
      }
    }
    // The first batch warms up serialisers, faker and the journal ring: measure from there.
    if (b === 0 && batches > 1) memoryBefore = measureMemory(gc)
    options.onBatch?.({ batch: b + 1, batches, runs: done, totalRuns: options.path !== undefined ? done : runs, ms: performance.now() - started, memory: measureMemory() })
    if (details.interrupted) break
  }
  return { ...base, ok: true, runs: done, ms: performance.now() - started, interrupted, memoryBefore, memoryAfter: measureMemory(gc) }
}

/** A bearer token from Authorize with the demo key, over a raw socket. */
export async function fetchToken (port: number): Promise<string> {
  const res = await sendRaw(port, Buffer.from(`POST /v1/Authorization/Authorize HTTP/1.1\r\nHost: 127.0.0.1\r\napi_key: ${DEMO_KEY}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 'latin1'))
  const token = (JSON.parse(res.body) as { bearer_token?: unknown }).bearer_token
  if (typeof token !== 'string') throw new Error(`Authorize answered ${res.statusLine}`)
  return token
}
