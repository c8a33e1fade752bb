// The wire side of the fuzzer: the request model (FuzzRequest, its body framing), the exact bytes
// written for it, report renderings, how Node and the router read its method and path, and one
// exchange on a fresh TCP connection with a small response parser (sendRaw).
//
// Requests are kept as "byte strings" (one char per byte, latin1) so a counterexample is the exact
// bytes on the wire, duplicates, odd casing, bad encodings and NUL bytes included.
import { connect } from 'node:net'

// ---------------------------------------------------------------------------------------------
// The request model.

/** How the body is delimited on the wire. Never a Content-Length longer than the body (that is a hang by design). */
export type Framing =
  | 'none' // no framing header, no body bytes sent
  | 'length' // Content-Length: <body bytes>
  | 'length-dup' // the same Content-Length twice
  | 'length-conflict' // two different Content-Lengths (the second one shorter)
  | 'length-and-chunked' // Content-Length plus Transfer-Encoding: chunked (smuggling shape)
  | 'short' // Content-Length shorter than the body: the rest arrives as a pipelined "request"
  | 'chunked' // Transfer-Encoding: chunked, well formed
  | 'bad-chunk' // Transfer-Encoding: chunked with a chunk size that is not hex

export interface FuzzRequest {
  /** Which family of routes the generator aimed at (for statistics only). */
  aim: string
  /** Byte strings (latin1: one char per byte). */
  method: string
  target: string
  version: string
  /** Line ending: CRLF, or a bare LF (which Node refuses). */
  eol: string
  headers: Array<[string, string]>
  body: string
  framing: Framing
  /** Chunk size for the chunked framings. */
  chunk: number
}

/** Bytes of a JS string in UTF-8, as a byte string. */
export function utf8 (text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1')
}

function chunked (body: string, size: number): string {
  let out = ''
  for (let i = 0; i < body.length; i += size) {
    const part = body.slice(i, i + size)
    out += `${part.length.toString(16)}\r\n${part}\r\n`
  }
  return out + '0\r\n\r\n'
}

/** The exact bytes written on the socket. */
export function toBytes (r: FuzzRequest): Buffer {
  const headers = r.headers.slice()
  let body = r.body
  const n = body.length
  switch (r.framing) {
    case 'none': body = ''; break
    case 'length': headers.push(['Content-Length', String(n)]); break
    case 'length-dup': headers.push(['Content-Length', String(n)], ['Content-Length', String(n)]); break
    case 'length-conflict': headers.push(['Content-Length', String(n)], ['Content-Length', String(Math.max(0, n - 1))]); break
    case 'length-and-chunked':
      body = chunked(body, r.chunk)
      headers.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked'])
      break
    case 'short': headers.push(['Content-Length', String(Math.floor(n / 2))]); break
    case 'chunked': headers.push(['Transfer-Encoding', 'chunked']); body = chunked(body, r.chunk); break
    case 'bad-chunk': headers.push(['Transfer-Encoding', 'chunked']); body = `zz\r\n${body}\r\n0\r\n\r\n`; break
  }
  const versionPart = r.version === '' ? '' : ` ${r.version}`
  const head = `${r.method} ${r.target}${versionPart}${r.eol}` + headers.map(([k, v]) => `${k}: ${v}${r.eol}`).join('') + r.eol
  return Buffer.from(head + body, 'latin1')
}

/** A byte string as a JS string literal, long runs of one character shortened to `"x" × N`. */
export function describeBytes (bytes: string, max = 3000): string {
  const parts: string[] = []
  let i = 0
  let literal = ''
  while (i < bytes.length) {
    let j = i + 1
    while (j < bytes.length && bytes[j] === bytes[i]) j++
    if (j - i >= 32) {
      if (literal !== '') parts.push(JSON.stringify(literal))
      literal = ''
      parts.push(`${JSON.stringify(bytes[i])}×${j - i}`)
    } else literal += bytes.slice(i, j)
    i = j
  }
  if (literal !== '') parts.push(JSON.stringify(literal))
  const text = parts.join(' + ')
  return text.length > max ? `${text.slice(0, max)}… (${bytes.length} bytes in all)` : text
}

/** The request as it goes on the wire, for reports: a reproducible byte-string literal. */
export function describeRequest (r: FuzzRequest): string {
  return `[${r.aim}, framing ${r.framing}] ${describeBytes(toBytes(r).toString('latin1'))}`
}

// ---------------------------------------------------------------------------------------------
// Small helpers on byte strings and paths.

const UNRESERVED = /[A-Za-z0-9\-._~]/

/** Percent-encodes every byte outside the unreserved set (never throws, unlike encodeURIComponent on lone surrogates). */
export function pctEncode (text: string): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Percent-decodes what decodes; a bad escape stays as it is (a byte string in, a JS string out). */
export function looseDecode (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (m, hex: string) => {
      const byte = parseInt(hex, 16)
      return byte < 0x80 ? String.fromCharCode(byte) : m
    })
  }
}

/**
 * The path of a request-target as routing sees it, decoded as well as it decodes: the origin of
 * an absolute-form target dropped (Fastify routes http://host/path as /path), cut at ? and #.
 */
export function decodedPath (target: string): string {
  const origin = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target)
  const rest = origin === null ? target : target.slice(origin[0].length)
  const end = rest.search(/[?#]/)
  // http://host with no path is the root, as routing sees it.
  const raw = end === -1 ? rest : rest.slice(0, end)
  if (origin !== null && raw === '') return '/'
  return looseDecode(Buffer.from(raw, 'latin1').toString('utf8'))
}

/** The request-target as Node parses it: llhttp skips extra spaces before it and ends it at a space. */
export function targetOf (r: Pick<FuzzRequest, 'target'>): string {
  return r.target.replace(/^ +/, '').split(' ', 1)[0] ?? ''
}

/** The method as Node parses it (llhttp skips extra spaces before the target). */
export function methodOf (r: Pick<FuzzRequest, 'method'>): string {
  return r.method.replace(/ +$/, '')
}

export function headerValues (r: Pick<FuzzRequest, 'headers'>, name: string): string[] {
  return r.headers.filter(([k]) => k.trim().toLowerCase() === name).map(([, v]) => v)
}

/** Maximum nesting of [ and { in a body (ignoring strings roughly: good enough for the generator's bodies). */
export function nestingDepth (body: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) { depth++; if (depth > max) max = depth } else if (c === 93 || c === 125) depth--
  }
  return max
}

// ---------------------------------------------------------------------------------------------
// The wire: write the bytes, read one response.

export interface RawResponse {
  statusLine: string
  status: number
  /** Header lines as sent. */
  headerLines: string[]
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>
  /** The body bytes, de-chunked, as a byte string. */
  body: string
  /** Interim 1xx responses received before this one. */
  interim: string[]
  /** How the body was delimited. */
  delimited: 'length' | 'chunked' | 'close' | 'none'
}

export class NoAnswerError extends Error {
  override name = 'NoAnswerError'
}

export const ANSWER_TIMEOUT_MS = 5000

interface Head { statusLine: string, status: number, headerLines: string[], headers: Record<string, string> }

function parseHead (text: string): Head {
  const [statusLine = '', ...headerLines] = text.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  return { statusLine, status: Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? NaN), headerLines, headers }
}

/** Decodes a chunked body: the body and where it ended, or undefined while incomplete; 'bad' when malformed. */
function dechunk (data: Buffer, start: number): { body: string, end: number } | undefined | 'bad' {
  let at = start
  let body = ''
  for (;;) {
    const eol = data.indexOf('\r\n', at)
    if (eol === -1) return undefined
    const size = parseInt(data.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16)
    if (!Number.isInteger(size) || size < 0) return 'bad'
    if (size === 0) {
      const end = data.indexOf('\r\n\r\n', eol)
      return end === -1 ? undefined : { body, end: end + 4 }
    }
    if (data.length < eol + 2 + size + 2) return undefined
    body += data.subarray(eol + 2, eol + 2 + size).toString('latin1')
    at = eol + 2 + size + 2
  }
}

/**
 * Writes the request on a new connection to 127.0.0.1:`port` and reads the first final response:
 * its body by Content-Length, chunked encoding or connection close (none for HEAD, 204 and 304 —
 * a HEAD answered "Connection: close" is read to the close, since Node's parser errors send a
 * body whatever the method). Rejects with NoAnswerError when no complete answer arrives within
 * `timeoutMs` or the connection ends first.
 */
export async function sendRaw (port: number, request: FuzzRequest | Buffer, timeoutMs = ANSWER_TIMEOUT_MS): Promise<RawResponse> {
  const bytes = Buffer.isBuffer(request) ? request : toBytes(request)
  const isHead = !Buffer.isBuffer(request) && methodOf(request) === 'HEAD'
  return await new Promise<RawResponse>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    let settled = false
    const interim: string[] = []
    let head: (Head & { bodyStart: number, mode: RawResponse['delimited'], length: number }) | undefined
    const finish = (outcome: RawResponse | NoAnswerError): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (outcome instanceof Error) reject(outcome)
      else resolve(outcome)
    }
    const fail = (why: string): void => {
      const got = data.length === 0 ? 'nothing' : `${data.length} bytes: ${describeBytes(data.toString('latin1'), 600)}`
      finish(new NoAnswerError(`${why} (received ${got})`))
    }
    const response = (body: string, delimited: RawResponse['delimited']): RawResponse => {
      const h = head as Head
      return { statusLine: h.statusLine, status: h.status, headerLines: h.headerLines, headers: h.headers, body, interim, delimited }
    }
    const progress = (ended: boolean): void => {
      for (;;) {
        if (head === undefined) {
          const end = data.indexOf('\r\n\r\n')
          if (end === -1) {
            if (ended) fail('the connection ended inside the response head')
            return
          }
          const parsed = parseHead(data.subarray(0, end).toString('latin1'))
          if (parsed.status >= 100 && parsed.status < 200 && parsed.status !== 101) {
            interim.push(parsed.statusLine)
            data = data.subarray(end + 4)
            continue
          }
          const h = parsed.headers
          const closes = /\bclose\b/i.test(h.connection ?? '')
          let mode: RawResponse['delimited']
          if ((isHead && !closes) || parsed.status === 204 || parsed.status === 304 || parsed.status === 101) mode = 'none'
          else if (isHead) mode = 'close'
          else if (/chunked/i.test(h['transfer-encoding'] ?? '')) mode = 'chunked'
          else if (h['content-length'] !== undefined) mode = 'length'
          else mode = 'close'
          head = { ...parsed, bodyStart: end + 4, mode, length: Number(h['content-length']) }
        }
        const rest = data.subarray(head.bodyStart)
        switch (head.mode) {
          case 'none': return finish(response('', 'none'))
          case 'length':
            if (!Number.isSafeInteger(head.length) || head.length < 0) return finish(response(rest.toString('latin1'), 'length'))
            if (rest.length >= head.length) return finish(response(rest.subarray(0, head.length).toString('latin1'), 'length'))
            if (ended) fail(`the connection ended after ${rest.length} of ${head.length} body bytes`)
            return
          case 'chunked': {
            const decoded = dechunk(data, head.bodyStart)
            if (decoded === 'bad') return fail('malformed chunked response body')
            if (decoded !== undefined) return finish(response(decoded.body, 'chunked'))
            if (ended) fail('the connection ended inside a chunked body')
            return
          }
          case 'close':
            // A HEAD answered by Fastify has no body: bytes after it are a later response (Node
            // answering pipelined leftovers), not this one's body.
            if (isHead && rest.subarray(0, 7).toString('latin1') === 'HTTP/1.') return finish(response('', 'none'))
            if (ended) finish(response(rest.toString('latin1'), 'close'))
            return
        }
      }
    }
    const timer = setTimeout(() => { fail(`no complete answer within ${timeoutMs} ms`) }, timeoutMs)
    socket.on('data', (chunk: Buffer) => { data = Buffer.concat([data, chunk]); progress(false) })
    socket.on('end', () => { progress(true) })
    socket.on('close', () => { progress(true) })
    // EPIPE/ECONNRESET while a large request is still being written: what counts is the answer
    // received before; without one it is "no answer".
    socket.on('error', (err: NodeJS.ErrnoException) => { if (!settled) { progress(true); fail(`socket error ${err.code ?? err.message}`) } })
    socket.write(bytes)
  })
}

/** Renders a response for a report: status line, headers, body (shortened). */
export function describeResponse (res: RawResponse): string {
  const interim = res.interim.map((l) => `${l} (interim)\n`).join('')
  return `${interim}${res.statusLine}\n${res.headerLines.join('\n')}\n\n${describeBytes(res.body, 1500)}`
}
