// The answers the HTTP edge gives a route whatever its handler does — malformed JSON, a body too
// large, a path parameter too long, media types, Prefer, faults, an unexpected failure — added to
// each route's documented responses in one place, so the OpenAPI document and Prefer's list of
// documented codes (test-controls/hook.ts) know them without every route repeating them. A route's
// own entry for a status is kept, its description extended with the edge's causes.
import type { RouteOptions } from 'fastify'
import { controlMessages } from '../test-controls/messages.js'
import { httpMessages as messages } from './messages.js'
import { API_V1_PREFIX, ADMIN_PREFIX, V1_PREFIX } from './prefix.js'
import { errorResponse } from './responses.js'

interface Cause { description: string, example: string }

type ResponseEntry = { description?: string } & Record<string, unknown>

export interface EdgeOptions {
  /** The Prefer header is honoured (PREFER_ENABLED): a malformed one is a 400 on /v1. */
  prefer: boolean
}

// Methods whose body Fastify reads: a JSON body that does not parse is a 400, one past BODY_LIMIT a 413.
const BODYLESS = new Set(['GET', 'HEAD'])

/** The edge's causes for each status on this route, in the order a request meets them. */
function edgeCauses (methods: readonly string[], url: string, consumes: readonly string[] | undefined, { prefer }: EdgeOptions): Map<string, Cause[]> {
  const causes = new Map<string, Cause[]>()
  const add = (status: string, cause: Cause): void => { causes.set(status, [...causes.get(status) ?? [], cause]) }
  const api = url.startsWith(`${V1_PREFIX}/`) || url.startsWith(`${API_V1_PREFIX}/`)
  const admin = url.startsWith(`${ADMIN_PREFIX}/`)
  const json = consumes === undefined || consumes.includes('application/json')
  // Routing: the router decodes path parameters and bounds their length (app.ts maxParamLength).
  if (url.includes(':')) {
    add('400', { description: 'invalid %-encoding in the path', example: messages.badUrl })
    add('414', { description: 'The path, or one of its parameters, is too long', example: messages.paramTooLong })
  }
  // Test controls run before anything else on /v1 (CONTRACT §5).
  if (api && prefer) add('400', { description: 'a malformed Prefer header, or a code it names that this route does not document', example: controlMessages.preferCodeInvalid })
  // The media-type hook of /v1 and /__admin checks every method, a GET included (CONTRACT §1).
  if (api || admin) {
    add('406', { description: 'The Accept header admits no JSON', example: messages.notAcceptable })
    add('415', { description: 'A Content-Type other than application/json was sent', example: messages.unsupportedMediaType })
  }
  if (methods.some((m) => !BODYLESS.has(m))) {
    if (json && (api || admin)) add('400', { description: 'a body that is not valid JSON', example: messages.invalidJson })
    add('413', { description: 'A body larger than BODY_LIMIT', example: messages.bodyTooLarge })
  }
  add('500', { description: 'Unexpected failure (details are logged, never sent)', example: messages.internal })
  return causes
}

// A fault (POST /__admin/faults) may answer any /v1 request with any status from 400 to 599: the
// route's own documented answer for it, or else the envelope with the status's reason phrase.
const faultAnswer = errorResponse(502, 'Any other status a configured fault forces (POST /__admin/faults): the envelope with the status\'s reason phrase', messages.forcedStatus(502))

/** `responses` with the edge's answers for this route added (a new object; the given one is not changed). */
export function withEdgeResponses (responses: Readonly<Record<string, unknown>>, methods: readonly string[], url: string, consumes: readonly string[] | undefined, options: EdgeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...responses }
  for (const [status, causes] of edgeCauses(methods, url, consumes, options)) {
    const own = out[status] as ResponseEntry | undefined
    if (own === undefined) {
      const [first, ...more] = causes as [Cause, ...Cause[]]
      const description = [first.description, ...more.map((c) => c.description)].join('; or ')
      out[status] = errorResponse(Number(status), description.charAt(0).toUpperCase() + description.slice(1), first.example)
      continue
    }
    // Idempotent: Fastify may hand the same options to this hook twice (a GET's HEAD route).
    const missing = causes.filter((c) => own.description?.toLowerCase().includes(c.description.toLowerCase()) !== true)
    if (missing.length > 0) out[status] = { ...own, description: [own.description ?? '', ...missing.map((c) => c.description)].filter(Boolean).join('; or ') }
  }
  const api = url.startsWith(`${V1_PREFIX}/`) || url.startsWith(`${API_V1_PREFIX}/`)
  if (api && out.default === undefined) out.default = faultAnswer
  return out
}

/** The onRoute hook: every route with documented responses gets the edge's. */
export function edgeResponsesHook (options: EdgeOptions): (route: RouteOptions) => void {
  return (route) => {
    const schema = route.schema
    if (schema?.response === undefined || schema.response === null) return
    const consumes = (schema as { consumes?: readonly string[] }).consumes
    route.schema = { ...schema, response: withEdgeResponses(schema.response as Record<string, unknown>, [route.method].flat(), route.url, consumes, options) }
  }
}
