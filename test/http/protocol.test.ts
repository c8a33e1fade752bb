// Protocol-level behaviour over a real socket (CONTRACT §1, STACK.md): malformed requests that
// Node rejects before Fastify sees them, over-long URLs and headers, bad URLs, and the docs' own
// request byte for byte. Every non-2xx answer is the envelope, with JSON as its Content-Type.
// One server serves the whole file, so the last subtest also proves none of this crashed it.
import t from 'tap'
import { connect } from 'node:net'
import { CLIENT_1024, DEMO_KEY, failure, listen } from '../helper.js'

const { port, base } = await listen(t)

const JSON_TYPE = 'application/json; charset=utf-8'
const CLIENT_1024_BODY = JSON.stringify({ status: 'SUCCESS', client: CLIENT_1024 })

/** The envelope's exact bytes (key order as in the docs' sample); descriptions are literals. */
function envelopeText (code: number, description: string): string {
  return JSON.stringify(failure(code, description))
}

/** Every response text this file received, checked for leaks at the end. */
const seen: string[] = []

interface RawResponse {
  /** Everything the server sent on this connection. */
  raw: string
  statusLine: string
  status: number
  /** Lower-cased header names; a repeated header keeps its last value. */
  headers: Record<string, string>
  body: string
  /** True when the server ended the connection (we never close first unless timed out). */
  closedByServer: boolean
  /** How many status lines the server sent on this connection. */
  responses: number
}

function parseRaw (raw: string, closedByServer: boolean): RawResponse {
  const headEnd = raw.indexOf('\r\n\r\n')
  const head = headEnd === -1 ? raw : raw.slice(0, headEnd)
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const rest = headEnd === -1 ? '' : raw.slice(headEnd + 4)
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length'])
  const body = length === undefined ? rest : Buffer.from(rest).subarray(0, length).toString()
  return {
    raw,
    statusLine,
    status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN),
    headers,
    body,
    closedByServer,
    responses: raw.match(/(^|\r\n)HTTP\/1\.[01] \d{3} /g)?.length ?? 0,
  }
}

/**
 * Writes `request` on a new TCP connection — one chunk, or each part 50 ms apart so they
 * arrive as separate packets — and collects the answer until the server closes the
 * connection or `waitMs` passes (so a smuggled second response would be seen too).
 */
async function rawRequest (request: string | string[], waitMs = 1500): Promise<RawResponse> {
  return await new Promise<RawResponse>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let settled = false
    const finish = (closedByServer: boolean): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const raw = Buffer.concat(chunks).toString('latin1')
      seen.push(raw)
      resolve(parseRaw(raw, closedByServer))
    }
    const timer = setTimeout(() => { finish(false) }, waitMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', () => { finish(true) })
    socket.on('close', () => { finish(true) })
    socket.on('error', (err) => {
      // The server may close while a large request is still being written (EPIPE/ECONNRESET):
      // what matters is the answer it sent before.
      if (chunks.length > 0) finish(true)
      else if (!settled) { settled = true; clearTimeout(timer); reject(err) }
    })
    const parts = typeof request === 'string' ? [request] : request
    void (async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50))
        if (settled || socket.destroyed) return
        socket.write(part)
      }
    })()
  })
}

async function get (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number, headers: Headers, body: string }> {
  const res = await fetch(base + path, { method, headers })
  const body = await res.text()
  seen.push(`${res.status}\r\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`)
  return { status: res.status, headers: res.headers, body }
}

// A chunked body that ends at once, then a second request hidden in the Content-Length body.
const SMUGGLED = `0\r\n\r\nGET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\n\r\n`

t.test('requests Node rejects before routing answer the envelope and close the connection', async (t) => {
  const malformed: Array<{ name: string, request: string | string[], status: number, reason: string, description: string }> = [
    { name: 'garbage request line', request: 'GARBAGE\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'unknown method token', request: 'FROB /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'invalid method token', request: 'G@T /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'lower-case method', request: 'get /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'unsupported HTTP version', request: 'GET /v1/clients/1024 HTTP/9.9\r\nHost: localhost\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'header name with a space', request: `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nBad Header: x\r\n\r\n`, status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'header line without a colon', request: 'GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'NUL in a header value', request: 'GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nX-A: a\0b\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'obsolete header folding', request: 'GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n b\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    {
      name: 'Content-Length with Transfer-Encoding (smuggling), smuggled request not answered',
      request: 'POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${SMUGGLED.length}\r\nTransfer-Encoding: chunked\r\n\r\n${SMUGGLED}`,
      status: 400,
      reason: 'Bad Request',
      description: 'Bad request: malformed HTTP request',
    },
    { name: 'Transfer-Encoding not ending in chunked', request: 'POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, identity\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'non-numeric Content-Length', request: 'POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'negative Content-Length', request: 'POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: 'two different Content-Lengths', request: 'POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', status: 400, reason: 'Bad Request', description: 'Bad request: malformed HTTP request' },
    { name: '20 KB header value', request: `GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431, reason: 'Request Header Fields Too Large', description: 'Request header fields too large' },
    { name: '10 KB URL plus a 10 KB header (the line ends within the limit)', request: `GET /v1/clients/${'1'.repeat(10_000)} HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(10_000)}\r\n\r\n`, status: 431, reason: 'Request Header Fields Too Large', description: 'Request header fields too large' },
    // llhttp's rawPacket is only the packet being parsed when the limit is hit: here one that
    // holds neither the request line nor any line end, yet the request line was short.
    {
      name: '20 KB header value still arriving in a later packet',
      request: ['GET /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\nCookie: ', 'a'.repeat(20_000)],
      status: 431,
      reason: 'Request Header Fields Too Large',
      description: 'Request header fields too large',
    },
    // The ordinary case: a client writes the whole request at once, so the request line *does*
    // end inside the packet llhttp rejects — but far past the header-size limit.
    { name: '20 KB URL, whole request in one write', request: `GET /v1/clients/${'1'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\n\r\n`, status: 414, reason: 'URI Too Long', description: 'URI too long' },
    // 200 KB: the packet llhttp rejects (64 KB) holds no line end at all.
    { name: '200 KB URL', request: `GET /v1/clients/${'1'.repeat(200_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, status: 414, reason: 'URI Too Long', description: 'URI too long' },
  ]
  for (const c of malformed) {
    await t.test(c.name, async (t) => {
      const res = await rawRequest(c.request)
      t.equal(res.statusLine, `HTTP/1.1 ${c.status} ${c.reason}`, 'status line')
      t.equal(res.headers['content-type'], JSON_TYPE, 'JSON content type')
      t.equal(res.body, envelopeText(c.status, c.description), 'envelope body')
      t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)), 'Content-Length matches the body')
      t.equal(res.headers.connection, 'close', 'announces Connection: close')
      t.ok(res.closedByServer, 'the server closes the connection')
      t.equal(res.responses, 1, 'exactly one response on the connection')
    })
  }
})

// CONNECT is a valid method token, so llhttp accepts it and Node hands it to the server's
// 'connect' event; with no listener Node destroys the socket without a word.
t.test('CONNECT is answered with a 4xx envelope, not a silent close', async (t) => {
  const res = await rawRequest('CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n')
  t.match(res.statusLine, /^HTTP\/1\.1 4\d\d /, 'a 4xx status line')
  t.equal(res.headers['content-type'], JSON_TYPE, 'JSON content type')
  t.match(JSON.parse(res.body === '' ? 'null' : res.body), { status: 'FAILURE', error: { error_code: String(res.status), description: String } }, 'envelope body')
})

t.test('URL problems Fastify finds before routing answer the envelope', async (t) => {
  const key = { api_key: DEMO_KEY }
  const cases: Array<{ name: string, path: string, status: number, description: string }> = [
    { name: 'path parameter of 250 digits', path: `/v1/clients/${'1'.repeat(250)}`, status: 414, description: 'URI too long: a path parameter exceeds 200 characters' },
    { name: 'path parameter of 201 characters', path: `/v1/clients/${'9'.repeat(201)}`, status: 414, description: 'URI too long: a path parameter exceeds 200 characters' },
    { name: 'invalid percent-encoding', path: '/v1/clients/%zz', status: 400, description: 'Malformed URL: invalid percent-encoding in the path' },
    { name: 'truncated percent-encoding', path: '/v1/clients/1024%', status: 400, description: 'Malformed URL: invalid percent-encoding in the path' },
  ]
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const res = await get(c.path, key)
      t.equal(res.status, c.status)
      t.equal(res.headers.get('content-type'), JSON_TYPE)
      t.equal(res.body, envelopeText(c.status, c.description))
    })
  }
})

t.test('well-formed requests over a raw socket', async (t) => {
  await t.test("the docs' curl request: api_key and Content-Type: application/json, no body", async (t) => {
    const res = await rawRequest(
      'GET /v1/clients/1024 HTTP/1.1\r\n' +
      `Host: 127.0.0.1:${port}\r\n` +
      'User-Agent: curl/8.5.0\r\n' +
      'Accept: */*\r\n' +
      `api_key: ${DEMO_KEY}\r\n` +
      'Content-Type: application/json\r\n' +
      'Connection: close\r\n\r\n'
    )
    t.equal(res.statusLine, 'HTTP/1.1 200 OK')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, CLIENT_1024_BODY)
    t.same(JSON.parse(res.body), { status: 'SUCCESS', client: CLIENT_1024 })
  })

  await t.test('exactly the headers the docs list (no Host, Accept or User-Agent)', async (t) => {
    const res = await rawRequest(`GET /v1/clients/1024 HTTP/1.1\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`)
    t.equal(res.statusLine, 'HTTP/1.1 200 OK')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, CLIENT_1024_BODY)
  })

  await t.test('HTTP/1.1 without a Host header is answered (requireHostHeader: false)', async (t) => {
    const res = await rawRequest(`GET /v1/clients/1024 HTTP/1.1\r\napi_key: ${DEMO_KEY}\r\nConnection: close\r\n\r\n`)
    t.equal(res.statusLine, 'HTTP/1.1 200 OK')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, CLIENT_1024_BODY)
  })

  await t.test('HTTP/1.0 without a Host header', async (t) => {
    const res = await rawRequest(`GET /v1/clients/1024 HTTP/1.0\r\napi_key: ${DEMO_KEY}\r\n\r\n`)
    t.equal(res.statusLine, 'HTTP/1.1 200 OK')
    t.equal(res.body, CLIENT_1024_BODY)
    t.ok(res.closedByServer, 'HTTP/1.0 without keep-alive: the server closes')
  })

  await t.test('HTTP/1.1 without Host, unknown route: the envelope, not an empty 400', async (t) => {
    const res = await rawRequest('GET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n')
    t.equal(res.statusLine, 'HTTP/1.1 404 Not Found')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, envelopeText(404, 'Route GET /nowhere not found'))
  })
})

t.test('Content-Type: application/json with no body on other methods: routing answers first', async (t) => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    await t.test(`${method} to an unknown route → 404 (fetch)`, async (t) => {
      const res = await get('/v1/nowhere', { api_key: DEMO_KEY, 'content-type': 'application/json' }, method)
      t.equal(res.status, 404)
      t.equal(res.headers.get('content-type'), JSON_TYPE)
      t.equal(res.body, envelopeText(404, `Route ${method} /v1/nowhere not found`))
    })
    await t.test(`${method} to an unknown route, no Content-Length at all → 404 (raw)`, async (t) => {
      const res = await rawRequest(`${method} /v1/nowhere HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`)
      t.equal(res.statusLine, 'HTTP/1.1 404 Not Found')
      t.equal(res.headers['content-type'], JSON_TYPE)
      t.equal(res.body, envelopeText(404, `Route ${method} /v1/nowhere not found`))
    })
  }
  const allow = 'GET, HEAD, PUT, DELETE'
  for (const method of ['POST', 'PATCH'] as const) {
    await t.test(`${method} /v1/clients/1024 → 405 with Allow (fetch)`, async (t) => {
      const res = await get('/v1/clients/1024', { api_key: DEMO_KEY, 'content-type': 'application/json' }, method)
      t.equal(res.status, 405)
      t.equal(res.headers.get('allow'), allow)
      t.equal(res.headers.get('content-type'), JSON_TYPE)
      t.equal(res.body, envelopeText(405, `Method ${method} not allowed; this route allows ${allow}`))
    })
    await t.test(`${method} /v1/clients/1024, Content-Length: 0 → 405 with Allow (raw)`, async (t) => {
      const res = await rawRequest(`${method} /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
      t.equal(res.statusLine, 'HTTP/1.1 405 Method Not Allowed')
      t.equal(res.headers.allow, allow)
      t.equal(res.headers['content-type'], JSON_TYPE)
      t.equal(res.body, envelopeText(405, `Method ${method} not allowed; this route allows ${allow}`))
    })
  }
  await t.test('DELETE with Content-Type: application/json and no body (Fatora\'s samples) → 204 (fetch and raw)', async (t) => {
    const res = await get('/v1/clients/7', { api_key: DEMO_KEY, 'content-type': 'application/json' }, 'DELETE')
    t.equal(res.status, 204)
    t.equal(res.body, '')
    const raw = await rawRequest(`DELETE /v1/clients/8 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`)
    t.equal(raw.statusLine, 'HTTP/1.1 204 No Content')
  })
  await t.test('PUT with Content-Type: application/json and no body → 400 naming the body', async (t) => {
    const res = await get('/v1/clients/1024', { api_key: DEMO_KEY, 'content-type': 'application/json' }, 'PUT')
    t.equal(res.status, 400)
    t.equal(res.body, envelopeText(400, 'Invalid body: expected a JSON object'))
  })
})

// The pipeline's order (app.ts): route match (404/405) before anything about the body.
t.test('an unparsable JSON body does not hide an unknown route or a wrong method', async (t) => {
  await t.test('POST /v1/nowhere with body "{" → 404', async (t) => {
    const res = await rawRequest(`POST /v1/nowhere HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n{`)
    t.equal(res.statusLine, 'HTTP/1.1 404 Not Found')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, envelopeText(404, 'Route POST /v1/nowhere not found'))
  })
  await t.test('POST /v1/clients/1024 with body "{" → 405', async (t) => {
    const res = await rawRequest(`POST /v1/clients/1024 HTTP/1.1\r\nHost: localhost\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n{`)
    t.equal(res.statusLine, 'HTTP/1.1 405 Method Not Allowed')
    t.equal(res.headers.allow, 'GET, HEAD, PUT, DELETE')
    t.equal(res.body, envelopeText(405, 'Method POST not allowed; this route allows GET, HEAD, PUT, DELETE'))
  })
})

t.test('no response leaked a stack trace, SQLite detail, file path or the api key', async (t) => {
  t.ok(seen.length > 40, `checked ${seen.length} responses`)
  const leaks = (pattern: RegExp | string): string[] => seen
    .filter((text) => typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text))
    .map((text) => text.split('\r\n', 1)[0] ?? '')
  t.same(leaks(/^\s+at\s|\(.+:\d+:\d+\)/m), [], 'no stack trace')
  t.same(leaks(/sqlite/i), [], 'no SQLite detail')
  t.same(leaks(/\/work\/|\/src\/|node_modules|\.[cm]?[jt]s\b/), [], 'no file path')
  t.same(leaks(DEMO_KEY), [], 'no api key')
})

t.test('the server still answers normally after all of the above', async (t) => {
  const res = await get('/v1/clients/1024', { api_key: DEMO_KEY })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), JSON_TYPE)
  t.equal(res.body, CLIENT_1024_BODY)
})
