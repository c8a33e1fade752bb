// The one place that writes error bodies: ApiError, the envelope, and every mapping of
// Fastify's, Node's and our own errors to it (CONTRACT §1). No other file builds an error body.
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { maxHeaderSize, STATUS_CODES, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

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

export const MAX_CLIENT_ID = Number.MAX_SAFE_INTEGER

// Every description the API can send, so wording is reviewed in one place.
export const messages = {
  apiKeyMissing: 'Missing api_key header',
  apiKeyEmpty: 'Empty api_key header',
  apiKeyInvalid: "Merchant API key isn't valid",
  apiKeyInactive: 'Merchant API key is inactive',
  clientNotFound: 'Client not found',
  pageInvalid: 'Invalid query field page: must be an integer from 1 to 999999999',
  pageSizeInvalid: 'Invalid query field page_size: must be an integer from 1 to 100',
  keywordInvalid: 'Invalid query field keyword: must not contain NUL characters',
  duplicateEmail: 'A client with this email already exists',
  duplicateNamePhone: 'A client with this name and phone already exists',
  noteMismatch: 'Invalid body: note and notes differ; send one of them',
  clientIdInvalid: `Invalid client_id: must be a positive integer from 1 to ${MAX_CLIENT_ID}`,
  unsupportedMediaType: 'Unsupported Content-Type: send application/json or no Content-Type header',
  notAcceptable: 'Not acceptable: the Accept header must allow application/json',
  badUrl: 'Malformed URL: invalid percent-encoding in the path',
  paramTooLong: 'URI too long: a path parameter exceeds 100 characters',
  uriTooLong: 'URI too long',
  headersTooLarge: 'Request header fields too large',
  badRequest: 'Bad request: malformed HTTP request',
  requestTimeout: 'Request timeout',
  internal: 'Internal server error',
  storageUnavailable: 'Storage unavailable',
  routeNotFound: (method: string, path: string) => `Route ${method} ${path} not found`,
  methodNotAllowed: (method: string, allow: string) => `Method ${method} not allowed; this route allows ${allow}`,
  connectNotAllowed: 'Method CONNECT not allowed',
  expectationFailed: 'Expectation failed: only Expect: 100-continue is supported',
  invalidJson: 'Invalid JSON body',
  adminTokenMissing: 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>',
  adminTokenInvalid: 'Invalid admin token',
  apiKeyNotFound: 'API key not found',
  fixturesUnavailable: 'Fixtures could not be loaded; see the server log',
  bodyTooLarge: 'Request body too large',
  // Bearer tokens (issue 5): Authorization: Bearer <JWT from /v1/Authorization/Authorize>.
  bearerUnsupportedScheme: 'Unsupported Authorization scheme: use Bearer',
  bearerEmpty: 'Empty bearer token',
  bearerInvalid: 'Invalid bearer token',
  bearerExpired: 'Bearer token expired',
  authorizationHeaderMalformed: "Malformed Authorization header: send 'Authorization: Bearer <token>'",
  // Authorize alone answers in Fatora's own shape (CONTRACT §4): {"status":"ERROR","error":…}.
  authorizeInvalidKey: 'Invalid API Key',
  authorizeInactiveKey: 'Inactive API Key',
  // Test controls (issue 6, CONTRACT §5): Prefer, faults, the journal.
  preferCodeInvalid: 'Invalid Prefer header: code must be a 3-digit HTTP status such as 404',
  preferDelayInvalid: 'Invalid Prefer header: delay must be an integer number of milliseconds from 0 to 60000',
  preferCodeNotDocumented: (code: number, method: string, route: string, allowed: readonly number[]) =>
    `Invalid Prefer header: code=${code} is not documented for ${method} ${route}; allowed: ${allowed.join(', ')}`,
  /** A forced status the route does not document (a fault's 502, 429…): the standard reason phrase. */
  forcedStatus: (code: number) => STATUS_CODES[code] ?? `HTTP ${code}`,
  faultNotFound: 'Fault not found',
  faultNeedsEffect: 'Invalid body: a fault needs status, delay_ms, jitter_ms or connection',
  faultResetWithStatus: 'Invalid body: connection reset sends no response, so it takes no status',
  faultPathOutsideV1: 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/',
} as const

const MAX_ECHO = 120

// Never echo a query string (it may carry secrets) nor an unbounded path.
function safePath (url: string): string {
  const path = url.split('?', 1)[0] ?? ''
  return path.length > MAX_ECHO ? path.slice(0, MAX_ECHO) + '…' : path
}

/** The description for a failed schema validation: names the field, never echoes its value. */
function validationDescription (err: FastifyError): string {
  const first = err.validation?.[0]
  const params = (first?.params ?? {}) as { missingProperty?: string, additionalProperty?: string, allowedValues?: unknown[], format?: string }
  const path = first?.instancePath.split('/').filter(Boolean).join('.') ?? ''
  const where = err.validationContext ?? 'request'
  if (where === 'params' && (path === 'client_id' || path === '')) return messages.clientIdInvalid
  if (where === 'querystring' && path === 'page') return messages.pageInvalid
  if (where === 'querystring' && path === 'page_size') return messages.pageSizeInvalid
  const part = where === 'body' ? 'body' : where === 'querystring' ? 'query' : where
  const prefix = path === '' ? '' : `${path}.`
  if (params.missingProperty !== undefined) return `Invalid ${part}: ${prefix}${params.missingProperty} is required`
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
export function toApiError (err: FastifyError | ApiError | Error): ApiError {
  if (err instanceof ApiError) return err
  // The seeding core's StateError (seed/seed.ts, not imported here: it loads faker) carries its status.
  if (err.name === 'StateError') return new ApiError((err as Error & { status: number }).status, err.message)
  const fe = err as FastifyError
  if (fe.validation) return new ApiError(400, validationDescription(fe))
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
  const apiError = toApiError(err)
  // An ApiError is an answer we chose (a forced 503, a fault), and the storage watchdog has
  // already reported a missing or read-only file: only unexpected failures are logged as errors.
  if (apiError.statusCode >= 500 && !(err instanceof ApiError) && err.name !== 'StorageUnavailableError') request.log.error({ err }, 'request failed')
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

/**
 * Writes a complete HTTP/1.1 response with the envelope. Used where Node rejects a request
 * before Fastify sees it (garbage request line, header overflow, smuggling attempts).
 */
export function rawErrorResponse (statusCode: number, description: string, headers: Readonly<Record<string, string>> = {}): string {
  const body = JSON.stringify(envelope(statusCode, description))
  return `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    'X-Content-Type-Options: nosniff\r\n' +
    Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('') +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' + body
}

/** Answers a request Node handles outside Fastify (an unsupported Expect) with the envelope. */
export function writeRawError (response: ServerResponse, statusCode: number, description: string): void {
  const body = JSON.stringify(envelope(statusCode, description))
  response.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    connection: 'close',
  })
  response.end(body)
}

// A header line whose name is "Authorization" followed by a space or tab before the colon.
const SPACED_AUTHORIZATION = /(?:^|\n)authorization[ \t][^\r\n:]*:/i

/** True when the packet's header section has an "Authorization …:" line (e.g. "Authorization Bearer:"). */
function hasSpacedAuthorizationName (raw: Buffer): boolean {
  const end = raw.indexOf('\r\n\r\n')
  return SPACED_AUTHORIZATION.test(raw.subarray(0, end === -1 ? raw.length : end).toString('latin1'))
}

/** Fastify's clientErrorHandler option: Node's parser errors get the envelope, then the socket closes. */
export function clientErrorHandler (err: Error & { code?: string, rawPacket?: unknown }, socket: Socket): void {
  if (!socket.writable) { socket.destroy(); return }
  let status = 400
  let description: string = messages.badRequest
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // llhttp reports an over-long request line as a header overflow too, and rawPacket is only
    // the packet being parsed: it is the request line's fault (414) when that packet starts the
    // request and its first line runs past the limit; otherwise a header's (431). CONTRACT §1.
    const raw = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined
    const startsRequest = raw !== undefined && /^[A-Z]+ [^ ]/.test(raw.subarray(0, 32).toString('latin1'))
    const eol = raw?.indexOf('\n') ?? -1
    const lineTooLong = startsRequest && (eol === -1 || eol >= maxHeaderSize)
    status = lineTooLong ? 414 : 431
    description = lineTooLong ? messages.uriTooLong : messages.headersTooLarge
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408
    description = messages.requestTimeout
  } else if (err.code === 'HPE_INVALID_HEADER_TOKEN' && Buffer.isBuffer(err.rawPacket) && hasSpacedAuthorizationName(err.rawPacket)) {
    // Some of Fatora's curl samples send "Authorization Bearer: <token>": a header name with a
    // space, which no HTTP server accepts. Say which header is wrong and how to write it.
    description = messages.authorizationHeaderMalformed
  }
  socket.end(rawErrorResponse(status, description))
}
