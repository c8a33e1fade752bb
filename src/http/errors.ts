// The one place that turns errors into answers (CONTRACT §1): ApiError, the envelope, the table
// from domain errors to statuses, and the mapping of Fastify's own errors. Raw socket answers
// are in raw-errors.ts; no other file builds an error body.
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { STATUS_CODES } from 'node:http'
import {
  ConflictError, type DomainError, InvalidInputError, NotFoundError, ShuttingDownError, StateError, StorageUnavailableError, UnknownReferenceError,
} from '../domain-errors.js'
import { httpMessages as messages } from './messages.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route's own descriptions for schema failures, by part and field ("params.client_id",
     * "querystring.page"; "params" alone for the part as a whole): the field's rule in words.
     * A key may also name the failed keyword ("body.path:pattern", "body:not"): it then
     * describes that rule alone, and wins over the field's.
     */
    validationMessages?: Readonly<Record<string, string>>
  }
}

export interface ErrorEnvelope {
  status: 'FAILURE'
  error: { error_code: string, description: string }
}

/** An error the API answers with: its HTTP status and the envelope's description. */
export class ApiError extends Error {
  constructor (
    readonly statusCode: number,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {}
  ) {
    super(description)
    this.name = 'ApiError'
  }
}

/** CONTRACT §1: `error_code` is the HTTP status as a string; `status` is "FAILURE" (a Decision). */
export function envelope (statusCode: number, description: string): ErrorEnvelope {
  return { status: 'FAILURE', error: { error_code: String(statusCode), description } }
}

/** CONTRACT §4: the body Fatora's Authorize route gives for a bad key, instead of the envelope. */
export interface AuthorizeErrorBody {
  status: 'ERROR'
  error: string
}

/** An error of the Authorize route's own key check: sent as {"status":"ERROR","error":…}. */
export class AuthorizeError extends ApiError {
  override name = 'AuthorizeError'
}

/** Fatora's Authorize error body (CONTRACT §4): no error_code, the message as a plain string. */
export function authorizeErrorBody (description: string): AuthorizeErrorBody {
  return { status: 'ERROR', error: description }
}

// Every domain error's status, by class; the description is the error's own message.
const DOMAIN_STATUSES: ReadonlyArray<[new (...args: never[]) => DomainError, number]> = [
  [InvalidInputError, 400],
  [NotFoundError, 404],
  [ConflictError, 409],
  [UnknownReferenceError, 422],
  [StateError, 422],
  [ShuttingDownError, 503],
]

// One answer per domain error instance: the prebuilt ones (a 404 on every miss) cost no
// allocation per request, as their ApiError constants did.
const answers = new WeakMap<Error, ApiError>()

const MAX_ECHO = 120

// Never echo a query string (it may carry secrets) nor an unbounded path.
function safePath (url: string): string {
  const path = url.split('?', 1)[0] ?? ''
  return path.length > MAX_ECHO ? path.slice(0, MAX_ECHO) + '…' : path
}

/** The description for a failed schema validation: names the field, never echoes its value. */
function validationDescription (err: FastifyError, routeMessages: Readonly<Record<string, string>> | undefined): string {
  const first = err.validation?.[0]
  const params = (first?.params ?? {}) as { missingProperty?: string, additionalProperty?: string, allowedValues?: unknown[], format?: string }
  const segments = first?.instancePath.split('/').filter(Boolean) ?? []
  // Array elements are named as a caller writes them: items[2].qty. A route's message for every
  // element is keyed items[].qty and says {path} where the element's own path goes.
  const path = segments.map((s, i) => /^[0-9]+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`).join('')
  const anyElement = segments.map((s, i) => /^[0-9]+$/.test(s) ? '[]' : i === 0 ? s : `.${s}`).join('')
  const where = err.validationContext ?? 'request'
  const part = where === 'body' ? 'body' : where === 'querystring' ? 'query' : where
  const prefix = path === '' ? '' : `${path}.`
  // A missing field is named as such, even inside an object that has its own rule.
  if (params.missingProperty !== undefined) return `Invalid ${part}: ${prefix}${params.missingProperty} is required`
  const key = path === '' ? where : `${where}.${path}`
  const own = routeMessages?.[`${key}:${first?.keyword ?? ''}`] ?? routeMessages?.[key] ?? routeMessages?.[`${where}.${anyElement}`]
  if (own !== undefined) return own.replace('{path}', path)
  if (params.additionalProperty !== undefined) return `Invalid ${part}: unknown field ${prefix}${params.additionalProperty}`
  if (path === '') return `Invalid ${part}: ${part === 'body' ? 'expected a JSON object' : first?.message ?? 'failed validation'}`
  const rule = params.allowedValues !== undefined
    ? `must be one of ${params.allowedValues.join(', ')}`
    : params.format !== undefined
      ? `must be a valid ${params.format === 'email' ? 'e-mail address' : params.format}`
      : first?.message ?? 'failed validation'
  return `Invalid ${part} field ${path}: ${rule}`
}

/** Maps any error thrown in the request lifecycle to a status code and description. */
export function toApiError (err: FastifyError | ApiError | Error, request?: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof StorageUnavailableError) return new ApiError(503, messages.storageUnavailable)
  for (const [type, status] of DOMAIN_STATUSES) {
    if (!(err instanceof type)) continue
    let answer = answers.get(err)
    if (answer === undefined) answers.set(err, answer = new ApiError(status, err.message))
    return answer
  }
  const fe = err as FastifyError
  if (fe.validation) return new ApiError(400, validationDescription(fe, request?.routeOptions.config.validationMessages))
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError(415, messages.unsupportedMediaType)
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError(413, messages.bodyTooLarge)
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return new ApiError(400, messages.invalidJson)
    case 'FST_ERR_BAD_URL': return new ApiError(400, messages.badUrl)
    case 'FST_ERR_MAX_PARAM_LENGTH': return new ApiError(414, messages.paramTooLong)
  }
  // SQLite failures (locked, read-only, missing or corrupt file) are the storage's, not the caller's;
  // so is a database already closed by a shutdown (better-sqlite3 throws a TypeError for that).
  if (typeof fe.code === 'string' && fe.code.startsWith('SQLITE_') && !fe.code.startsWith('SQLITE_CONSTRAINT')) return new ApiError(503, messages.storageUnavailable)
  if (err instanceof TypeError && err.message === 'The database connection is not open') return new ApiError(503, messages.storageUnavailable)
  const status = fe.statusCode
  // Other 4xx from Fastify or its parsers (e.g. proto-poisoned JSON) keep their status,
  // with a generic sentence: their own messages may echo input.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (fe instanceof SyntaxError || fe.code?.startsWith('FST_ERR_CTP') === true) return new ApiError(400, messages.invalidJson)
    return new ApiError(status, STATUS_CODES[status] ?? messages.badRequest)
  }
  return new ApiError(500, messages.internal)
}

/** Sends the envelope for an ApiError (plus its headers, e.g. Allow on 405). */
export function sendError (reply: FastifyReply, err: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(err.headers)) reply.header(name, value)
  const body = err instanceof AuthorizeError ? authorizeErrorBody(err.description) : envelope(err.statusCode, err.description)
  return reply.code(err.statusCode).type('application/json; charset=utf-8').send(body)
}

/** Fastify's setErrorHandler: 5xx details go to the log, never to the client. */
export function errorHandler (this: unknown, err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(err, request)
  // An ApiError is an answer we chose (a forced 503, a fault), and the storage watchdog has
  // already reported a missing or read-only file: only unexpected failures are logged as errors.
  if (apiError.statusCode >= 500 && !(err instanceof ApiError) && !(err instanceof StorageUnavailableError)) request.log.error({ err }, 'request failed')
  return sendError(reply, apiError)
}

/** Fastify's setNotFoundHandler: unknown routes answer the envelope too. */
export function notFoundHandler (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(reply, new ApiError(404, messages.routeNotFound(request.method, safePath(request.url))))
}

/** Fastify's frameworkErrors option: bad %-encoding and over-long params, before routing. */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (err, request, reply) => {
  // These answers come before any hook: the headers every answer carries are set here too.
  reply.header('x-request-id', request.id)
  reply.header('x-content-type-options', 'nosniff')
  void sendError(reply, toApiError(err))
}
