// The `fatora-mock` command as a user runs it (the built dist/cli.js, the package's bin; see
// test/support/child.ts), in child processes on temporary database files:
// help, bad usage (exit 2, one line), seed, determinism (one pinned row), import, reset,
// merchants, keys, openapi, --db vs DB_PATH, a file that is not ours, and `serve` with start-up
// seeding and FIXTURES_DIR.
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { DEMO_KEY, httpGet, INACTIVE_KEY, SECOND_KEY } from './helper.js'
import { type Child, exitWithin, ROOT, type Run, runCli, startCli } from './support/child.js'

// About 70 CLI runs and 4 server starts of 0.3–1 s of CPU each (the built CLI; creating a
// database from the fixtures costs most): the groups run in parallel (t.jobs) with at most
// MAX_CHILDREN children at once, and most tests copy one database the CLI created instead of
// creating their own. That is ~25 s beside the rest of `npm test` on a 2-core machine, several
// times that on a busy one, so this file sets its own timeout (every child is also bounded).
t.setTimeout(300_000)
t.jobs = 12

/** No child may outlive this, whatever happens to the test. */
const CHILD_LIMIT_MS = 30_000
const MAX_CHILDREN = 3
/** The default fixtures: 2 + 40 clients for merchant 1, 1 + 40 for merchant 2, largest id 2048. */
const FIXTURE_CLIENTS = 83
const FIRST_FREE_ID = 2049
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/
const ONE_LINE = /^[^\n]+\n$/

// ---------------------------------------------------------------------------------------------
// Running the CLI

// Children wait for one of MAX_CHILDREN slots. Runs that a test awaits one after another go
// before the bursts other tests start all at once, so the long sequences are not starved.
let running = 0
const urgent: Array<() => void> = []
const queued: Array<() => void> = []
async function acquire (priority: boolean): Promise<void> {
  if (running < MAX_CHILDREN) {
    running++
    return
  }
  await new Promise<void>((resolve) => (priority ? urgent : queued).push(resolve)) // the slot is handed over
}
function release (): void {
  const next = urgent.shift() ?? queued.shift()
  if (next !== undefined) next()
  else running--
}

/** Runs `fatora-mock <args>` to its end (SIGKILLed after CHILD_LIMIT_MS); `priority` false for bursts. */
async function cli (args: string[], vars: Record<string, string> = {}, priority = true): Promise<Run> {
  await acquire(priority)
  try {
    return await runCli(args, vars, CHILD_LIMIT_MS)
  } finally {
    release()
  }
}

const show = (args: string[]): string => `fatora-mock ${args.map((a) => (/^[\w./:=-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`

/** Exit 0, nothing on stderr. */
function succeeded (t: Test, r: Run, what: string): void {
  t.same({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `${what}: exit 0 (${r.ms} ms)`)
  t.equal(r.stderr, '', `${what}: nothing on stderr`)
}

/** Exit `code`, nothing on stdout, exactly one stderr line that matches every pattern. */
function failed (t: Test, r: Run, code: 1 | 2, what: string, ...patterns: Array<string | RegExp>): void {
  t.same({ code: r.code, signal: r.signal }, { code, signal: null }, `${what}: exit ${code}`)
  t.equal(r.stdout, '', `${what}: nothing on stdout`)
  t.match(r.stderr, ONE_LINE, `${what}: stderr is exactly one line: ${JSON.stringify(r.stderr)}`)
  t.notMatch(r.stderr, /^\s+at\s/m, `${what}: no stack trace`)
  for (const p of patterns) t.match(r.stderr, p, `${what}: stderr mentions ${String(p)}`)
}

// ---------------------------------------------------------------------------------------------
// Reading the database

interface ClientDbRow {
  id: number
  merchant_id: number
  name: string
  address: string | null
  phone: string | null
  email: string | null
  notes: string | null
  created_at: string
  updated_at: string
}
interface KeyDbRow { key: string, merchant_id: number, status: 'active' | 'inactive' }
interface MerchantDbRow { id: number, name: string }

function readDb<T> (path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}
const clientRows = (path: string, where = '1 = 1'): ClientDbRow[] =>
  readDb(path, (db) => db.prepare(`SELECT * FROM clients WHERE ${where} ORDER BY id`).all() as ClientDbRow[])
const keyRows = (path: string): KeyDbRow[] =>
  readDb(path, (db) => db.prepare('SELECT key, merchant_id, status FROM api_keys ORDER BY key').all() as KeyDbRow[])
const merchantRows = (path: string): MerchantDbRow[] =>
  readDb(path, (db) => db.prepare('SELECT id, name FROM merchants ORDER BY id').all() as MerchantDbRow[])
const clientCount = (path: string, where = '1 = 1'): number =>
  readDb(path, (db) => (db.prepare(`SELECT count(*) AS n FROM clients WHERE ${where}`).get() as { n: number }).n)
/** The client rows byte for byte (what determinism promises). */
const clientsJson = (path: string): string => JSON.stringify(clientRows(path))
/** Everything but the created_at of merchants and keys (the wall clock at insert). */
const dump = (path: string): string => JSON.stringify({ merchants: merchantRows(path), apiKeys: keyRows(path), clients: clientRows(path) })
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

// ---------------------------------------------------------------------------------------------
// serve

/** `fatora-mock serve --port 0 <args>` with info logs; SIGKILLed after CHILD_LIMIT_MS and at teardown. */
const serve = (t: Test, args: string[], vars: Record<string, string> = {}): Child =>
  startCli(t, ['serve', '--port', '0', ...args], { LOG_LEVEL: 'info', ...vars }, CHILD_LIMIT_MS)

interface State {
  totals: { merchants: number, api_keys: number, clients: number, products: number, payments: number, card_tokens: number, invoices: number }
  merchants: Array<{ id: number, name: string, clients: number, api_keys: Array<{ key: string, status: string }> }>
}
async function state (port: number): Promise<State> {
  const r = await httpGet(port, '/__admin/state')
  if (r.status !== 200) throw new Error(`GET /__admin/state answered ${r.status}: ${r.body}`)
  return JSON.parse(r.body) as State
}
const perMerchant = (s: State): Array<[number, string, number]> => s.merchants.map((m) => [m.id, m.name, m.clients])

/** SIGTERM, then expects exit 0 within 5 s and nothing on stderr. */
async function stop (t: Test, server: Child, what: string): Promise<void> {
  server.kill('SIGTERM')
  const exit = await exitWithin(server, 5000).catch((err: Error) => { throw new Error(`${what}, after SIGTERM: ${err.message}`) })
  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, `${what}: SIGTERM → exit 0`)
  t.equal(server.stderr(), '', `${what}: nothing on stderr`)
}

// One fresh database, created from the default fixtures by the CLI itself (`keys list` on a
// missing file); tests that need a fresh database copy it, and reset compares against it.
const templateDir = t.testdir({})
const TEMPLATE = join(templateDir, 'template.db')
const template = cli(['keys', 'list', '--db', TEMPLATE])
template.catch(() => {})
/** A copy of the fresh database at `path` (its directory is created). */
async function freshCopy (path: string): Promise<string> {
  const r = await template
  if (r.code !== 0) throw new Error(`creating the template database failed: ${r.stderr}`)
  mkdirSync(dirname(path), { recursive: true })
  copyFileSync(TEMPLATE, path)
  return path
}

t.test('a missing database file is created from the fixtures (keys list on it)', async (t) => {
  const r = await template
  succeeded(t, r, 'keys list on a missing file')
  t.equal(r.stdout, [
    'KEY\tMERCHANT\tSTATUS',
    `${DEMO_KEY}\t1\tactive`,
    `${INACTIVE_KEY}\t1\tinactive`,
    `${SECOND_KEY}\t2\tactive`,
    '',
  ].join('\n'), 'a header, then the fixture keys tab-separated, by merchant in insertion order')
  t.same(merchantRows(TEMPLATE), [{ id: 1, name: 'Demo Merchant' }, { id: 2, name: 'Doha Trading Co.' }])
  t.equal(clientCount(TEMPLATE), FIXTURE_CLIENTS, `${FIXTURE_CLIENTS} fixture clients`)
  t.equal(clientCount(TEMPLATE, 'merchant_id = 1'), 42, 'the demo merchant has 2 + 40')
})

t.test('serve', async (t) => {
  const dir = t.testdir({
    mine: {
      'shop.json': JSON.stringify({
        reference_date: '2025-01-01T00:00:00.000Z',
        merchants: [{
          id: 7,
          name: 'My Shop',
          api_keys: [{ key: 'MY-SHOP-KEY-0007', status: 'active' }],
          clients: [{ id: 1, name: 'Only Client', email: 'only@example.com' }],
          fake_clients: { count: 3, first_id: 100, seed: 1, locale: 'en' },
        }],
      }),
    },
  })

  await t.test('serve --port 0 --db X --no-seed: an empty database, /health, SIGTERM', async (t) => {
    const dbPath = join(dir, 'empty.db')
    const server = serve(t, ['--db', dbPath, '--no-seed'])
    const port = await server.ready
    t.equal((await httpGet(port, '/health')).status, 200, 'GET /health → 200')
    t.same(await state(port), { totals: { merchants: 0, api_keys: 0, clients: 0, products: 0, payments: 0, card_tokens: 0, invoices: 0 }, merchants: [] }, '/__admin/state: 0 merchants')
    await stop(t, server, '--no-seed')
    t.same(merchantRows(dbPath), [], 'the file exists and is empty')
  })

  await t.test('serve --host at LOG_LEVEL=warn: the ready line alone says where it listens', async (t) => {
    const server = startCli(t, ['serve', '--port', '0', '--host', '127.0.0.1', '--db', ':memory:'], { LOG_LEVEL: 'warn' }, CHILD_LIMIT_MS)
    while (!server.stdout().includes('\n') && server.running()) await new Promise((resolve) => setTimeout(resolve, 25))
    const ready = JSON.parse(server.stdout().split('\n')[0] ?? '{}') as { level?: number, url?: string, db?: string, msg?: string }
    t.same([ready.level, ready.db, ready.msg?.split(':')[0]], [30, ':memory:', 'fatora-mock ready'], 'one ready line (info, shown at warn)')
    t.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/, `its URL: ${String(ready.url)}`)
    t.equal((await httpGet(Number(new URL(ready.url ?? 'http://x').port), '/health')).status, 200, 'it serves there')
    await stop(t, server, 'serve at warn')
    t.equal(server.stdout().split('\n').filter((l) => l !== '').length, 1, 'nothing else on stdout')
  })

  await t.test('SEED_CLIENTS=50 SEED=3 SEED_LOCALE=ar: added on the first start only', async (t) => {
    const dbPath = join(dir, 'seeded.db')
    const vars = { SEED_CLIENTS: '50', SEED: '3', SEED_LOCALE: 'ar' }
    const first = serve(t, ['--db', dbPath], vars)
    const port = await first.ready
    const s = await state(port)
    t.same(perMerchant(s), [[1, 'Demo Merchant', 42 + 50], [2, 'Doha Trading Co.', 41]], 'the demo merchant has 42 + 50 clients')
    t.equal(s.totals.clients, FIXTURE_CLIENTS + 50)
    const seeded = await httpGet(port, '/v1/clients/2049', { api_key: DEMO_KEY })
    t.equal(seeded.status, 200, 'a seeded client is served to the demo key')
    t.match((JSON.parse(seeded.body) as { client?: { name?: string } }).client?.name, /[\u0621-\u064A]/, 'with an Arabic name')
    await stop(t, first, 'first start')

    const again = serve(t, ['--db', dbPath], vars)
    t.same(perMerchant(await state(await again.ready)), [[1, 'Demo Merchant', 92], [2, 'Doha Trading Co.', 41]], 'a second start on the same file adds nothing')
    t.match(again.stdout(), /using existing database/)
    await stop(t, again, 'second start')

    // One seeding core: the same as `seed --count 50 --seed 3 --locale ar` on a fresh database.
    const cliPath = await freshCopy(join(dir, 'same-as-serve.db'))
    succeeded(t, await cli(['seed', '--count', '50', '--seed', '3', '--locale', 'ar', '--db', cliPath]), 'seed like SEED_CLIENTS')
    t.equal(clientsJson(dbPath), clientsJson(cliPath), 'serve with SEED_* and the seed command give byte-identical rows')
  })

  await t.test('FIXTURES_DIR: only its merchants exist', async (t) => {
    const server = serve(t, ['--db', join(dir, 'mine.db')], { FIXTURES_DIR: join(dir, 'mine') })
    const port = await server.ready
    t.same(await state(port), {
      totals: { merchants: 1, api_keys: 1, clients: 4, products: 0, payments: 0, card_tokens: 0, invoices: 0 },
      merchants: [{ id: 7, name: 'My Shop', clients: 4, products: 0, payments: 0, card_tokens: 0, invoices: 0, api_keys: [{ key: 'MY-SHOP-KEY-0007', status: 'active' }] }],
    }, '/__admin/state: just My Shop, its key and 1 + 3 clients')
    t.equal((await httpGet(port, '/v1/clients/1', { api_key: 'MY-SHOP-KEY-0007' })).status, 200, 'its key reads its client')
    t.equal((await httpGet(port, '/v1/clients/1024', { api_key: DEMO_KEY })).status, 401, 'the default demo key does not exist')
    await stop(t, server, 'FIXTURES_DIR')
  })
})

t.test('merchants and keys', async (t) => {
  const dir = t.testdir({})
  const dbPath = await freshCopy(join(dir, 'keys.db'))
  const run = async (...args: string[]): Promise<Run> => await cli([...args, '--db', dbPath])

  const added = await run('merchants', 'add', 'Acme Trading W.L.L.')
  succeeded(t, added, 'merchants add')
  const m = /^Merchant 3 \(Acme Trading W\.L\.L\.\) created with active key (\S+)\n$/.exec(added.stdout)
  t.ok(m, `prints the merchant id and its key: ${added.stdout.trim()}`)
  const acmeKey = m?.[1] ?? ''
  t.match(acmeKey, UUID, 'the key is an upper-case UUID')
  t.same(merchantRows(dbPath).at(-1), { id: 3, name: 'Acme Trading W.L.L.' })
  t.same(keyRows(dbPath).filter((k) => k.merchant_id === 3), [{ key: acmeKey, merchant_id: 3, status: 'active' }], 'its key is in api_keys, active')
  const viaKey = await run('seed', '--count', '2', '--api-key', acmeKey)
  succeeded(t, viaKey, 'seed --api-key <the new key>')
  t.match(viaKey.stdout, /^Added 2 clients to merchant 3 \(Acme Trading W\.L\.L\.\): ids 2049–2050 /, 'the key works: it names merchant 3')

  const list = await run('merchants', 'list')
  succeeded(t, list, 'merchants list')
  t.equal(list.stdout, [
    'ID\tNAME\tCLIENTS\tPRODUCTS\tPAYMENTS\tCARD_TOKENS\tINVOICES\tKEYS',
    `1\tDemo Merchant\t42\t24\t1\t1\t42\t${DEMO_KEY} (active), ${INACTIVE_KEY} (inactive)`,
    `2\tDoha Trading Co.\t41\t22\t1\t1\t41\t${SECOND_KEY} (active)`,
    `3\tAcme Trading W.L.L.\t2\t0\t0\t0\t0\t${acmeKey} (active)`,
    '',
  ].join('\n'), 'a header like keys list, then one tab-separated line per merchant: id, name, its counts, keys with their status')

  const [random, chosen] = await Promise.all([
    run('keys', 'add', '--merchant', '1'),
    run('keys', 'add', '--merchant', '2', '--inactive', '--key', 'MY-OWN-KEY-1'),
  ])
  succeeded(t, random, 'keys add --merchant 1')
  const randomKey = /^Key (\S+) added to merchant 1 \(active\)\n$/.exec(random.stdout)?.[1] ?? ''
  t.match(randomKey, UUID, `a new upper-case UUID key: ${random.stdout.trim()}`)
  succeeded(t, chosen, 'keys add --inactive --key')
  t.equal(chosen.stdout, 'Key MY-OWN-KEY-1 added to merchant 2 (inactive)\n')
  const keys = keyRows(dbPath)
  t.same(keys.find((k) => k.key === randomKey), { key: randomKey, merchant_id: 1, status: 'active' }, 'the random key is in the database, active')
  t.same(keys.find((k) => k.key === 'MY-OWN-KEY-1'), { key: 'MY-OWN-KEY-1', merchant_id: 2, status: 'inactive' }, 'the chosen key is in the database, inactive')

  const before = dump(dbPath)
  const [again, noMerchant, unknown, listed] = await Promise.all([
    run('keys', 'add', '--merchant', '1', '--key', 'MY-OWN-KEY-1'),
    run('keys', 'add', '--merchant', '99'),
    run('keys', 'deactivate', 'NO-SUCH-KEY'),
    run('keys', 'list'),
  ])
  failed(t, again, 1, 'keys add an existing --key', 'fatora-mock keys: ', 'already exists')
  failed(t, noMerchant, 1, 'keys add --merchant 99', 'fatora-mock keys: ', '99')
  failed(t, unknown, 1, 'keys deactivate unknown', 'fatora-mock keys: ', 'NO-SUCH-KEY')
  t.equal(dump(dbPath), before, 'the failures changed nothing')
  succeeded(t, listed, 'keys list')
  t.equal(listed.stdout, [
    'KEY\tMERCHANT\tSTATUS',
    `${DEMO_KEY}\t1\tactive`,
    `${INACTIVE_KEY}\t1\tinactive`,
    `${randomKey}\t1\tactive`,
    `${SECOND_KEY}\t2\tactive`,
    'MY-OWN-KEY-1\t2\tinactive',
    `${acmeKey}\t3\tactive`,
    '',
  ].join('\n'), 'a header, then one tab-separated line per key, by merchant in insertion order')

  const on = await run('keys', 'activate', 'MY-OWN-KEY-1')
  succeeded(t, on, 'keys activate')
  t.equal(on.stdout, 'Key MY-OWN-KEY-1 of merchant 2 is now active\n')
  t.equal(keyRows(dbPath).find((k) => k.key === 'MY-OWN-KEY-1')?.status, 'active', 'active in the database')
  const off = await run('keys', 'deactivate', DEMO_KEY)
  succeeded(t, off, 'keys deactivate')
  t.equal(off.stdout, `Key ${DEMO_KEY} of merchant 1 is now inactive\n`)
  t.equal(keyRows(dbPath).find((k) => k.key === DEMO_KEY)?.status, 'inactive', 'inactive in the database')
})

t.test('seed', async (t) => {
  const dir = t.testdir({})

  await t.test('into a missing file (and directory): the fixtures, then N clients after the largest id', async (t) => {
    const dbPath = join(dir, 'sub', 'fresh.db')
    // SEED_CLIENTS is for serve: the CLI creating a database does not add them.
    const r = await cli(['seed', '--count', '40', '--seed', '11', '--db', dbPath], { SEED_CLIENTS: '50' })
    succeeded(t, r, 'seed --count 40')
    t.same(readdirSync(join(dir, 'sub')), ['fresh.db'], 'one file: no -wal, -shm or .tmp left behind')
    t.match(r.stdout, /^Added 40 clients to merchant 1 \(Demo Merchant\): ids 2049–2088 in \d+\.\d s \([\d,]+ rows\/s\)\n$/, r.stdout.trim())
    t.equal(clientCount(dbPath, `id < ${FIRST_FREE_ID}`), FIXTURE_CLIENTS, 'the fixtures are there (83 clients)')
    t.equal(clientCount(dbPath), FIXTURE_CLIENTS + 40, '…plus 40 (not plus SEED_CLIENTS)')
    const rows = clientRows(dbPath, `id >= ${FIRST_FREE_ID}`)
    t.same(rows.map((c) => c.id), Array.from({ length: 40 }, (_, i) => FIRST_FREE_ID + i), 'ids 2049–2088')
    t.ok(rows.every((c) => c.merchant_id === 1), 'all of merchant 1')

    // English clients look real.
    for (const c of rows) {
      t.match(c.name, /^[A-Z][A-Za-z'-]+ [A-Z][A-Za-z' -]+$/, `full name: ${c.name}`)
      t.match(c.address, /^\d+ .+, .+$/, `street address: ${c.address}`)
      t.match(c.phone, /^\+1[2-9]\d{2}[2-9]\d{6}$/, `phone: ${c.phone}`)
      t.match(c.email, new RegExp(`^[a-z]+[._]?[a-z]+${c.id}@example\\.(com|net|org)$`), `email from the name, ending in the id: ${c.email}`)
      t.ok(c.email?.startsWith(c.name.toLowerCase().split(' ')[0]?.replace(/[^a-z]/g, '') ?? '?'), `the email starts with the first name: ${c.email}`)
    }
    t.ok(rows.some((c) => c.notes === null) && rows.some((c) => c.notes !== null), 'a short note or null')

    const two = await cli(['seed', '--count', '2', '--merchant', '2', '--db', dbPath])
    succeeded(t, two, 'seed --merchant 2')
    t.match(two.stdout, /^Added 2 clients to merchant 2 \(Doha Trading Co\.\): ids 2089–2090 in /, two.stdout.trim())
    const byKey = await cli(['seed', '--count', '1', '--api-key', SECOND_KEY, '--db', dbPath])
    succeeded(t, byKey, 'seed --api-key')
    t.match(byKey.stdout, /^Added 1 client to merchant 2 \(Doha Trading Co\.\): id 2091 in /, byKey.stdout.trim())
    t.same(clientRows(dbPath, 'id > 2088').map((c) => [c.id, c.merchant_id]), [[2089, 2], [2090, 2], [2091, 2]], 'rows of merchant 2')

    const before = dump(dbPath)
    const [noMerchant, noKey] = await Promise.all([
      cli(['seed', '--count', '2', '--merchant', '99', '--db', dbPath]),
      cli(['seed', '--count', '2', '--api-key', 'NO-SUCH-KEY-1234', '--db', dbPath]),
    ])
    failed(t, noMerchant, 1, 'seed --merchant 99', 'fatora-mock seed: ', '99')
    failed(t, noKey, 1, 'seed --api-key unknown', 'fatora-mock seed: ', '--api-key')
    t.equal(dump(dbPath), before, 'the failures changed nothing')
  })

  await t.test('--locale ar: Arabic names and addresses, Gulf phones', async (t) => {
    const dbPath = await freshCopy(join(dir, 'ar.db'))
    const r = await cli(['seed', '--count', '60', '--seed', '5', '--locale', 'ar', '--db', dbPath])
    succeeded(t, r, 'seed --locale ar')
    t.match(r.stdout, /^Added 60 clients to merchant 1 \(Demo Merchant\): ids 2049–2108 in /)
    const rows = clientRows(dbPath, `id >= ${FIRST_FREE_ID}`)
    t.equal(rows.length, 60)
    // eslint-disable-next-line no-misleading-character-class -- Arabic letters and their combining marks, each a code point on purpose
    const arabicWords = /^[\u0621-\u064A\u064B-\u0652\u0670\u0671]+( [\u0621-\u064A\u064B-\u0652\u0670\u0671]+)+$/
    const countries = new Set<string>()
    for (const c of rows) {
      t.match(c.name, arabicWords, `Arabic full name: ${c.name}`)
      t.match(c.address, /^\d+ [^A-Za-z]*[\u0621-\u064A][^A-Za-z]*$/, `Arabic address: ${c.address}`)
      t.match(c.phone, /^\+(974 [3567]\d{3} \d{4}|971 5[024568] \d{3} \d{4}|966 5\d \d{3} \d{4}|965 [569]\d{3} \d{4}|973 3\d{3} \d{4}|968 9\d{3} \d{4})$/, `Gulf phone: ${c.phone}`)
      countries.add(c.phone?.slice(0, 4) ?? '')
      // An address a person would have: the letters of the name, maybe a separator, the id.
      t.match(c.email, new RegExp(`^[a-z]+[._]?[a-z]+${c.id}@example\\.(com|net|org)$`), `ASCII email from the name (${c.name}), ending in the id: ${c.email}`)
    }
    t.same([...countries].sort(), ['+965', '+966', '+968', '+971', '+973', '+974'], 'all six Gulf countries appear')
  })
})

t.test('reset --yes: back to exactly the fixtures', async (t) => {
  const dir = t.testdir({
    mine: {
      'shop.json': JSON.stringify({
        reference_date: '2025-01-01T00:00:00.000Z',
        merchants: [{ id: 7, name: 'My Shop', api_keys: [{ key: 'MY-SHOP-KEY-0007', status: 'active' }], clients: [{ id: 1, name: 'Only Client' }] }],
      }),
    },
  })
  const dbPath = await freshCopy(join(dir, 'reset.db'))
  // Changes of every kind, made with sqlite: clients added, changed and deleted, a merchant with
  // a key, a key's status.
  const db = new Database(dbPath)
  db.exec(`
    INSERT INTO merchants (id, name) VALUES (5, 'Temporary');
    INSERT INTO api_keys (key, merchant_id, status) VALUES ('TEMP-KEY', 5, 'active');
    INSERT INTO clients (id, merchant_id, name) VALUES (9000, 5, 'Temporary Client'), (9001, 1, 'Another');
    UPDATE clients SET name = 'Changed' WHERE id = 1024;
    DELETE FROM clients WHERE id = 2048;
    UPDATE api_keys SET status = 'inactive' WHERE key = '${DEMO_KEY}';
  `)
  db.close()
  const changed = dump(dbPath)
  t.not(changed, dump(TEMPLATE), 'the database was changed')

  const refused = await cli(['reset', '--db', dbPath])
  failed(t, refused, 2, 'reset without --yes', 'fatora-mock reset: ', '--yes', dbPath)
  t.equal(dump(dbPath), changed, 'reset without --yes changed nothing')

  const r = await cli(['reset', '--yes', '--db', dbPath])
  succeeded(t, r, 'reset --yes')
  t.equal(r.stdout, `Reset ${dbPath} to the fixtures: 2 merchants, 3 keys, ${FIXTURE_CLIENTS} clients, 46 products, 2 payments, 2 card tokens, 83 invoices\n`)
  t.equal(dump(dbPath), dump(TEMPLATE), 'merchants, keys and clients are exactly those of a fresh database')

  const mine = await cli(['reset', '--yes', '--db', dbPath], { FIXTURES_DIR: join(dir, 'mine') })
  succeeded(t, mine, 'reset --yes with FIXTURES_DIR')
  t.same(merchantRows(dbPath), [{ id: 7, name: 'My Shop' }], 'FIXTURES_DIR: only its merchant')
  t.same(keyRows(dbPath), [{ key: 'MY-SHOP-KEY-0007', merchant_id: 7, status: 'active' }])
  t.same(clientRows(dbPath).map((c) => [c.id, c.name]), [[1, 'Only Client']])
})

t.test('determinism: same --seed, --count, --locale and starting database ⇒ byte-identical rows', async (t) => {
  const dir = t.testdir({})
  const path = (name: string): string => join(dir, `${name}.db`)
  const plan: Array<[string, string[]]> = [
    ['en7b', ['--seed', '7', '--count', '3']],
    ['en8', ['--seed', '8', '--count', '3']],
    // Past one generator chunk (10,000 clients), with different batch sizes.
    ['ar42', ['--seed', '42', '--count', '10005', '--locale', 'ar']],
    ['ar42batch', ['--seed', '42', '--count', '10005', '--locale', 'ar', '--batch', '333']],
  ]
  const runs = await Promise.all([
    // One database created by the seed command itself, the others copies of the fresh template.
    cli(['seed', '--seed', '7', '--count', '3', '--db', path('en7a')], {}, false).then((run) => ({ name: 'en7a (a missing file)', run })),
    ...plan.map(async ([name, args]) => ({ name, run: await cli(['seed', ...args, '--db', await freshCopy(path(name))], {}, false) })),
  ])
  for (const { name, run } of runs) succeeded(t, run, name)
  const json = (name: string): string => clientsJson(path(name))

  t.equal(json('en7b'), json('en7a'), '--seed 7 --count 3 on two fresh databases: identical rows')
  t.not(json('en8'), json('en7a'), '--seed 8 gives different rows')
  t.equal(clientCount(path('ar42')), FIXTURE_CLIENTS + 10005)
  t.equal(json('ar42batch'), json('ar42'), 'ar, 10,005 clients: --batch 333 gives the same rows as the default batch')

  // The pinned value: any change to the generator, its pools or faker shows up here.
  const [first] = clientRows(path('en7a'), `id >= ${FIRST_FREE_ID}`)
  t.same(first, {
    id: 2049,
    merchant_id: 1,
    name: 'Imani Bradtke',
    address: '9882 Amos Circle, Osinskifort',
    phone: '+15395205934',
    email: 'imani_bradtke2049@example.net',
    notes: 'Call before delivery',
    created_at: '2023-09-27T12:31:37.511Z',
    updated_at: '2023-12-08T22:42:46.822Z',
  }, 'the first client of --seed 7 --count 3 is pinned')
})

t.test('import FILE.json', async (t) => {
  const merchant = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 11,
    name: 'Second Import',
    api_keys: [{ key: 'IMPORT-KEY-0011', status: 'active' }],
    clients: [{ id: 6001, name: 'Fine Client' }, { id: 6002, name: 'Another Client', email: 'another@example.com' }],
    ...over,
  })
  const file = (merchants: unknown[]): string => JSON.stringify({ reference_date: '2025-01-01T00:00:00.000Z', merchants }, null, 2)
  const dir = t.testdir({
    'good.json': file([{
      id: 10,
      name: 'Imported Merchant',
      api_keys: [{ key: 'IMPORTED-KEY-0010', status: 'active' }],
      clients: [
        { id: 5001, name: 'First Imported', email: 'first@example.com' },
        { id: 5002, name: 'Second Imported', address: null, phone: '+974 5555 0000', notes: 'Imported note', created_at: '2024-01-02T03:04:05.000Z' },
      ],
    }]),
    'wrong-type.json': file([merchant({ clients: [{ id: 6001, name: 'Fine Client' }, { id: '6002', name: 'Id As Text' }] })]),
    // Merchant 0 is fine: it must not be written either.
    'taken-client-id.json': file([merchant(), merchant({ id: 12, api_keys: [], clients: [{ id: 6003, name: 'Fine' }, { id: 1024, name: 'Taken Id' }] })]),
    'taken-key.json': file([merchant({ api_keys: [{ key: 'IMPORT-KEY-0011', status: 'active' }, { key: DEMO_KEY, status: 'active' }] })]),
    'not-json.json': 'id,name\n1,Ann\n',
  })
  const dbPath = join(dir, 'import.db')
  const good = join(dir, 'good.json')

  const r = await cli(['import', good, '--db', dbPath])
  succeeded(t, r, 'import good.json into a missing database')
  t.equal(r.stdout, `Imported ${good}: 1 new merchant, 1 key, 2 clients, 0 products, 0 payments, 0 card tokens, 0 invoices\n`)
  t.same(merchantRows(dbPath), [{ id: 1, name: 'Demo Merchant' }, { id: 2, name: 'Doha Trading Co.' }, { id: 10, name: 'Imported Merchant' }], 'merchant 10 beside the fixtures')
  t.same(keyRows(dbPath).filter((k) => k.merchant_id === 10), [{ key: 'IMPORTED-KEY-0010', merchant_id: 10, status: 'active' }], 'its key')
  t.same(clientRows(dbPath, 'merchant_id = 10'), [
    { id: 5001, merchant_id: 10, name: 'First Imported', address: null, phone: null, email: 'first@example.com', notes: null, created_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z' },
    { id: 5002, merchant_id: 10, name: 'Second Imported', address: null, phone: '+974 5555 0000', email: null, notes: 'Imported note', created_at: '2024-01-02T03:04:05.000Z', updated_at: '2024-01-02T03:04:05.000Z' },
  ], 'its clients, exactly')
  t.equal(clientCount(dbPath), FIXTURE_CLIENTS + 2)

  const before = dump(dbPath)
  const bad: Array<{ name: string, says: Array<string | RegExp> }> = [
    { name: 'wrong-type.json', says: ['/merchants/0/clients/1/id', 'integer'] },
    { name: 'taken-client-id.json', says: ['/merchants/1/clients/1/id', '1024', 'already exists'] },
    { name: 'taken-key.json', says: ['/merchants/0/api_keys/1/key', 'already exists'] },
    { name: 'not-json.json', says: ['not valid JSON'] },
    { name: 'missing.json', says: ['cannot be read'] },
  ]
  const runs = await Promise.all(bad.map(async (b) => ({ ...b, run: await cli(['import', join(dir, b.name), '--db', dbPath], {}, false) })))
  for (const { name, says, run } of runs) {
    await t.test(name, async (t) => {
      failed(t, run, 1, `import ${name}`, 'fatora-mock import: ', join(dir, name), ...says)
    })
  }
  t.equal(dump(dbPath), before, 'no bad file changed the database (not even the valid merchant 0 of taken-client-id.json)')
})

t.test('--db PATH overrides DB_PATH; DB_PATH alone works', async (t) => {
  const dir = t.testdir({})
  const envPath = await freshCopy(join(dir, 'env', 'env.db'))
  const flagPath = await freshCopy(join(dir, 'flag', 'flag.db'))
  const viaFlag = await cli(['merchants', 'add', 'Flag Merchant', '--db', flagPath], { DB_PATH: envPath })
  succeeded(t, viaFlag, '--db with DB_PATH set')
  const viaEnv = await cli(['merchants', 'add', 'Env Merchant'], { DB_PATH: envPath })
  succeeded(t, viaEnv, 'DB_PATH alone')
  t.same(merchantRows(flagPath).map((m) => m.name), ['Demo Merchant', 'Doha Trading Co.', 'Flag Merchant'], 'the --db file got the --db merchant only')
  t.same(merchantRows(envPath).map((m) => m.name), ['Demo Merchant', 'Doha Trading Co.', 'Env Merchant'], 'the DB_PATH file got the DB_PATH merchant only')
})

t.test('a database path that is a text file: exit 1, one line naming it, file unchanged', async (t) => {
  const dir = t.testdir({ 'notes.db': 'hello, this is not a database\n' })
  const dbPath = join(dir, 'notes.db')
  const hash = sha256(dbPath)
  const files = readdirSync(dir).sort()
  const cases = [['seed', '--count', '1'], ['keys', 'list'], ['serve', '--port', '0']]
  const runs = await Promise.all(cases.map(async (args) => ({ args, run: await cli([...args, '--db', dbPath], {}, false) })))
  for (const { args, run } of runs) failed(t, run, 1, show(args), /^fatora-mock/, dbPath, 'not a SQLite database')
  t.equal(sha256(dbPath), hash, 'the file bytes are unchanged')
  t.same(readdirSync(dir).sort(), files, 'no file was added beside it')
})

t.test('openapi [--yaml]: the spec, without a database', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'never.db')
  const [json, yaml] = await Promise.all([cli(['openapi'], { DB_PATH: dbPath }, false), cli(['openapi', '--yaml'], { DB_PATH: dbPath }, false)])
  succeeded(t, json, 'openapi')
  succeeded(t, yaml, 'openapi --yaml')
  const spec = JSON.parse(json.stdout) as { openapi?: unknown, paths?: Record<string, unknown> }
  t.equal(spec.openapi, '3.1.0', 'openapi 3.1.0')
  t.ok(spec.paths?.['/v1/clients/{client_id}'], 'has /v1/clients/{client_id}')
  t.same(parseYaml(yaml.stdout), spec, '--yaml is the same document')
  t.same(readdirSync(dir), [], 'no database file was created')
})

t.test('--help for the program and every command: exit 0, the options, no database', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'never.db')
  const cases: Array<{ args: string[], mentions: string[] }> = [
    { args: ['--help'], mentions: ['Usage: fatora-mock <command>', 'serve', 'seed', 'import', 'reset', 'merchants', 'keys', 'openapi', '--db PATH', '--help', '--version'] },
    { args: ['-h'], mentions: ['Usage: fatora-mock <command>'] },
    { args: ['serve', '--help'], mentions: ['Usage: fatora-mock serve', '--port N', '--host H', '--no-seed', '--db PATH', '-h, --help'] },
    { args: ['seed', '-h'], mentions: ['Usage: fatora-mock seed', '--count N', '--family F', '--merchant ID', '--api-key KEY', '--seed S', '--locale en|ar', '--batch N', '--db PATH'] },
    { args: ['import', '--help'], mentions: ['Usage: fatora-mock import FILE.json', '--db PATH'] },
    { args: ['reset', '--help'], mentions: ['Usage: fatora-mock reset --yes', '--yes', '--db PATH'] },
    { args: ['merchants', '--help'], mentions: ['Usage: fatora-mock merchants add NAME', 'fatora-mock merchants list', '--db PATH'] },
    { args: ['keys', '--help'], mentions: ['Usage: fatora-mock keys add --merchant ID', '--inactive', '--key KEY', 'keys list', 'keys deactivate KEY', 'keys activate KEY', '--db PATH'] },
    { args: ['openapi', '--help'], mentions: ['Usage: fatora-mock openapi', '--yaml', '-h, --help'] },
  ]
  const [version, ...runs] = await Promise.all([
    cli(['--version'], { DB_PATH: dbPath }, false),
    ...cases.map(async (c) => ({ ...c, run: await cli(c.args, { DB_PATH: dbPath }, false) })),
  ])
  for (const { args, mentions, run } of runs) {
    await t.test(show(args), async (t) => {
      succeeded(t, run, show(args))
      for (const m of mentions) t.ok(run.stdout.includes(m), `mentions ${m}`)
      // openapi opens no database: its help offers no --db.
      if (args[0] === 'openapi') t.notOk(run.stdout.includes('--db'), 'no --db')
    })
  }
  succeeded(t, version, '--version')
  t.equal(version.stdout, `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`, '--version prints the package version')
  t.same(readdirSync(dir), [], 'help never creates a database')
})

t.test('bad usage: exit 2, one stderr line naming the problem, no database', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'never.db')
  const cases: Array<{ args: string[], prefix: string, says: Array<string | RegExp> }> = [
    { args: ['bogus'], prefix: 'fatora-mock', says: ['unknown command "bogus"', 'fatora-mock --help'] },
    { args: ['seed', '--count', '3', '--bogus'], prefix: 'fatora-mock seed', says: ["Unknown option '--bogus'", 'fatora-mock seed --help'] },
    { args: ['seed'], prefix: 'fatora-mock seed', says: ['--count is required'] },
    { args: ['seed', '--count', 'abc'], prefix: 'fatora-mock seed', says: ['--count must be an integer'] },
    { args: ['seed', '--count', '0'], prefix: 'fatora-mock seed', says: ['--count must be an integer from 1'] },
    { args: ['seed', '--count', '3', '--locale', 'fr'], prefix: 'fatora-mock seed', says: ['--locale must be en or ar'] },
    { args: ['seed', '--count', '3', '--family', 'refunds'], prefix: 'fatora-mock seed', says: ['--family must be clients, products or invoices'] },
    { args: ['seed', '--count', '3', '--merchant', 'x'], prefix: 'fatora-mock seed', says: ['--merchant must be an integer'] },
    { args: ['seed', '--count', '3', '--merchant', '1', '--api-key', SECOND_KEY], prefix: 'fatora-mock seed', says: ['--merchant', '--api-key', 'not both'] },
    { args: ['seed', '--count', '3', 'extra'], prefix: 'fatora-mock seed', says: ['unexpected argument "extra"'] },
    { args: ['reset'], prefix: 'fatora-mock reset', says: ['--yes', dbPath] },
    { args: ['import'], prefix: 'fatora-mock import', says: ['FILE'] },
    { args: ['keys', 'add'], prefix: 'fatora-mock keys', says: ['--merchant'] },
    { args: ['merchants', 'frobnicate'], prefix: 'fatora-mock merchants', says: ['unknown action "frobnicate"'] },
    // serve's flags are npm start's (test/server-ready.test.ts): the same checks.
    { args: ['serve', '--port', 'abc'], prefix: 'fatora-mock serve', says: ['--port must be an integer from 0 to 65,535'] },
    { args: ['serve', '--port', '65536'], prefix: 'fatora-mock serve', says: ['--port must be an integer from 0 to 65,535'] },
    { args: ['serve', '--port'], prefix: 'fatora-mock serve', says: ["Option '--port <value>' argument missing"] },
    { args: ['serve', '--host', ''], prefix: 'fatora-mock serve', says: ['--host must not be empty'] },
    { args: ['serve', '--db', ''], prefix: 'fatora-mock serve', says: ['--db must not be empty'] },
    { args: ['serve', '--bogus'], prefix: 'fatora-mock serve', says: ["Unknown option '--bogus'", 'fatora-mock serve --help'] },
    { args: ['serve', '-p', '4000'], prefix: 'fatora-mock serve', says: ["Unknown option '-p'"] },
    { args: ['serve', '4000'], prefix: 'fatora-mock serve', says: ['unexpected argument "4000"'] },
    { args: ['serve', '--no-seed=yes'], prefix: 'fatora-mock serve', says: ["Option '--no-seed' does not take an argument"] },
    // openapi opens no database, so it takes no --db.
    { args: ['openapi', '--db', 'x.db'], prefix: 'fatora-mock openapi', says: ["Unknown option '--db'", 'fatora-mock openapi --help'] },
  ]
  const [none, ...runs] = await Promise.all([
    cli([], { DB_PATH: dbPath }, false),
    ...cases.map(async (c) => ({ ...c, run: await cli(c.args, { DB_PATH: dbPath }, false) })),
  ])
  t.equal(none.code, 2, 'no command: exit 2')
  t.match(none.stdout + none.stderr, /Usage: fatora-mock <command>/, 'no command: prints the usage')
  for (const { args, prefix, says, run } of runs) {
    await t.test(show(args), async (t) => {
      failed(t, run, 2, show(args), ...says)
      t.ok(run.stderr.startsWith(`${prefix}: `), `stderr starts with "${prefix}: "`)
    })
  }
  t.same(readdirSync(dir), [], 'bad usage never creates a database')
})
