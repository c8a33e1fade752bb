// Graceful shutdown under load, on the real server in a child process (the built bundle, as
// server-start.test.ts runs it, see test/support/child.ts): SIGTERM with ~100 requests in flight on
// kept-alive connections, a second signal, and SIGTERM during a large /__admin/seed (whole
// batches only, an intact database). Times are printed as comments.
import t from 'tap'
import Database from 'better-sqlite3'
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CLIENT_1024, DEMO_KEY } from './helper.js'
import { type Child, exitWithin, startServer } from './support/child.js'

// Four server starts (~0.5–1 s each, the built bundle) and a seed of a few seconds.
t.setTimeout(90_000)

/** No child may outlive this, whatever happens to the test. */
const CHILD_LIMIT_MS = 30_000
/** The requirement: a graceful exit within 2 s of SIGTERM. */
const EXIT_BOUND_MS = 2_000
const CLIENT_1024_BODY = { status: 'SUCCESS', client: CLIENT_1024 }

/** Resolves once `pattern` appears in the child's stdout (or after `ms`, to false). */
async function waitForLog (child: Child, pattern: RegExp, ms = 1000): Promise<boolean> {
  const until = performance.now() + ms
  while (performance.now() < until) {
    if (pattern.test(child.stdout())) return true
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return pattern.test(child.stdout())
}

interface Answer { status: number, body: string, headers: Record<string, string | string[] | undefined>, at: number }

/** One request over `agent` (false: a fresh connection); `at` is performance.now() at the end of the answer. */
async function send (port: number, o: { method?: string, path: string, headers?: OutgoingHttpHeaders, body?: string, agent?: Agent | false }): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: o.headers ?? {}, agent: o.agent ?? false, timeout: 15_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body, headers: res.headers, at: performance.now() }) })
      res.on('error', reject)
    })
    req.on('timeout', () => { req.destroy(new Error(`${o.method ?? 'GET'} ${o.path} timed out`)) })
    req.on('error', reject)
    req.end(o.body)
  })
}

/** What a TCP connect to the port gives: 'connected' or the error code (ECONNREFUSED, …). */
async function tryConnect (port: number): Promise<{ result: string, socket?: Socket }> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { resolve({ result: 'connected', socket }) })
    socket.once('error', (err: NodeJS.ErrnoException) => { resolve({ result: err.code ?? err.message }) })
  })
}

/**
 * A request the server has in hand but cannot answer yet: a POST whose headers are sent and
 * whose body is not (Node's 'request' event has fired; Fastify waits for the body). It keeps a
 * closing server alive until `finish()` sends the rest; `answer` is the raw HTTP response.
 */
async function heldUpload (port: number, email: string): Promise<{ finish: () => void, answer: Promise<string> }> {
  const body = JSON.stringify({ name: 'Held Upload', email })
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  let raw = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { raw += chunk })
  const answer = new Promise<string>((resolve) => socket.on('close', () => { resolve(raw) }))
  const half = body.length >> 1
  socket.write(`POST /v1/clients HTTP/1.1\r\nHost: x\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`)
  return { finish: () => { socket.write(body.slice(half)) }, answer }
}

const ms = (x: number): number => Math.round(x)

t.test('SIGTERM with ~100 requests in flight on kept-alive connections', async (t) => {
  const dir = t.testdir({})
  const child = startServer(t, { DB_PATH: join(dir, 'fatora-mock.db') }, CHILD_LIMIT_MS)
  const port = await child.ready
  const agents = [new Agent({ keepAlive: true, maxSockets: 50 }), new Agent({ keepAlive: true, maxSockets: 50 })]
  t.teardown(() => { for (const a of agents) a.destroy() })
  const get = async (i: number, headers: OutgoingHttpHeaders = {}): Promise<Answer> =>
    await send(port, { path: '/v1/clients/1024', headers: { api_key: DEMO_KEY, ...headers }, agent: agents[i % 2] })

  // Warm-up: 100 concurrent requests open 100 kept-alive sockets (50 per agent).
  const warm = await Promise.all(Array.from({ length: 100 }, async (_, i) => await get(i)))
  t.ok(warm.every((a) => a.status === 200), 'warm-up: 100 × 200')
  const idle = agents.reduce((n, a) => n + Object.values(a.freeSockets).flat().length, 0)
  t.comment(`kept-alive sockets after the warm-up: ${idle}`)

  // A request the server has in hand that keeps it in its closing state until we finish it, so
  // the new-connection check below sees a closing process, not a dead one.
  const held = await heldUpload(port, 'held-upload@example.com')

  // 100 concurrent requests on the kept-alive sockets: 60 held back 500 ms by Prefer, 40 plain.
  const N = 100
  const SLOW = 60
  const dispatchedAt = performance.now()
  const inFlight = Array.from({ length: N }, async (_, i) => {
    const slow = i < SLOW
    try {
      return { slow, answer: await get(i, slow ? { prefer: 'delay=500' } : {}) }
    } catch (err) {
      return { slow, error: (err as NodeJS.ErrnoException).code ?? String(err) }
    }
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const sigAt = child.kill('SIGTERM')
  t.comment(`SIGTERM sent ${ms(sigAt - dispatchedAt)} ms after dispatching the ${N} requests`)
  t.ok(await waitForLog(child, /SIGTERM received, closing/), 'the server logged "SIGTERM received, closing"')

  // A new connection after the signal, while the process is still running (the held upload).
  // The log line is written just before the close begins, so a connection made within a few ms
  // of it can still be accepted (a loaded machine widens that window): tried again every 10 ms,
  // for at most 500 ms (well inside the held upload's 1 s grace), until one is refused.
  t.ok(child.running(), 'the process is still running (closing, the held upload in flight)')
  let fresh = await tryConnect(port)
  let attempts = 1
  while (fresh.result === 'connected' && performance.now() - sigAt < 500) {
    fresh.socket?.destroy()
    await new Promise((resolve) => setTimeout(resolve, 10))
    fresh = await tryConnect(port)
    attempts++
  }
  const freshAt = performance.now()
  fresh.socket?.destroy()
  t.comment(`new connection ${ms(freshAt - sigAt)} ms after SIGTERM: ${fresh.result} (attempt ${attempts})`)
  // ECONNRESET when the kernel had queued the connection just before the listener closed.
  t.ok(fresh.result === 'ECONNREFUSED' || fresh.result === 'ECONNRESET', `a new connection after SIGTERM is refused (${fresh.result})`)
  t.ok(child.running(), 'refused by the closed listener: the process was still running')

  held.finish()
  const heldRaw = await held.answer
  t.match(heldRaw, /^HTTP\/1\.1 201 /, 'the held upload completes with its normal answer: 201')
  t.match(heldRaw, /\r\nconnection: close\r\n/i, 'with Connection: close')
  t.match(heldRaw, /"status":"SUCCESS","client":\{"id":\d+,"name":"Held Upload"/, 'and the created client')

  const results = await Promise.all(inFlight)
  const failed = results.filter((r) => r.answer === undefined || r.answer.status !== 200 || r.answer.body !== JSON.stringify(CLIENT_1024_BODY))
  t.same(failed, [], `all ${N} requests answered 200 with the client 1024 body`)
  const slow = results.filter((r) => r.slow && r.answer !== undefined).map((r) => (r.answer as Answer).at - dispatchedAt)
  const fast = results.filter((r) => !r.slow && r.answer !== undefined).map((r) => (r.answer as Answer).at - dispatchedAt)
  t.equal(slow.length, SLOW, `the ${SLOW} delayed requests were answered`)
  t.comment(`plain requests answered ${ms(Math.min(...fast))}–${ms(Math.max(...fast))} ms after dispatch; delayed ones ${ms(Math.min(...slow))}–${ms(Math.max(...slow))} ms (the signal came at ${ms(sigAt - dispatchedAt)} ms)`)
  t.ok(Math.min(...slow) >= sigAt - dispatchedAt, 'the delayed requests were still in flight when the signal came')
  const closing = results.filter((r) => r.slow && r.answer?.headers.connection === 'close').length
  t.comment(`delayed answers with Connection: close: ${closing} of ${SLOW}`)

  const exit = await exitWithin(child, EXIT_BOUND_MS + 1000)
  const exitMs = ms(exit.at - sigAt)
  t.comment(`SIGTERM → exit with ${N} requests in flight: ${exitMs} ms`)
  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'exit code 0')
  t.ok(exitMs < EXIT_BOUND_MS, `exited ${exitMs} ms after SIGTERM (< ${EXIT_BOUND_MS} ms)`)
  t.equal(child.stderr(), '', 'nothing on stderr')
})

t.test('a second signal exits at once', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'fatora-mock.db')

  await t.test('SIGTERM, SIGTERM 100 ms later, a Prefer: delay=10000 request in flight', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const port = await child.ready
    const slow = send(port, { path: '/v1/clients/1024', headers: { api_key: DEMO_KEY, prefer: 'delay=10000' } })
      .catch((err: NodeJS.ErrnoException) => ({ status: 0, body: err.code ?? String(err), headers: {}, at: performance.now() }))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const sigAt = child.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const aliveAtSecond = child.running()
    child.kill('SIGTERM')
    const exit = await exitWithin(child, EXIT_BOUND_MS)
    const exitMs = ms(exit.at - sigAt)
    const answer = await slow
    t.comment(`SIGTERM → exit: ${exitMs} ms, exit code ${exit.code}; still running at the second signal: ${aliveAtSecond}; the 10 s request got ${answer.status} after ${ms(answer.at - sigAt)} ms from the first signal`)
    t.ok(exitMs < 1000, `exited ${exitMs} ms after the first SIGTERM (well under 2 s)`)
    t.equal(exit.signal, null, 'not killed by a signal')
  })

  await t.test('SIGTERM, SIGINT 100 ms later, while an upload holds the close', async (t) => {
    // The Prefer delay is cut short at the first signal, so the close above may finish before
    // the second one arrives. Here a half-sent request body keeps the close waiting, so it is
    // the second signal that ends the process.
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const port = await child.ready
    const held = await heldUpload(port, 'second-signal@example.com')
    const slow = send(port, { path: '/v1/clients/1024', headers: { api_key: DEMO_KEY, prefer: 'delay=10000' } })
      .catch((err: NodeJS.ErrnoException) => ({ status: 0, body: err.code ?? String(err), headers: {}, at: performance.now() }))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const sigAt = child.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 100))
    t.ok(child.running(), 'still closing 100 ms after the first signal (the upload is unfinished)')
    const secondAt = child.kill('SIGINT')
    const exit = await exitWithin(child, EXIT_BOUND_MS)
    const answer = await slow
    await held.answer
    t.comment(`first SIGTERM → exit: ${ms(exit.at - sigAt)} ms; SIGINT → exit: ${ms(exit.at - secondAt)} ms; exit code ${exit.code}; stderr: ${child.stderr().trim()}; the 10 s request got ${answer.status}`)
    t.ok(exit.at - secondAt < 500, `exited ${ms(exit.at - secondAt)} ms after the second signal`)
    t.ok(exit.at - sigAt < EXIT_BOUND_MS, `${ms(exit.at - sigAt)} ms after the first (< ${EXIT_BOUND_MS} ms)`)
    t.equal(exit.signal, null, 'not killed by a signal (the server exited by itself)')
  })
})

t.test('SIGTERM during POST /__admin/seed {count: 200000, batch: 1000}: whole batches, an intact database', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'fatora-mock.db')
  const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
  const port = await child.ready
  const state = await send(port, { path: '/__admin/state' })
  const before = (JSON.parse(state.body) as { totals: { clients: number } }).totals.clients
  t.comment(`clients before the seed: ${before}`)

  const seedAt = performance.now()
  const seed = send(port, { method: 'POST', path: '/__admin/seed', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 200_000, batch: 1000 }) })
    .catch((err: NodeJS.ErrnoException) => ({ status: 0, body: err.code ?? err.message, headers: {}, at: performance.now() }))
  await new Promise((resolve) => setTimeout(resolve, 1000))
  // The seed is under way: some batches are committed (read through a second connection, WAL).
  const peek = new Database(dbPath, { readonly: true, fileMustExist: true })
  const during = (peek.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n - before
  peek.close()
  const sigAt = child.kill('SIGTERM')
  t.comment(`SIGTERM ${ms(sigAt - seedAt)} ms into the seed, ${during} clients committed by then`)
  t.ok(during > 0 && during < 200_000, 'the seed was running when the signal came')

  const exit = await exitWithin(child, 10_000)
  const exitMs = ms(exit.at - sigAt)
  const answer = await seed
  t.comment(`SIGTERM → exit during the seed: ${exitMs} ms, exit code ${exit.code}, signal ${exit.signal}; stderr: ${JSON.stringify(child.stderr())}`)
  t.comment(`the seed request got ${answer.status} ${answer.body.slice(0, 120)}`)
  // close-with-grace's 5 s timer bounds the exit whatever happens; "a few seconds" is that bound.
  t.ok(exitMs < 6000, `exited ${exitMs} ms after SIGTERM (within a few seconds)`)
  t.equal(exit.signal, null, 'not killed by a signal')
  // A closing server stops the seed after its current batch and answers 503.
  t.ok(exitMs < EXIT_BOUND_MS, `the seed stops at a batch boundary: exit within ${EXIT_BOUND_MS} ms (took ${exitMs} ms)`)
  t.equal(exit.code, 0, 'exit code 0')
  t.equal(answer.status, 503, 'the seed request is told it was stopped')
  t.match(answer.body, /"description":"The server is shutting down: the seed stopped after \d+ of 200000 clients \(whole batches only\)"/)

  const db = new Database(dbPath, { fileMustExist: true })
  t.teardown(() => { db.close() })
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check = ok')
  const after = (db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n
  const added = after - before
  t.comment(`clients added: ${added} (${added / 1000} batches of 1000)`)
  t.equal(added % 1000, 0, `clients added (${added}) is a multiple of 1000: whole batches only`)
  const ids = db.prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM clients WHERE id > 2048').get() as { lo: number | null, hi: number | null, n: number }
  if (added > 0) t.equal((ids.hi ?? 0) - (ids.lo ?? 0) + 1, ids.n, 'the added ids are contiguous')
})

t.test('a stalled upload does not hold the shutdown: its socket is closed after a 1 s grace', async (t) => {
  const dir = t.testdir({})
  const child = startServer(t, { DB_PATH: join(dir, 'fatora-mock.db') }, CHILD_LIMIT_MS)
  const port = await child.ready
  // Headers and half of a 40-byte body, then silence.
  const socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve) => socket.once('connect', () => { resolve() }))
  const closed = new Promise<void>((resolve) => socket.once('close', () => { resolve() }))
  socket.on('error', () => {})
  socket.write(`POST /v1/clients HTTP/1.1\r\nHost: x\r\napi_key: ${DEMO_KEY}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"name":"half`)
  await new Promise((resolve) => setTimeout(resolve, 200))
  const sigAt = child.kill('SIGTERM')
  const exit = await exitWithin(child, 10_000)
  const exitMs = ms(exit.at - sigAt)
  t.comment(`SIGTERM → exit with a stalled upload: ${exitMs} ms`)
  t.ok(exitMs < EXIT_BOUND_MS, `exit within ${EXIT_BOUND_MS} ms (took ${exitMs} ms)`)
  t.equal(exit.code, 0, 'exit code 0')
  await closed
  t.pass('the stalled connection was closed by the server')
})
