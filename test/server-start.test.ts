// The real server as a user starts it (the built bundle that `npm start` runs, see
// test/support/child.ts), in a child process: database creation and reuse (CONTRACT §3), refusal
// of files that are not ours, bad environment, graceful shutdown on SIGTERM/SIGINT, start-up
// time, and no api_key in the logs.
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CLIENT_1024, DEMO_KEY, httpGet } from './helper.js'
import { type Child, exitWithin, ROOT, serverEnv, spawnAsUser, startServer } from './support/child.js'

// About 18 server starts of ~0.5–1 s each (the built bundle). The groups below are independent
// (each has its own directory and servers) and run three at a time; within a group, the order
// is as written.
t.setTimeout(180_000)
t.jobs = 3

/** No child may outlive this, whatever happens to the test. */
const CHILD_LIMIT_MS = 20_000
/** Generous bound for a graceful exit; the goal is < 1000 ms (times are printed as comments). */
const EXIT_BOUND_MS = 3_000
const UNKNOWN_KEY = 'SECRET-0000-NOT-A-FIXTURE-KEY-7F3A9C'

interface Answer { status: number, body: string }

const getClient1024 = async (port: number, agent?: Agent): Promise<Answer> => await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY }, agent)

/** Waits for the port, then the first 200 of GET /v1/clients/1024; returns it and ms since spawn. */
async function firstClient (child: Child): Promise<{ port: number, answer: Answer, ms: number }> {
  const port = await child.ready
  const answer = await getClient1024(port)
  return { port, answer, ms: Math.round(performance.now() - child.startedAt) }
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')
const logLines = (text: string): Array<Record<string, unknown>> =>
  text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>)

/** SIGTERM, then the exit; returns ms from signal to exit. */
async function stop (t: Test, child: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
  const sentAt = performance.now()
  child.kill(signal)
  const exit = await exitWithin(child, EXIT_BOUND_MS)
  const ms = Math.round(exit.at - sentAt)
  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, `${signal} → exit code 0 (${ms} ms)`)
  t.ok(ms < EXIT_BOUND_MS, `${signal} → exited in ${ms} ms (< ${EXIT_BOUND_MS} ms)`)
  return ms
}

const CLIENT_1024_BODY = { status: 'SUCCESS', client: CLIENT_1024 }

t.test('the database file', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'data', 'fatora-mock.db') // the directory does not exist either

  await t.test('a missing file is created, seeded and kept', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const { answer, ms } = await firstClient(child)
    t.comment(`start-up, fresh database (spawn → first 200): ${ms} ms`)
    t.equal(answer.status, 200)
    t.same(JSON.parse(answer.body), CLIENT_1024_BODY)
    t.ok(existsSync(dbPath), 'the file exists while running')
    t.match(child.stdout(), /created and seeded database/, 'the log says it was created')
    await stop(t, child)
    t.ok(existsSync(dbPath), 'the file exists after the server stopped')
    const left = readdirSync(join(dir, 'data'))
    t.comment(`files left in the data directory: ${left.join(', ')}`)
    t.same(left.filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left behind')
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    t.same(db.prepare('SELECT name FROM clients WHERE id = 1024').get(), { name: 'Client Name' }, 'client 1024 is in the file')
    db.close()
    t.equal(child.stderr(), '', 'nothing on stderr')
  })

  await t.test('an existing file (from the run above) is used as it is, not re-seeded', async (t) => {
    const db = new Database(dbPath, { fileMustExist: true })
    const clientsBefore = (db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n
    db.prepare("UPDATE clients SET name = 'Changed' WHERE id = 1024").run()
    db.close()

    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const { answer, ms } = await firstClient(child)
    t.comment(`start-up, existing database (spawn → first 200): ${ms} ms`)
    t.equal(answer.status, 200)
    t.same(JSON.parse(answer.body), { status: 'SUCCESS', client: { ...CLIENT_1024, name: 'Changed' } }, 'the change made through sqlite is served')
    t.match(child.stdout(), /using existing database/, 'the log says it used the existing file')
    t.notMatch(child.stdout(), /created and seeded/, 'the log does not claim a seed')
    await stop(t, child)

    const after = new Database(dbPath, { readonly: true, fileMustExist: true })
    t.equal((after.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n, clientsBefore, 'no clients were added')
    t.same(after.prepare('SELECT name FROM clients WHERE id = 1024').get(), { name: 'Changed' }, 'the change is still there')
    after.close()
  })
})

// The refusals start all their servers at once (each only loads modules and exits), then
// check them one by one.
t.test('a file that is not our database stops the start and is left untouched', async (t) => {
  const cases: Array<{ id: string, name: string, make: (path: string) => void }> = [
    { id: 'text', name: "a text file ('hello')", make: (path) => { writeFileSync(path, 'hello\n') } },
    { id: 'empty', name: 'an empty 0-byte file', make: (path) => { writeFileSync(path, '') } },
    {
      id: 'foreign',
      name: "a SQLite database that is not fatora-mock's",
      make: (path) => {
        const db = new Database(path)
        db.exec("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT NOT NULL); INSERT INTO recipes (title) VALUES ('bread'), ('soup');")
        db.close()
      },
    },
  ]
  const dir = t.testdir(Object.fromEntries(cases.map((c) => [c.id, {}])))
  const runs = cases.map((c) => {
    const caseDir = join(dir, c.id)
    const dbPath = join(caseDir, 'fatora-mock.db')
    c.make(dbPath)
    const hashBefore = sha256(dbPath)
    const filesBefore = readdirSync(caseDir).sort()
    return { ...c, caseDir, dbPath, hashBefore, filesBefore, child: startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS) }
  })
  for (const r of runs) {
    await t.test(r.name, async (t) => {
      const exit = await exitWithin(r.child, 15_000)
      t.not(exit.code, 0, `exit code ${exit.code} is not 0`)
      t.equal(exit.signal, null, 'not killed by a signal')
      const stderr = r.child.stderr()
      t.match(stderr, /^[^\n]+\n$/, 'stderr is exactly one line')
      t.ok(stderr.includes(r.dbPath), `stderr names the file: ${stderr.trim()}`)
      t.notMatch(stderr, /^\s+at\s/m, 'no stack trace')
      t.notMatch(r.child.stdout(), /Server listening/, 'never listened')
      t.equal(sha256(r.dbPath), r.hashBefore, 'the file bytes are unchanged')
      t.same(readdirSync(r.caseDir).sort(), r.filesBefore, 'no file was added beside it (-wal, -shm, .tmp)')
    })
  }
})

t.test('a bad environment variable stops the start with one line naming it', async (t) => {
  const cases: Array<{ id: string, vars: Record<string, string>, name: string }> = [
    { id: 'port-abc', vars: { PORT: 'abc' }, name: 'PORT' },
    { id: 'port-70000', vars: { PORT: '70000' }, name: 'PORT' },
    { id: 'log-level-loud', vars: { LOG_LEVEL: 'loud' }, name: 'LOG_LEVEL' },
    { id: 'log-format-loud', vars: { LOG_FORMAT: 'loud' }, name: 'LOG_FORMAT="loud": expected one of auto, json, pretty' },
    { id: 'port-hex', vars: { PORT: '0x10' }, name: 'PORT' },
    { id: 'host-unknown', vars: { HOST: 'no-such-host.invalid' }, name: 'HOST' },
    { id: 'host-foreign', vars: { HOST: '192.0.2.1' }, name: 'HOST' },
  ]
  const dir = t.testdir(Object.fromEntries(cases.map((c) => [c.id, {}])))
  const runs = cases.map((c) => {
    const dbPath = join(dir, c.id, 'fatora-mock.db')
    return { ...c, dbPath, child: startServer(t, { DB_PATH: dbPath, ...c.vars }, CHILD_LIMIT_MS) }
  })
  for (const r of runs) {
    await t.test(Object.entries(r.vars).map(([k, v]) => `${k}=${v}`).join(' '), async (t) => {
      const exit = await exitWithin(r.child, 15_000)
      t.not(exit.code, 0, `exit code ${exit.code} is not 0`)
      t.equal(exit.signal, null, 'not killed by a signal')
      const stderr = r.child.stderr()
      t.match(stderr, /^[^\n]+\n$/, 'stderr is exactly one line')
      t.ok(stderr.includes(r.name), `stderr names ${r.name}: ${stderr.trim()}`)
      t.notMatch(stderr, /^\s+at\s/m, 'no stack trace')
      if (r.name !== 'HOST') t.notOk(existsSync(r.dbPath), 'no database was created')
    })
  }
})

t.test('graceful shutdown', async (t) => {
  const dir = t.testdir({})
  // The first start creates the database; the others use it.
  const dbPath = join(dir, 'fatora-mock.db')

  await t.test('SIGTERM while idle, no connection ever made → exit 0', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    await child.ready
    const ms = await stop(t, child, 'SIGTERM')
    t.comment(`SIGTERM → exit, no connections: ${ms} ms`)
    t.match(child.stdout(), /SIGTERM received, closing/)
    t.equal(child.stderr(), '', 'nothing on stderr')
  })

  await t.test('SIGTERM with an idle keep-alive connection open → exit 0', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const port = await child.ready
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    t.teardown(() => agent.destroy())
    const answer = await getClient1024(port, agent)
    t.equal(answer.status, 200)
    t.equal(Object.values(agent.freeSockets).flat().length, 1, 'one idle kept-alive socket to the server')
    const ms = await stop(t, child, 'SIGTERM')
    t.comment(`SIGTERM → exit, one idle keep-alive connection: ${ms} ms`)
    t.equal(child.stderr(), '', 'nothing on stderr')
  })

  await t.test('SIGTERM with connections that never sent a whole request → exit 0 at once', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const port = await child.ready
    const silent = connect(port, '127.0.0.1')
    const half = connect(port, '127.0.0.1')
    for (const s of [silent, half]) s.on('error', () => {})
    t.teardown(() => { silent.destroy(); half.destroy() })
    await new Promise<void>((resolve) => half.on('connect', resolve))
    half.write('GET /v1/clients/1024 HTTP/1.1\r\nHost: x\r\n')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const ms = await stop(t, child, 'SIGTERM')
    t.comment(`SIGTERM → exit, a silent and a half-sent connection open: ${ms} ms`)
    t.equal(child.stderr(), '', 'nothing on stderr (no close-with-grace timeout)')
  })

  // Request lines leave in batches (every 10 ms); a line written after them must not overtake them.
  await t.test('SIGTERM right after a request: its line comes first, then the closing line', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const port = await child.ready
    t.equal((await getClient1024(port)).status, 200)
    await stop(t, child, 'SIGTERM')
    const messages = child.stdout().trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg)
    t.same(messages.slice(-2), ['request', 'SIGTERM received, closing'])
  })

  await t.test('SIGINT while idle → exit 0', async (t) => {
    const child = startServer(t, { DB_PATH: dbPath }, CHILD_LIMIT_MS)
    const port = await child.ready
    t.equal((await getClient1024(port)).status, 200)
    const ms = await stop(t, child, 'SIGINT')
    t.comment(`SIGINT → exit: ${ms} ms`)
    t.match(child.stdout(), /SIGINT received, closing/)
    t.equal(child.stderr(), '', 'nothing on stderr')
  })
})

t.test('the api key never appears in the logs', async (t) => {
  for (const level of ['info', 'trace']) {
    await t.test(`LOG_LEVEL=${level}`, async (t) => {
      const dir = t.testdir({})
      const child = startServer(t, { DB_PATH: join(dir, 'fatora-mock.db'), LOG_LEVEL: level }, CHILD_LIMIT_MS)
      const port = await child.ready
      const answers = [
        await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY }),
        await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY, 'content-type': 'application/json' }),
        await httpGet(port, '/v1/clients/999999999', { api_key: DEMO_KEY }),
        await httpGet(port, '/v1/nowhere', { api_key: DEMO_KEY }),
        await httpGet(port, `/v1/clients/1024?api_key=${DEMO_KEY}`),
        await httpGet(port, '/v1/clients/1024', { api_key: UNKNOWN_KEY }),
        await httpGet(port, '/v1/clients/1024', { authorization: `Bearer ${DEMO_KEY}` }),
      ]
      t.same(answers.map((a) => a.status), [200, 200, 404, 404, 401, 401, 401], 'the requests were answered')
      await stop(t, child)
      const logs = child.stdout() + child.stderr()
      const requests = logLines(child.stdout()).filter((l) => l.msg === 'request')
      t.equal(requests.length, answers.length, 'one "request" log line per request')
      t.notOk(logs.includes(DEMO_KEY), 'the demo key is not logged')
      t.notOk(logs.includes(UNKNOWN_KEY), 'an unknown key is not logged either')
      t.notOk(logs.includes('api_key='), 'no query string is logged')
    })
  }
})

t.test('npm start: SIGTERM to npm reaches the server (no orphan left serving)', async (t) => {
  const dir = t.testdir({})
  const child = spawnAsUser('npm', ['start', '--silent'], { cwd: ROOT, env: serverEnv({ DB_PATH: join(dir, 'npm.db') }) })
  const limit = setTimeout(() => child.kill('SIGKILL'), 90_000)
  t.teardown(() => { clearTimeout(limit); child.kill('SIGKILL') })
  let stdout = ''
  child.stdout.setEncoding('utf8')
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk
      const p = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(stdout)?.[1]
      if (p !== undefined) resolve(Number(p))
    })
    child.on('exit', (code) => { reject(new Error(`npm start exited early (${code})`)) })
  })
  t.equal((await getClient1024(port)).status, 200)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  await exited
  await new Promise((resolve) => setTimeout(resolve, 300))
  const after = await getClient1024(port).then(() => 'still answering', (err: NodeJS.ErrnoException) => err.code)
  t.equal(after, 'ECONNREFUSED', 'the port is closed: the server itself stopped')
  t.match(stdout, /SIGTERM received, closing/)
})
