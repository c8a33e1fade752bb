// The test controls on /v1 (CONTRACT §5): global latency, configured faults and the
// Prefer header run first, before auth — Fatora down is down for every key — then the journal
// records each /v1 request once its answer is sent. With nothing configured and no Prefer header
// the hook costs two string checks per request.
import type { FastifyReply, FastifyRequest, FastifySchema, onRequestHookHandler, onResponseHookHandler } from 'fastify'
import { ApiError, AuthorizeError } from '../http/errors.js'
import { httpMessages } from '../http/messages.js'
import { isV1Url } from '../http/prefix.js'
import type { Delays } from './delays.js'
import type { Fault, FaultStore } from './faults.js'
import { captureBody, pathOf, type Journal, type JournalRecord } from './journal.js'
import { controlMessages as messages } from './messages.js'
import { parsePrefer, type Preferences } from './prefer.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** What the test controls did to this request; null when nothing. */
    controlled: Controlled | null
  }
}

export interface Controlled {
  faultId: number | null
  prefer: string | null
  delayMs: number
}

export interface TestControlsOptions {
  faults: FaultStore
  journal: Journal
  delays: Delays
  /** Honour the Prefer header (PREFER_ENABLED). */
  prefer: boolean
  latencyMs: number
  latencyJitterMs: number
}

const NO_BODY = { body: null, truncated: false }

/** Writes keep their body (capped and masked now); reads have none. */
function capturedBody (request: FastifyRequest): { body: unknown, truncated: boolean } {
  return request.method === 'GET' || request.method === 'HEAD' ? NO_BODY : captureBody(request.body)
}

interface ResponseDoc { examples?: Array<{ status?: string, error?: string | { description?: string } }> }

// Per route schema: the status codes it documents, read once.
const documentedCache = new WeakMap<FastifySchema, number[]>()
function documentedCodes (schema: FastifySchema): number[] {
  let codes = documentedCache.get(schema)
  if (codes === undefined) {
    codes = Object.keys(schema.response ?? {}).map(Number).filter(Number.isInteger).sort((a, b) => a - b)
    documentedCache.set(schema, codes)
  }
  return codes
}

/** The route's own documented answer for `status` (its OpenAPI example), in the route's error shape. */
function forcedError (schema: FastifySchema | undefined, status: number): ApiError {
  const example = ((schema?.response as Record<string, ResponseDoc> | undefined)?.[status])?.examples?.[0]
  // Authorize keeps Fatora's own {"status":"ERROR","error":…} shape (CONTRACT §4).
  if (example?.status === 'ERROR' && typeof example.error === 'string') return new AuthorizeError(status, example.error)
  if (typeof example?.error === 'object' && typeof example.error.description === 'string') return new ApiError(status, example.error.description)
  return new ApiError(status, httpMessages.forcedStatus(status))
}

function preferences (request: FastifyRequest, header: string | string[]): Preferences {
  const schema = request.routeOptions.schema
  // Unknown routes (404) and the 405 routes document no answers: Prefer does not apply there.
  if (schema?.response === undefined) return {}
  const parsed = parsePrefer(header)
  if (parsed === 'code') throw new ApiError(400, messages.preferCodeInvalid)
  if (parsed === 'delay') throw new ApiError(400, messages.preferDelayInvalid)
  if (parsed.code !== undefined) {
    const codes = documentedCodes(schema)
    if (!codes.includes(parsed.code)) {
      throw new ApiError(400, messages.preferCodeNotDocumented(parsed.code, request.method, request.routeOptions.url ?? '', codes))
    }
  }
  return parsed
}

function describePreferences (p: Preferences): string | null {
  const parts: string[] = []
  if (p.code !== undefined) parts.push(`code=${p.code}`)
  if (p.delay !== undefined) parts.push(`delay=${p.delay}`)
  return parts.length === 0 ? null : parts.join(', ')
}

export function createTestControls (options: TestControlsOptions): { onRequest: onRequestHookHandler, onResponse: onResponseHookHandler | undefined } {
  const { faults, journal, delays, prefer, latencyMs, latencyJitterMs } = options
  const latency = latencyMs > 0 || latencyJitterMs > 0

  function record (request: FastifyRequest, status: number | null, elapsedMs: number): JournalRecord {
    const controlled = request.controlled
    const { body, truncated } = capturedBody(request)
    return {
      id: request.id,
      startedAt: Date.now() - elapsedMs,
      method: request.method,
      url: request.url,
      status,
      elapsedMs,
      merchantId: request.merchantId,
      headers: request.headers,
      body,
      bodyTruncated: truncated,
      faultId: controlled?.faultId ?? null,
      prefer: controlled?.prefer ?? null,
      delayMs: controlled?.delayMs ?? 0,
    }
  }

  /** Resets the connection (TCP RST where the socket allows it): the client sees ECONNRESET. */
  function resetConnection (request: FastifyRequest, reply: FastifyReply, started: number): void {
    reply.hijack()
    journal.record(record(request, null, performance.now() - started))
    const socket = request.raw.socket as { resetAndDestroy?: () => void }
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
    // inject() has no real socket: destroying the response makes it reject (LIGHT_ECONNRESET).
    else reply.raw.destroy()
  }

  async function apply (request: FastifyRequest, reply: FastifyReply, header: string | string[] | undefined): Promise<void> {
    const started = performance.now()
    const prefs = header === undefined ? {} : preferences(request, header)
    const fault: Fault | undefined = faults.active > 0 ? faults.take(request.method, pathOf(request.url)) : undefined
    let delay = latency ? latencyMs + faults.jitter(latencyJitterMs) : 0
    delay += prefs.delay ?? 0
    if (fault !== undefined) delay += fault.delay_ms + faults.jitter(fault.jitter_ms)
    const applied = describePreferences(prefs)
    if (fault === undefined && applied === null && delay === 0) return
    request.controlled = { faultId: fault?.id ?? null, prefer: applied, delayMs: delay }
    // RFC 7240 §3: say which preferences were honoured.
    if (applied !== null) reply.header('preference-applied', applied)
    if (delay > 0) await delays.sleep(delay)
    if (fault?.connection === 'reset') return resetConnection(request, reply, started)
    // An explicit Prefer on the request outranks a configured fault's status.
    if (prefs.code !== undefined && prefs.code >= 400) throw forcedError(request.routeOptions.schema, prefs.code)
    if (prefs.code === undefined && fault?.status != null) throw forcedError(request.routeOptions.schema, fault.status)
  }

  const onRequest: onRequestHookHandler = function testControls (request, reply, done) {
    if (!isV1Url(request.url)) return done()
    const header = prefer ? request.headers.prefer : undefined
    if (header === undefined && faults.active === 0 && !latency) return done()
    apply(request, reply, header).then(() => { done() }, done)
  }

  const onResponse: onResponseHookHandler | undefined = journal.size === 0
    ? undefined
    : function journalRecord (request, reply, done) {
      if (isV1Url(request.url)) journal.record(record(request, reply.statusCode, reply.elapsedTime))
      done()
    }

  return { onRequest, onResponse }
}
