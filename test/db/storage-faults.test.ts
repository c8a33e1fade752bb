// Storage faults while serving: the database file deleted, replaced, made read-only,
// locked by another process, or full. Requests get the 503 envelope — never a crash, a hang or a
// 500 — reads go on where they can, and service comes back with the file. The real server
// (startServer, with its file watchdog) runs in-process on a temp file.
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { chmodSync, copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/open.js'
import { createStores } from '../../src/db/stores.js'
import { loadFixtures } from '../../src/seed/fixtures.js'
import { seedFixtures } from '../../src/seed/seed.js'
import { startServer } from '../../src/server.js'
import { buildWithDb, CLIENT_1024, DEMO_KEY, failure } from '../helper.js'

const UNAVAILABLE = failure(503, 'Storage unavailable')
const OK_1024 = { status: 'SUCCESS', client: CLIENT_1024 }

async function serve (t: Test, prepare?: (file: string) => void): Promise<{ base: string, file: string, dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fatora-storage-'))
  const file = join(dir, 'mock.db')
  // Created (with the fixtures) by a first start, as a user's first `npm start` would.
  openDatabase(file, { onCreate: (fresh) => { seedFixtures(createStores(fresh), loadFixtures()) } }).db.close()
  prepare?.(file)
  const { app, url } = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DB_PATH: file, LOG_LEVEL: 'silent' }))
  t.teardown(async () => {
    await app.close()
    try { chmodSync(file, 0o644) } catch {}
    rmSync(dir, { recursive: true, force: true })
  })
  return { base: url, file, dir }
}

interface Answer { status: number, json: unknown }
const call = async (base: string, method: string, path: string, body?: object): Promise<Answer> => {
  const res = await fetch(base + path, {
    method,
    headers: { api_key: DEMO_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, json: text === '' ? null : JSON.parse(text) }
}
const get1024 = async (base: string): Promise<Answer> => await call(base, 'GET', '/v1/clients/1024')
let n = 0
const create = async (base: string): Promise<Answer> => await call(base, 'POST', '/v1/clients', { name: `Storage Test ${++n}`, email: `storage${n}@example.com` })
const health = async (base: string): Promise<number> => (await fetch(`${base}/health`)).status

/** Polls until `check` is true (the watchdog looks every 0.5 s): at most 5 s. */
async function until (what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting until ${what}`)
}

t.test('the file deleted (moved away) → 503 on every route, /health 503; moved back → served again', async (t) => {
  const { base, file, dir } = await serve(t)
  t.same(await get1024(base), { status: 200, json: OK_1024 })
  renameSync(file, join(dir, 'away.db'))
  await until('the watchdog notices', async () => (await health(base)) === 503)
  t.same(await get1024(base), { status: 503, json: UNAVAILABLE }, 'read')
  t.same(await create(base), { status: 503, json: UNAVAILABLE }, 'write')
  t.same(await call(base, 'GET', '/v1/clients'), { status: 503, json: UNAVAILABLE }, 'list')
  t.equal((await call(base, 'POST', '/__admin/seed', { count: 5 })).status, 503, 'admin write')
  renameSync(join(dir, 'away.db'), file)
  await until('the file is back', async () => (await health(base)) === 200)
  t.same(await get1024(base), { status: 200, json: OK_1024 })
  t.equal((await create(base)).status, 201)
})

t.test('the file replaced by something else → 503; by a fatora-mock database → that one is served', async (t) => {
  const { base, file, dir } = await serve(t)
  const copy = join(dir, 'copy.db')
  copyFileSync(file, copy)
  const other = new Database(copy)
  other.prepare("UPDATE clients SET name = 'From The Copy' WHERE id = 1024").run()
  other.close()
  // Writes sitting in the old database's WAL must never leak into the file that replaces it.
  let created = 0
  for (let i = 0; i < 300; i++) if ((await create(base)).status === 201) created++
  t.equal(created, 300, '300 clients written to the old file (in its WAL)')
  writeFileSync(join(dir, 'junk'), 'not a database at all')
  renameSync(join(dir, 'junk'), file)
  await until('the junk file is refused', async () => (await health(base)) === 503)
  t.same(await get1024(base), { status: 503, json: UNAVAILABLE })
  t.ok((await import('node:fs')).readFileSync(file, 'utf8').startsWith('not a database'), 'the junk file is left as it is')
  renameSync(copy, file)
  await until('the copy is served', async () => (await health(base)) === 200)
  t.same(await get1024(base), { status: 200, json: { status: 'SUCCESS', client: { ...CLIENT_1024, name: 'From The Copy' } } })
  const list = await call(base, 'GET', '/v1/clients?page_size=1')
  t.equal((list.json as { total: number }).total, 42, "the copy's clients only: none of the old file's 300 new ones")
  t.equal((await create(base)).status, 201, 'and written to')
  const check = new Database(file, { readonly: true })
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok', 'the new file is intact')
  check.close()
})

t.test('the file made read-only while serving → reads served, writes 503; writable again → writes work', async (t) => {
  const { base, file } = await serve(t)
  chmodSync(file, 0o444)
  await until('writes are refused', async () => (await create(base)).status === 503)
  t.same(await get1024(base), { status: 200, json: OK_1024 })
  t.same(await create(base), { status: 503, json: UNAVAILABLE })
  t.same(await call(base, 'DELETE', '/v1/clients/1025'), { status: 503, json: UNAVAILABLE })
  t.equal(await health(base), 200, 'healthy: it still answers')
  chmodSync(file, 0o644)
  await until('writes work again', async () => (await create(base)).status === 201)
})

t.test('a database that is read-only from the start (a read-only mount) serves reads and refuses writes', async (t) => {
  const { base } = await serve(t, (file) => { chmodSync(file, 0o444) })
  t.same(await get1024(base), { status: 200, json: OK_1024 })
  t.equal((await call(base, 'GET', '/v1/clients?page_size=5')).status, 200)
  t.same(await create(base), { status: 503, json: UNAVAILABLE })
  t.same(await call(base, 'PUT', '/v1/clients/1024', { name: 'x' }), { status: 503, json: UNAVAILABLE })
  t.equal((await call(base, 'POST', '/__admin/reset')).status, 503)
  t.equal(await health(base), 200)
})

t.test('locked by another process: writes answer 503 within about a second, reads go on; unlocked → writes work', async (t) => {
  const { base, file } = await serve(t)
  const locker = new Database(file)
  t.teardown(() => { if (locker.open) locker.close() })
  locker.exec('BEGIN IMMEDIATE')
  const started = performance.now()
  t.same(await create(base), { status: 503, json: UNAVAILABLE })
  const waited = performance.now() - started
  t.ok(waited < 5000, `no hang: answered after ${Math.round(waited)} ms`)
  t.same(await get1024(base), { status: 200, json: OK_1024 }, 'WAL: readers are not blocked')
  locker.exec('ROLLBACK')
  t.equal((await create(base)).status, 201)
})

t.test('disk full during a seed: 503, no partial batch, the database stays consistent and serving', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fatora-full-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const file = join(dir, 'full.db')
  const { db } = openDatabase(file, { onCreate: (fresh) => { seedFixtures(createStores(fresh), loadFixtures()) } })
  // A tiny size limit stands in for a full disk: SQLITE_FULL on the write that crosses it.
  const pages = db.pragma('page_count', { simple: true }) as number
  db.pragma(`max_page_count = ${pages + 20}`)
  const { app } = await buildWithDb(t, {}, db)
  const before = (db.prepare('SELECT COUNT(*) AS n FROM clients').get() as { n: number }).n
  const res = await app.inject({ method: 'POST', url: '/__admin/seed', payload: { count: 20000, batch: 500 } })
  t.same({ status: res.statusCode, json: res.json() }, { status: 503, json: UNAVAILABLE })
  const after = (db.prepare('SELECT COUNT(*) AS n FROM clients').get() as { n: number }).n
  t.equal((after - before) % 500, 0, `whole batches only (${after - before} clients added before the disk filled)`)
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok')
  const get = await app.inject({ url: '/v1/clients/1024', headers: { api_key: DEMO_KEY } })
  t.same(get.json(), OK_1024, 'reads go on')
  const write = await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: DEMO_KEY }, payload: { name: 'One More', notes: 'x'.repeat(2000) } })
  t.ok(write.statusCode === 201 || write.statusCode === 503, `a small write either fits or is a 503 (${write.statusCode})`)
})
