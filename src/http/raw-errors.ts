// Answers written straight to the socket, where Node rejects a request before Fastify sees it
// (garbage request line, header overflow, smuggling attempts, CONNECT, an unsupported Expect).
// Same envelope as errors.ts (CONTRACT §1), as raw HTTP/1.1.
import { maxHeaderSize, STATUS_CODES, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { envelope } from './errors.js'
import { httpMessages as messages } from './messages.js'

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
