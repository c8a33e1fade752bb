// What a person sees when the server starts, and how they start it: the built server (what
// `npm start` runs) and `npm start` itself in child processes. The ready line (JSON on a pipe, at
// every level but silent; never the key), LOG_FORMAT=pretty's block and request lines, a real
// terminal (a pseudo-terminal from script(1)) with and without colours, the command-line flags
// of the server entry and of `npm start -- …` (honoured, or refused with exit 2), and GET / over
// a real socket.
import t, { type Test } from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect, createServer } from 'node:net'
import { join, relative } from 'node:path'
import { DEMO_KEY, httpGet } from './helper.js'
import { type Child, collectOutput, exitWithin, ROOT, SERVER_ENTRY, serverEnv, spawnAsUser, spawnNode, startServer } from './support/child.js'

// About 30 short-lived children (server starts of ~0.5–1 s, a few npm runs): independent groups,
// three at a time.
t.setTimeout(180_000)
t.jobs = 3

/** No child may outlive this; the machine may be busy (other suites), so the bounds are wide. */
const CHILD_LIMIT_MS = 40_000
const EXIT_BOUND_MS = 30_000
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
const FIXTURE_COUNTS = { merchants: 2, apiKeys: 3, clients: 83, products: 46, payments: 2, cardTokens: 2, invoices: 83 }
const FIXTURE_SUMMARY = '2 merchants, 3 keys, 83 clients, 46 products, 2 payments, 2 card tokens, 83 invoices'
const UNKNOWN_KEY = 'SECRET-0000-NOT-A-FIXTURE-KEY-7F3A9C'
const ESC = '\u001b'
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g')
/** `node <entry>` as the server's help and usage errors name it (relative to the package root). */
const ENTRY_COMMAND = `node ${relative(ROOT, SERVER_ENTRY)}`

type Line = Record<string, unknown>
const jsonLines = (text: string): Line[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line)
const readyLine = (text: string): Line | undefined => jsonLines(text).find((l) => typeof l.msg === 'string' && l.msg.startsWith('fatora-mock ready'))

/** Resolves once `child` printed text matching `pattern` (its first group); rejects if it exits first. */
async function printed (child: { stdout: () => string, stderr?: () => string, exited: Promise<unknown> }, pattern: RegExp, clean = (s: string): string => s): Promise<string> {
  for (;;) {
    const m = pattern.exec(clean(child.stdout()))
    if (m !== null) return m[1] ?? m[0]
    const exited = await Promise.race([child.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 25))])
    if (exited) {
      const last = pattern.exec(clean(child.stdout()))
      if (last !== null) return last[1] ?? last[0]
      throw new Error(`exited before printing ${String(pattern)}; stdout: ${child.stdout()}; stderr: ${child.stderr?.() ?? ''}`)
    }
  }
}

/** SIGTERM, then exit 0 and nothing on stderr. */
async function stop (t: Test, child: Child): Promise<void> {
  child.kill('SIGTERM')
  const exit = await exitWithin(child, 10_000)
  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'SIGTERM → exit 0')
  t.equal(child.stderr(), '', 'nothing on stderr')
}

/** A port nothing listens on right now (for a server that will not print it). */
async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => { resolve(port) })
    })
  })
}

/** GET over a real socket: status, every header as sent (names as written), body. */
async function rawGet (port: number, path: string, method = 'GET'): Promise<{ status: number, headers: Array<[string, string]>, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => {
        const headers: Array<[string, string]> = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string])
        resolve({ status: res.statusCode ?? 0, headers, body })
      })
    })
    req.on('timeout', () => { req.destroy(new Error(`${method} ${path} timed out`)) })
    req.on('error', reject)
    req.end()
  })
}

t.test('JSON on a pipe (the default): the ready line, and GET / over a real socket', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'fatora-mock.db')
  const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
  const port = await child.ready
  await printed(child, /"msg":"fatora-mock ready/)
  const { time, pid, hostname, ...ready } = readyLine(child.stdout()) ?? {}
  t.same({ time: typeof time, pid, hostname: typeof hostname }, { time: 'number', pid: child.pid, hostname: 'string' }, "pino's own fields")
  t.same(ready, {
    level: 30,
    version: VERSION,
    url: `http://127.0.0.1:${port}`,
    documentation: `http://127.0.0.1:${port}/documentation`,
    demoKey: true,
    db: dbPath,
    created: true,
    ...FIXTURE_COUNTS,
    msg: `fatora-mock ready: created and seeded database ${dbPath} (${FIXTURE_SUMMARY})`,
  }, 'where to go, whether the demo key works (never the key itself), the database and its counts')

  for (const method of ['GET', 'HEAD']) {
    const root = await rawGet(port, '/', method)
    const id = root.headers.find(([name]) => name === 'x-request-id')?.[1] ?? ''
    const date = root.headers.find(([name]) => name === 'Date')?.[1] ?? ''
    t.same(root, {
      status: 302,
      headers: [
        ['x-request-id', id],
        ['x-content-type-options', 'nosniff'],
        ['location', '/documentation'],
        ['content-length', '0'],
        ['Date', date],
        ['Connection', 'close'],
      ],
      body: '',
    }, `${method} / → 302 to /documentation, these headers in this order, no body`)
    t.match(id, /^[0-9a-f-]{36}$/, `${method} /: a request id`)
  }
  const raw = async (target: string): Promise<string> => await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`) })
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { data += chunk })
    socket.on('end', () => { resolve(data) })
    socket.on('error', reject)
  })
  // The absolute-form target (`GET http://host/`, what proxies send) is the root too.
  const absolute = await raw(`http://127.0.0.1:${port}/`)
  t.same([absolute.split('\r\n')[0], /\r\nlocation: ([^\r]*)/i.exec(absolute)?.[1]], ['HTTP/1.1 302 Found', '/documentation'], 'GET http://host/ → the redirect')
  // The asterisk-form target (`GET * HTTP/1.1`) reaches the '/' route in the router: not the root.
  const asterisk = await raw('*')
  t.same([asterisk.split('\r\n')[0], asterisk.split('\r\n\r\n')[1]], ['HTTP/1.1 404 Not Found', '{"status":"FAILURE","error":{"error_code":"404","description":"Route GET * not found"}}'], 'GET * → the 404 envelope, not the redirect')
  const docs = await httpGet(port, '/documentation')
  t.equal(docs.status, 200, 'the Location answers 200 (Swagger UI)')
  await stop(t, child)
})

t.test('the ready line at every level but silent', async (t) => {
  // At warn, error and fatal it is the only line (level 30: it is news, not a warning).
  const levels = ['warn', 'error', 'fatal']
  const runs = levels.map((level) => ({ level, child: startServer(t, { DB_PATH: ':memory:', LOG_LEVEL: level }, CHILD_LIMIT_MS) }))
  for (const { level, child } of runs) {
    await t.test(`LOG_LEVEL=${level}`, async (t) => {
      const url = await printed(child, /"url":"(http:\/\/127\.0\.0\.1:\d+)"/)
      const port = Number(new URL(url).port)
      t.equal((await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY })).status, 200, 'it serves at the URL it printed')
      await stop(t, child)
      const lines = jsonLines(child.stdout())
      t.equal(lines.length, 1, 'one line on stdout, from start to stop')
      t.same([lines[0]?.level, lines[0]?.url, lines[0]?.msg], [30, url, `fatora-mock ready: created and seeded database :memory: (${FIXTURE_SUMMARY})`], 'the ready line')
    })
  }

  await t.test('LOG_LEVEL=silent: nothing at all', async (t) => {
    const port = await freePort()
    const child = spawnNode(t, [SERVER_ENTRY], serverEnv({ DB_PATH: ':memory:', LOG_LEVEL: 'silent', PORT: String(port) }), CHILD_LIMIT_MS)
    let answer: { status: number } | undefined
    while (answer === undefined && child.running()) {
      answer = await httpGet(port, '/health').catch(async () => { await new Promise((resolve) => setTimeout(resolve, 50)); return undefined })
    }
    t.equal(answer?.status, 200, 'it started (GET /health → 200)')
    await stop(t, child)
    t.equal(child.stdout(), '', 'nothing on stdout')
  })

  await t.test('startMock({ logLevel: "warn" }) in a test suite: nothing (only the server says it started)', async (t) => {
    const code = `import { startMock } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))}
const mock = await startMock({ logLevel: 'warn' })
process.stderr.write('started ' + mock.port + '\\n')
await mock.close()`
    const child = spawnNode(t, ['--input-type=module', '-e', code], serverEnv(), CHILD_LIMIT_MS)
    const exit = await exitWithin(child, EXIT_BOUND_MS)
    t.equal(exit.code, 0, 'exit 0')
    t.match(child.stderr(), /^started \d+\n$/, 'it started')
    t.equal(child.stdout(), '', 'nothing on stdout')
  })
})

t.test('LOG_FORMAT=pretty on a pipe: the block and plain request lines, no colours, no JSON', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'fatora-mock.db')
  const child = startServer(t, { DB_PATH: dbPath, LOG_FORMAT: 'pretty' }, CHILD_LIMIT_MS)
  const port = Number(await printed(child, /ready at http:\/\/127\.0\.0\.1:(\d+)\n/))
  const answers = [
    await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY }),
    await httpGet(port, '/v1/clients/1024', { api_key: UNKNOWN_KEY }),
    await httpGet(port, `/v1/clients/1024?api_key=${DEMO_KEY}`),
    await httpGet(port, `/__admin/api-keys/${UNKNOWN_KEY}`),
  ]
  t.same(answers.map((a) => a.status), [200, 401, 401, 405], 'the requests were answered')
  await stop(t, child)
  const out = child.stdout()
  const block = [
    `fatora-mock ${VERSION} ready at http://127.0.0.1:${port}`,
    `  Swagger UI  http://127.0.0.1:${port}/documentation`,
    `  demo key    ${DEMO_KEY}`,
    `  database    ${dbPath} (created now)`,
    `              ${FIXTURE_SUMMARY}`,
  ]
  const lines = out.split('\n')
  t.same(lines.slice(0, block.length), block, 'the block first (no "Server listening" line before it)')
  const rest = lines.slice(block.length).map((l) => l.replace(/^\d{2}:\d{2}:\d{2}\.\d{3} /, 'HH:MM:SS.mmm ').replace(/ [\d.]+ ms$/, ' N ms'))
  t.same(rest, [
    'HH:MM:SS.mmm GET /v1/clients/1024 200 N ms',
    'HH:MM:SS.mmm GET /v1/clients/1024 401 N ms',
    'HH:MM:SS.mmm GET /v1/clients/1024 401 N ms',
    'HH:MM:SS.mmm GET /__admin/api-keys/[redacted] 405 N ms',
    'HH:MM:SS.mmm SIGTERM received, closing',
    '',
  ], 'one plain line per request (no query string, no key in a path), then the signal')
  t.notOk(out.includes(ESC), 'no escape sequences: not a terminal')
  t.equal(out.split(DEMO_KEY).length, 2, 'the demo key appears once: in the block, never in a request line')
  t.notOk(out.includes(UNKNOWN_KEY), 'an unknown key is not logged')
})

// script(1) from util-linux runs the server on a pseudo-terminal: stdout is a TTY, as in a
// person's terminal. The server's pid comes through a file, so it gets SIGTERM itself.
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p))
const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`

let terminals = 0
interface Terminal {
  stdout: () => string
  exited: Promise<{ code: number | null }>
  /** The server's pid (not script's). */
  pid: () => number
  /** Closes the terminal, as closing its window does: script is killed, the server gets SIGHUP. */
  close: () => void
}

function startInTerminal (t: Test, dir: string, vars: Record<string, string>): Terminal {
  const pidFile = join(dir, `server-${++terminals}.pid`)
  const command = `echo $$ > ${shellQuote(pidFile)}; exec ${shellQuote(process.execPath)} ${shellQuote(SERVER_ENTRY)}`
  // A person's shell: tap's own NO_COLOR, FORCE_COLOR and COLOR do not reach it, nor a CI
  // runner's CI (with it, Node's hasColors() answers two colours: none) or NODE_DISABLE_COLORS.
  const env = serverEnv({ TERM: 'xterm-256color', ...vars })
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'COLOR', 'CI', 'NODE_DISABLE_COLORS']) if (!(name in vars)) delete env[name]
  const child = spawnAsUser(SCRIPT as string, ['-qec', `sh -c ${shellQuote(command)}`, '/dev/null'], { cwd: ROOT, env })
  let stdout = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => { stdout += chunk })
  child.stderr.resume()
  const limit = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS)
  const exited = new Promise<{ code: number | null }>((resolve) => child.on('close', (code) => { clearTimeout(limit); resolve({ code }) }))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL') } catch {}
      child.kill('SIGKILL')
    }
    await exited
  })
  return { stdout: () => stdout, exited, pid: () => Number(readFileSync(pidFile, 'utf8')), close: () => { child.kill('SIGKILL') } }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

t.test('in a terminal (a pseudo-terminal)', { skip: SCRIPT === undefined ? 'script(1) from util-linux is not installed' : false }, async (t) => {
  const cases: Array<{ name: string, vars: Record<string, string>, colours: boolean, json: boolean }> = [
    { name: 'LOG_FORMAT unset (auto): pretty, in colour', vars: {}, colours: true, json: false },
    { name: 'NO_COLOR=1: pretty, no colours', vars: { NO_COLOR: '1' }, colours: false, json: false },
    { name: 'TERM=dumb: pretty, no colours', vars: { TERM: 'dumb' }, colours: false, json: false },
    { name: 'LOG_FORMAT=json: JSON even here', vars: { LOG_FORMAT: 'json' }, colours: false, json: true },
  ]
  const dir = t.testdir({})
  const runs = cases.map((c) => ({ ...c, term: startInTerminal(t, dir, { DB_PATH: ':memory:', ...c.vars }) }))
  for (const { name, colours, json, term } of runs) {
    await t.test(name, async (t) => {
      const plain = (s: string): string => s.replace(ANSI, '').replace(/\r\n/g, '\n')
      const port = Number(await printed(term, json ? /"url":"http:\/\/127\.0\.0\.1:(\d+)"/ : /ready at http:\/\/127\.0\.0\.1:(\d+)\n/, plain))
      t.equal((await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY })).status, 200, 'it serves at the URL it printed')
      await printed(term, /GET \/v1\/clients\/1024 200|"statusCode":200/, plain)
      process.kill(term.pid(), 'SIGTERM')
      t.equal((await term.exited).code, 0, 'SIGTERM → exit 0')
      const out = term.stdout()
      if (json) {
        t.ok(readyLine(out.replace(/\r\n/g, '\n')), 'the ready line is JSON')
        t.notOk(out.includes(ESC), 'no colours')
        return
      }
      const text = plain(out)
      t.same(text.split('\n').slice(0, 5), [
        `fatora-mock ${VERSION} ready at http://127.0.0.1:${port}`,
        `  Swagger UI  http://127.0.0.1:${port}/documentation`,
        `  demo key    ${DEMO_KEY}`,
        '  database    in memory, gone when the server stops',
        `              ${FIXTURE_SUMMARY}`,
      ], 'the block, as a person reads it')
      t.match(text, /\n\d{2}:\d{2}:\d{2}\.\d{3} GET \/v1\/clients\/1024 200 [\d.]+ ms\n/, 'a plain request line')
      t.notMatch(text, /^\{/m, 'no JSON line')
      if (colours) {
        t.ok(out.includes(`${ESC}[32mready${ESC}[39m`), '"ready" in green')
        t.ok(out.includes(`${ESC}[32m200${ESC}[39m`), 'a 200 in green')
      } else {
        t.notOk(out.includes(ESC), 'not one escape sequence')
      }
    })
  }

  // A closed terminal window: the server gets SIGHUP and every write fails (EIO). It closes and
  // ends, rather than spinning forever with its exit flush (or Node's own tty reset) failing.
  for (const format of ['auto', 'json']) {
    await t.test(`the terminal is closed (LOG_FORMAT=${format}): the server closes and ends`, async (t) => {
      const dbPath = join(dir, `closed-${format}.db`)
      const term = startInTerminal(t, dir, { DB_PATH: dbPath, LOG_FORMAT: format })
      const port = Number(await printed(term, /(?:ready at http:\/\/127\.0\.0\.1:|"url":"http:\/\/127\.0\.0\.1:)(\d+)/, (s) => s.replace(ANSI, '')))
      const pid = term.pid()
      term.close()
      await term.exited
      let waited = 0
      while (alive(pid) && waited < 20_000) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        waited += 50
      }
      t.notOk(alive(pid), 'the server process ended')
      const after = await httpGet(port, '/health').then(() => 'still answering', (err: NodeJS.ErrnoException) => err.code)
      t.equal(after, 'ECONNREFUSED', 'its port is closed')
      t.ok(existsSync(dbPath), 'its database file is there')
    })
  }
})

t.test('command-line flags of the server entry (what npm start runs)', async (t) => {
  const dir = t.testdir({})

  await t.test('--port --host --db --no-seed are honoured', async (t) => {
    const port = await freePort()
    const dbPath = join(dir, 'flags.db')
    // The environment says otherwise: the flags win.
    const child = spawnNode(t, [SERVER_ENTRY, '--port', String(port), '--host', '127.0.0.1', '--db', dbPath, '--no-seed'], serverEnv({ DB_PATH: join(dir, 'env.db'), PORT: '0', HOST: 'localhost' }), CHILD_LIMIT_MS)
    const listening = await child.ready
    t.equal(listening, port, `listens on --port ${port}`)
    await printed(child, /"msg":"fatora-mock ready/)
    const ready = readyLine(child.stdout())
    t.same([ready?.url, ready?.db, ready?.merchants, ready?.msg], [`http://127.0.0.1:${port}`, dbPath, 0, `fatora-mock ready: created empty database ${dbPath} (0 merchants, 0 keys, 0 clients, 0 products, 0 payments, 0 card tokens, 0 invoices)`], '--host, --db and --no-seed applied')
    t.equal((await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY })).status, 401, 'no fixtures: the demo key is unknown')
    await stop(t, child)
    t.ok(existsSync(dbPath), 'the --db file was created')
    t.notOk(existsSync(join(dir, 'env.db')), "DB_PATH's file was not")
  })

  await t.test('--help: the usage, exit 0, nothing started', async (t) => {
    const child = spawnNode(t, [SERVER_ENTRY, '--help'], serverEnv({ DB_PATH: join(dir, 'help.db') }), CHILD_LIMIT_MS)
    const exit = await exitWithin(child, EXIT_BOUND_MS)
    t.equal(exit.code, 0, 'exit 0')
    t.equal(child.stdout().split('\n')[0], `Usage: ${ENTRY_COMMAND} [--port N] [--host H] [--no-seed] [--db PATH]`, 'the usage line names how it was started')
    for (const flag of ['--port N', '--host H', '--no-seed', '--db PATH', '-h, --help', 'LOG_FORMAT']) t.ok(child.stdout().includes(flag), `mentions ${flag}`)
    t.equal(child.stderr(), '')
    t.notOk(existsSync(join(dir, 'help.db')), 'no database')
  })

  await t.test('anything else: exit 2, one line, nothing started', async (t) => {
    const cases: Array<{ args: string[], says: string }> = [
      { args: ['--bogus'], says: "Unknown option '--bogus'" },
      { args: ['-p', '4000'], says: "Unknown option '-p'" },
      { args: ['--port=4000', '--verbose'], says: "Unknown option '--verbose'" },
      { args: ['4000'], says: 'unexpected argument "4000"' },
      { args: ['serve'], says: 'unexpected argument "serve"' },
      { args: ['--port'], says: "Option '--port <value>' argument missing" },
      { args: ['--port', 'abc'], says: '--port must be an integer from 0 to 65,535' },
      { args: ['--port', '70000'], says: '--port must be an integer from 0 to 65,535' },
      { args: ['--port', '-1'], says: "Option '--port' argument is ambiguous" },
      { args: ['--host', ''], says: '--host must not be empty' },
      { args: ['--db', ''], says: '--db must not be empty' },
      { args: ['--no-seed=yes'], says: "Option '--no-seed' does not take an argument" },
    ]
    const runs = cases.map((c, i) => ({ ...c, dbPath: join(dir, `bad-${i}.db`), child: spawnNode(t, [SERVER_ENTRY, ...c.args], serverEnv({ DB_PATH: join(dir, `bad-${i}.db`) }), CHILD_LIMIT_MS) }))
    for (const r of runs) {
      await t.test(r.args.map((a) => JSON.stringify(a)).join(' '), async (t) => {
        const exit = await exitWithin(r.child, EXIT_BOUND_MS)
        t.same({ code: exit.code, signal: exit.signal }, { code: 2, signal: null }, 'exit 2')
        t.equal(r.child.stderr(), `fatora-mock: ${r.says} (see ${ENTRY_COMMAND} --help)\n`, 'one line naming the problem')
        t.equal(r.child.stdout(), '', 'nothing on stdout')
        t.notOk(existsSync(r.dbPath), 'no database')
      })
    }
  })

  await t.test('a flag that clashes with the environment: checked like the variable, exit 1, nothing started', async (t) => {
    const dbPath = join(dir, 'clash.db')
    const child = spawnNode(t, [SERVER_ENTRY, '--port', '3443', '--db', dbPath], serverEnv({ HTTPS_PORT: '3443' }), CHILD_LIMIT_MS)
    const exit = await exitWithin(child, EXIT_BOUND_MS)
    t.same({ code: exit.code, signal: exit.signal }, { code: 1, signal: null }, 'exit 1')
    t.equal(child.stderr(), 'fatora-mock: Invalid environment variable HTTPS_PORT="3443": expected a port other than PORT (3443), which serves HTTP\n', 'one line naming the clash')
    t.equal(child.stdout(), '', 'nothing on stdout')
    t.notOk(existsSync(dbPath), 'no database')
  })
})

t.test('npm start: flags after -- are honoured; other flags, or flags npm keeps, are refused', async (t) => {
  const dir = t.testdir({})
  const npm = (args: string[], vars: Record<string, string>): Child & { exitedAt: Promise<number | null> } => {
    const child = spawnAsUser('npm', ['start', '--silent', ...args], { cwd: ROOT, env: serverEnv(vars) })
    const { stdout, stderr } = collectOutput(child)
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null, at: number }>((resolve) => child.on('close', (code, signal) => { clearTimeout(limit); resolve({ code, signal, at: 0 }) }))
    // SIGTERM first: npm passes it on to the server (a SIGKILL to npm would leave the server running).
    t.teardown(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const late = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(late)
    })
    const ready = printed({ stdout, stderr, exited }, /"url":"http:\/\/127\.0\.0\.1:(\d+)"/).then(Number)
    ready.catch(() => {})
    return {
      pid: child.pid ?? 0,
      startedAt: 0,
      stdout,
      stderr,
      ready,
      exited,
      exitedAt: exited.then((e) => e.code),
      running: () => child.exitCode === null && child.signalCode === null,
      kill: (signal) => { child.kill(signal); return 0 },
    }
  }

  const port = await freePort()
  const dbPath = join(dir, 'npm.db')
  const good = npm(['--', '--port', String(port), '--db', dbPath], { PORT: '0', DB_PATH: join(dir, 'env.db') })
  const bad = npm(['--', '--bogus'], { DB_PATH: join(dir, 'bad.db') })
  const kept = npm(['--port', '4000'], { DB_PATH: join(dir, 'kept.db') })
  const keptSeed = npm(['--no-seed'], { DB_PATH: join(dir, 'kept-seed.db') })

  await t.test('npm start -- --port N --db PATH', async (t) => {
    t.equal(await good.ready, port, `listens on ${port}`)
    t.equal(readyLine(good.stdout())?.db, dbPath, 'uses the --db file')
    t.equal((await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY })).status, 200)
    good.kill('SIGTERM')
    t.equal(await good.exitedAt, 0, 'SIGTERM → exit 0')
  })
  const refusals: Array<[string, Child, string]> = [
    ['npm start -- --bogus', bad, "fatora-mock: Unknown option '--bogus' (see npm start -- --help)\n"],
    ['npm start --port 4000 (npm keeps --port)', kept, "fatora-mock: npm took --port for itself; put the server's flags after --, e.g. npm start -- --port …\n"],
    ['npm start --no-seed (npm keeps it)', keptSeed, "fatora-mock: npm took --no-seed for itself; put the server's flags after --, e.g. npm start -- --no-seed\n"],
  ]
  for (const [name, child, line] of refusals) {
    await t.test(name, async (t) => {
      const exit = await child.exited
      t.equal(exit.code, 2, 'exit 2')
      t.equal(child.stderr(), line, 'one line saying what to do')
      t.equal(child.stdout(), '', 'nothing on stdout')
    })
  }
  for (const f of ['env.db', 'bad.db', 'kept.db', 'kept-seed.db']) t.notOk(existsSync(join(dir, f)), `no ${f}`)
})
