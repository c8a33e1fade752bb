// The hot path's memoised reads (src/db/read-cache.ts) never serve stale data: our own
// writes clear them at once, and another process's writes to the same file (the CLI, sqlite3)
// are seen through SQLite's data_version on the next event-loop turn.
import t from 'tap'
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, buildWithDb, CLIENT_1024, DEMO_KEY, failure, fixturesDb } from '../helper.js'

const nextTurn = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

t.test('writes by another connection to the same file are seen: keys, clients, deletions', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fatora-cache-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const file = join(dir, 'shared.db')
  const { app } = await buildWithDb(t, {}, fixturesDb(file))
  const other = new Database(file)
  t.teardown(() => { other.close() })
  const get = async (id: number, key = DEMO_KEY): Promise<{ status: number, json: unknown }> => {
    await nextTurn()
    const res = await app.inject({ url: `/v1/clients/${id}`, headers: { api_key: key } })
    return { status: res.statusCode, json: res.json() }
  }

  // Warm every cache: the key, a client, a missing client, an unknown key.
  t.same(await get(1024), { status: 200, json: { status: 'SUCCESS', client: CLIENT_1024 } })
  t.equal((await get(999_999)).status, 404)
  t.equal((await get(1024, 'LATER-ADDED-KEY-0001')).status, 401)

  other.prepare("UPDATE clients SET name = 'Renamed Elsewhere' WHERE id = 1024").run()
  t.same(await get(1024), { status: 200, json: { status: 'SUCCESS', client: { ...CLIENT_1024, name: 'Renamed Elsewhere' } } }, 'an updated row')
  other.prepare("INSERT INTO clients (id, merchant_id, name, created_at, updated_at) VALUES (999999, 1, 'New Elsewhere', 'x', 'x')").run()
  t.equal((await get(999_999)).status, 200, 'a row that was missing')
  other.prepare("INSERT INTO api_keys (key, merchant_id, status) VALUES ('LATER-ADDED-KEY-0001', 1, 'active')").run()
  t.equal((await get(1024, 'LATER-ADDED-KEY-0001')).status, 200, 'a key that was unknown')
  other.prepare("UPDATE api_keys SET status = 'inactive' WHERE key = ?").run(DEMO_KEY)
  t.same(await get(1024), { status: 403, json: failure(403, 'Merchant API key is inactive') }, 'a key deactivated elsewhere')
  other.prepare('DELETE FROM clients WHERE id = 1024').run()
  t.same(await get(1024, 'LATER-ADDED-KEY-0001'), { status: 404, json: failure(404, 'Client not found') }, 'a row deleted elsewhere')
})

t.test('our own writes are seen by the very next request, without waiting a turn', async (t) => {
  const app = await build(t)
  const headers = { api_key: DEMO_KEY, 'content-type': 'application/json' }
  t.equal((await app.inject({ url: '/v1/clients/1024', headers })).statusCode, 200)
  const put = await app.inject({ method: 'PUT', url: '/v1/clients/1024', headers, payload: { name: 'Updated Here' } })
  t.equal(put.statusCode, 200)
  t.equal((await app.inject({ url: '/v1/clients/1024', headers })).json().client.name, 'Updated Here')
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/clients/1024', headers })).statusCode, 204)
  t.equal((await app.inject({ url: '/v1/clients/1024', headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200)
  t.equal((await app.inject({ url: '/v1/clients/1024', headers })).statusCode, 200, 'reset brings it back')
  const patch = await app.inject({ method: 'PATCH', url: `/__admin/api-keys/${DEMO_KEY}`, payload: { status: 'inactive' } })
  t.equal(patch.statusCode, 200)
  t.equal((await app.inject({ url: '/v1/clients/1024', headers })).statusCode, 403)
})

t.test('a flood of random keys and ids keeps answering correctly (the caches are bounded)', async (t) => {
  const app = await build(t)
  let wrong = 0
  for (let i = 0; i < 25_000; i++) {
    const res = await app.inject({ url: `/v1/clients/${i % 3 === 0 ? 1024 : 100_000 + i}`, headers: { api_key: i % 2 === 0 ? DEMO_KEY : `RANDOM-KEY-${i}` } })
    const expected = i % 2 === 1 ? 401 : i % 3 === 0 ? 200 : 404
    if (res.statusCode !== expected) wrong++
  }
  t.equal(wrong, 0, 'every answer as without a cache')
})
