// Slow and oversized clients: a client that trickles its headers (slowloris)
// or never finishes its request gets 408 and loses the socket; a body over the limit gets 413;
// the limits are the app's options (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, BODY_LIMIT).
import t from 'tap'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { build, DEMO_KEY, failure } from '../helper.js'

const app = await build(t, { HEADERS_TIMEOUT_MS: 1000, REQUEST_TIMEOUT_MS: 2000, BODY_LIMIT: 2048 })
await app.listen({ port: 0, host: '127.0.0.1' })
const port = (app.server.address() as AddressInfo).port

/** Opens a socket, runs `feed` (which writes slowly), resolves with all the server sent and when it closed. */
async function slowClient (feed: (write: (s: string) => boolean) => Promise<void>): Promise<{ text: string, closedAfterMs: number }> {
  return await new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = connect(port, '127.0.0.1')
    let text = ''
    let closed = false
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => { text += d })
    socket.on('error', () => {})
    socket.on('close', () => { closed = true; resolve({ text, closedAfterMs: performance.now() - started }) })
    socket.on('connect', () => { feed((s) => !closed && socket.write(s)).catch(reject) })
    setTimeout(() => { if (!closed) { socket.destroy(); reject(new Error('the server kept the socket open for 15 s')) } }, 15_000)
  })
}
const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
const bodyOf = (text: string): unknown => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))

t.test('slowloris: headers trickled one line a second never complete → 408 envelope, socket closed', async (t) => {
  const { text, closedAfterMs } = await slowClient(async (write) => {
    write('GET /v1/clients/1024 HTTP/1.1\r\nHost: x\r\n')
    for (let i = 0; i < 10 && write(`X-Slow-${i}: ${i}\r\n`); i++) await sleep(700)
  })
  t.match(text, /^HTTP\/1\.1 408 /)
  t.same(bodyOf(text), failure(408, 'Request timeout'))
  t.ok(closedAfterMs < 6000, `closed after ${Math.round(closedAfterMs)} ms (headers timeout 1 s, checked every second)`)
})

t.test('a body that never finishes → 408 envelope after the request timeout, socket closed', async (t) => {
  const { text, closedAfterMs } = await slowClient(async (write) => {
    write(`POST /v1/clients HTTP/1.1\r\nHost: x\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`)
    for (let i = 0; i < 12 && write(' '); i++) await sleep(500)
  })
  t.match(text, /^HTTP\/1\.1 408 /)
  t.ok(closedAfterMs < 7000, `closed after ${Math.round(closedAfterMs)} ms`)
})

t.test('a body over BODY_LIMIT → 413 envelope (declared or streamed)', async (t) => {
  const big = JSON.stringify({ name: 'Big', notes: 'x'.repeat(3000) })
  const res = await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, payload: big })
  t.same({ status: res.statusCode, json: res.json() }, { status: 413, json: failure(413, 'Request body too large') })
  const admin = await app.inject({ method: 'POST', url: '/__admin/clients', headers: { 'content-type': 'application/json' }, payload: big })
  t.equal(admin.statusCode, 413)
  const fits = await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, payload: { name: 'Small Enough' } })
  t.equal(fits.statusCode, 201)
})

t.test('the server still answers normally afterwards', async (t) => {
  const res = await fetch(`http://127.0.0.1:${port}/v1/clients/1024`, { headers: { api_key: DEMO_KEY } })
  t.equal(res.status, 200)
  t.equal(res.headers.get('x-content-type-options'), 'nosniff')
})

/** One raw request on a new connection; everything the server sent until it closed. */
async function raw (request: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => { text += d })
    socket.on('error', reject)
    socket.on('close', () => { resolve(text) })
    socket.write(request)
    setTimeout(() => { socket.end() }, 1500)
  })
}

t.test('requests Node answers by itself get the envelope too: Expect other than 100-continue, CONNECT', async (t) => {
  const expect = await raw('GET /v1/clients/1024 HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n')
  t.match(expect, /^HTTP\/1\.1 417 /)
  t.match(expect, /x-content-type-options: nosniff/i)
  t.same(bodyOf(expect), failure(417, 'Expectation failed: only Expect: 100-continue is supported'))
  const connectAnswer = await raw('CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n')
  t.match(connectAnswer, /^HTTP\/1\.1 405 /)
  t.match(connectAnswer, /\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/, 'RFC 9110: a 405 names the allowed methods')
  t.same(bodyOf(connectAnswer), failure(405, 'Method CONNECT not allowed'))
})

t.test('a body nested thousands of levels deep cannot break the journal', async (t) => {
  const app = await build(t) // the default 1 MB body limit
  const deep = '['.repeat(5000) + ']'.repeat(5000)
  const res = await app.inject({ method: 'PUT', url: '/v1/clients/999999', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, payload: deep })
  t.equal(res.statusCode, 400)
  const journal = await app.inject({ url: '/__admin/requests?method=PUT' })
  t.equal(journal.statusCode, 200)
  t.match(journal.json().requests[0], { status: 400, body_truncated: true })
})
