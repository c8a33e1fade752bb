// Configured faults (CONTRACT §5): in-memory rules that delay matching /v1 requests,
// answer them with a documented error, or reset their connection. Probabilistic faults draw
// from a seedable generator, one stream per fault, so a failing run can be replayed exactly.

/** What POST /__admin/faults accepts (validated by its schema). */
export interface FaultInput {
  method?: string | undefined
  path: string
  status?: number | undefined
  delay_ms?: number | undefined
  jitter_ms?: number | undefined
  probability?: number | undefined
  times?: number | undefined
  connection?: 'reset' | undefined
}

/** A fault as listed by GET /__admin/faults. */
export interface Fault {
  id: number
  method: string | null
  path: string
  status: number | null
  delay_ms: number
  jitter_ms: number
  probability: number
  times: number | null
  connection: 'reset' | null
  /** How many requests it has been applied to. */
  hits: number
  /** Applications left (null: unlimited). */
  remaining: number | null
  created_at: string
}

/** mulberry32: a tiny, well-distributed 32-bit generator; [0, 1) from a seed. */
export function createRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A Fastify-style path pattern as a matcher: `:name` is one segment, `*` the rest of the path,
 * anything else literal. `/v1/clients/:client_id` matches `/v1/clients/1024`, not `/v1/clients`.
 */
export function compilePathPattern (pattern: string): (path: string) => boolean {
  let source = ''
  for (const part of pattern.split(/(:[A-Za-z0-9_]+|\*)/)) {
    if (part === '*') source += '.*'
    else if (part.startsWith(':')) source += '[^/]+'
    else source += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  const re = new RegExp(`^${source}$`)
  // The router decodes %-escapes, so /v1/clients/%31%30%32%34 is client 1024: match either form.
  return (path) => re.test(path) || (path.includes('%') && re.test(safeDecode(path)))
}

function safeDecode (path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

interface Entry {
  fault: Fault
  matches: (path: string) => boolean
  random: () => number
}

export interface FaultStore {
  /** The generator seed of this store (FAULT_SEED, or a random one reported here). */
  readonly seed: number
  /** Number of faults that can still apply; 0 lets the hot path skip matching. */
  readonly active: number
  add: (input: FaultInput) => Fault
  list: () => Fault[]
  remove: (id: number) => boolean
  clear: () => void
  /** The first fault (in creation order) that applies to this request now, counted as a hit. */
  take: (method: string, path: string) => Fault | undefined
  /** A jitter draw in [0, max] ms from the store's own stream. */
  jitter: (max: number) => number
}

export function createFaultStore (seed: number = Math.floor(Math.random() * 4294967296)): FaultStore {
  const entries: Entry[] = []
  let nextId = 1
  let active = 0
  // Jitter draws have their own stream, so adding latency never shifts which requests fail.
  const jitterRandom = createRandom(seed ^ 0x9E3779B9)
  const countActive = (): void => { active = entries.filter((e) => e.fault.remaining !== 0).length }

  return {
    seed,
    get active () { return active },
    add (input) {
      const id = nextId++
      const fault: Fault = {
        id,
        method: input.method?.toUpperCase() ?? null,
        path: input.path,
        status: input.status ?? null,
        delay_ms: input.delay_ms ?? 0,
        jitter_ms: input.jitter_ms ?? 0,
        probability: input.probability ?? 1,
        times: input.times ?? null,
        connection: input.connection ?? null,
        hits: 0,
        remaining: input.times ?? null,
        created_at: new Date().toISOString(),
      }
      // Each fault's stream depends only on the seed and its id: the same test replays the same way.
      entries.push({ fault, matches: compilePathPattern(input.path), random: createRandom(seed + Math.imul(id, 0x85EBCA6B)) })
      countActive()
      return { ...fault }
    },
    list: () => entries.map((e) => ({ ...e.fault })),
    remove (id) {
      const i = entries.findIndex((e) => e.fault.id === id)
      if (i === -1) return false
      entries.splice(i, 1)
      countActive()
      return true
    },
    clear () {
      entries.length = 0
      active = 0
    },
    take (method, path) {
      for (const { fault, matches, random } of entries) {
        if (fault.remaining === 0) continue
        // HEAD is GET without a body: a GET fault applies to it too.
        if (fault.method !== null && fault.method !== method && !(method === 'HEAD' && fault.method === 'GET')) continue
        if (!matches(path)) continue
        if (fault.probability < 1 && random() >= fault.probability) continue
        fault.hits++
        if (fault.remaining !== null) {
          fault.remaining--
          if (fault.remaining === 0) countActive()
        }
        return fault
      }
      return undefined
    },
    jitter: (max) => max > 0 ? Math.floor(jitterRandom() * (max + 1)) : 0,
  }
}
