// The request journal (CONTRACT §5): a fixed-size ring of the last /v1 requests, so a
// test can verify what its code sent. Secrets never enter it: an api_key is kept as its last 4
// characters only (nothing at all when the key is too short to hide), bearer tokens and other
// credentials not at all.
import { compilePathPattern } from './faults.js'

export interface JournalEntry {
  id: string
  time: string
  method: string
  url: string
  path: string
  /** null when a fault reset the connection (no response was sent). */
  status: number | null
  duration_ms: number
  merchant_id: number | null
  auth: 'api_key' | 'bearer' | null
  /** The api_key as "****" plus its last 4 characters (keys under 12 characters: "****"). */
  api_key: string | null
  headers: Record<string, string>
  /** The JSON body of a write, or its first BODY_LIMIT characters when larger. */
  body: unknown
  body_truncated: boolean
  fault_id: number | null
  prefer: string | null
  delay_ms: number
}

export interface JournalQuery {
  method?: string | undefined
  /** An exact path, or a Fastify-style pattern (`/v1/clients/:client_id`, `/v1/*`). */
  path?: string | undefined
  /** An exact status (404) or a class (4xx). */
  status?: string | undefined
  limit?: number | undefined
}

export const BODY_LIMIT = 4096
const BODY_TOO_DEEP = '(not shown: nested too deeply)'
const MIN_KEY_TO_SHOW = 12

// Names that carry credentials, in headers, query strings and JSON bodies: their values never
// enter the journal (api_key keeps its last 4 characters, Authorization its scheme).
const SECRET_NAME = /key|token|secret|passw|auth|cookie|session|signature|credential/i
// Except a card_token (CONTRACT §6.6): the mock issues it for test cards only, and a test reads
// the journal to see which saved card its code charged, + / \ | and all.
const isSecret = (name: string): boolean => name !== 'card_token' && SECRET_NAME.test(name)
const SCHEME = /^[A-Za-z][A-Za-z0-9_-]{0,19} /

/** "****" + the key's last 4 characters; short keys are hidden entirely (4 of 6 would be most of it). */
export function maskKey (key: string): string {
  return key.length >= MIN_KEY_TO_SHOW ? `****${key.slice(-4)}` : '****'
}

function maskSecret (name: string, text: string): string {
  if (name === 'api_key') return maskKey(text)
  if (name === 'authorization' || name === 'proxy-authorization') {
    const scheme = SCHEME.exec(text)
    return scheme === null ? '****' : `${scheme[0]}****`
  }
  return '****'
}

/** A copy of the request headers with credentials masked (Node joins repeated headers). */
export function redactHeaders (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : value
    out[name] = SECRET_NAME.test(name) ? maskSecret(name, text) : text
  }
  return out
}

function safeDecode (text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/** The URL with the value of every credential-like query parameter masked (names compared decoded). */
export function redactUrl (url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const name = eq === -1 ? pair : pair.slice(0, eq)
    return eq !== -1 && isSecret(safeDecode(name)) ? `${name}=****` : pair
  })
  return `${url.slice(0, q + 1)}${pairs.join('&')}`
}

/** A body as kept: credential-like fields masked; the value itself when its JSON is small, else its first BODY_LIMIT characters. */
export function captureBody (body: unknown): { body: unknown, truncated: boolean } {
  if (body === undefined || body === null) return { body: null, truncated: false }
  if (typeof body === 'string') return body.length <= BODY_LIMIT ? { body, truncated: false } : { body: body.slice(0, BODY_LIMIT), truncated: true }
  let text: string
  try {
    // A credential-like field is masked whatever its value (a string, an array of keys, an object).
    text = JSON.stringify(body, (name, value: unknown) => {
      if (name === '' || !isSecret(name) || value === null) return value
      return typeof value === 'string' || typeof value === 'number' ? maskSecret(name, String(value)) : '****'
    })
  } catch {
    // Nested thousands of levels deep, a body overflows the stack of any recursive walk.
    return { body: BODY_TOO_DEEP, truncated: true }
  }
  if (text.length <= BODY_LIMIT) return { body: JSON.parse(text) as unknown, truncated: false }
  return { body: text.slice(0, BODY_LIMIT), truncated: true }
}

/**
 * What the hot path keeps per request: references and numbers, plus the captured body of a
 * write (capped: a 1 MB body must not stay alive 1000 times). Header redaction and formatting
 * happen when the journal is read.
 */
export interface JournalRecord {
  id: string
  /** Epoch ms when the request arrived. */
  startedAt: number
  method: string
  url: string
  status: number | null
  elapsedMs: number
  merchantId: number | undefined
  headers: Record<string, string | string[] | undefined>
  /** The body as kept (captureBody): never a reference to a large request body. */
  body: unknown
  bodyTruncated: boolean
  faultId: number | null
  prefer: string | null
  delayMs: number
}

/** The path of a request URL, without its query string. */
export const pathOf = (url: string): string => { const q = url.indexOf('?'); return q === -1 ? url : url.slice(0, q) }

/** The journal's public entry for a record: credentials masked, body captured and capped. */
export function toEntry (r: JournalRecord): JournalEntry {
  const key = r.headers.api_key
  return {
    id: r.id,
    time: new Date(r.startedAt).toISOString(),
    method: r.method,
    url: redactUrl(r.url),
    path: pathOf(r.url),
    status: r.status,
    duration_ms: Math.round(r.elapsedMs * 10) / 10,
    merchant_id: r.merchantId ?? null,
    auth: key !== undefined ? 'api_key' : r.headers.authorization !== undefined ? 'bearer' : null,
    api_key: key === undefined ? null : maskKey(Array.isArray(key) ? key.join(', ') : key),
    headers: redactHeaders(r.headers),
    body: r.body,
    body_truncated: r.bodyTruncated,
    fault_id: r.faultId,
    prefer: r.prefer,
    delay_ms: r.delayMs,
  }
}

export interface Journal {
  readonly size: number
  /** Requests recorded since start or the last clear (including those overwritten). */
  readonly recorded: number
  record: (record: JournalRecord) => void
  /** Newest first, filtered. */
  query: (q?: JournalQuery) => JournalEntry[]
  clear: () => void
}

export function createJournal (size: number): Journal {
  const ring: Array<JournalRecord | undefined> = new Array<JournalRecord | undefined>(size)
  let next = 0
  let recorded = 0
  return {
    size,
    get recorded () { return recorded },
    record (entry) {
      if (size === 0) return
      ring[next] = entry
      next = next + 1 === size ? 0 : next + 1
      recorded++
    },
    query ({ method, path, status, limit } = {}) {
      const wantMethod = method?.toUpperCase()
      const matchesPath = path === undefined ? undefined : compilePathPattern(path)
      const statusClass = status !== undefined && status.endsWith('xx') ? Number(status[0]) : undefined
      const exactStatus = status !== undefined && statusClass === undefined ? Number(status) : undefined
      const max = limit ?? size
      const out: JournalEntry[] = []
      const stored = Math.min(recorded, size)
      for (let i = 1; i <= stored && out.length < max; i++) {
        const r = ring[(next - i + size) % size]
        if (r === undefined) continue
        if (wantMethod !== undefined && r.method !== wantMethod) continue
        if (matchesPath !== undefined && !matchesPath(pathOf(r.url))) continue
        if (exactStatus !== undefined && r.status !== exactStatus) continue
        if (statusClass !== undefined && (r.status === null || Math.floor(r.status / 100) !== statusClass)) continue
        out.push(toEntry(r))
      }
      return out
    },
    clear () {
      ring.fill(undefined)
      next = 0
      recorded = 0
    },
  }
}
