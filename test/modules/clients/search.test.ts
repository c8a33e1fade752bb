// Keyword searches and totals are kept in memory and follow writes (db/search-counts.ts): every
// answer of GET /v1/clients must stay exactly what SQLite's LIKE gives on the rows as they are
// now — after writes through the API, writes beside it (another connection's stores, raw SQL,
// a cascade, a reset), rolled-back transactions and bulk seeds. The oracle is a fresh LIKE query.
import t from 'tap'
import { likeContains, likeFold } from '../../../src/db/like.js'
import { createStores } from '../../../src/db/stores.js'
import { seedClients } from '../../../src/modules/clients/seed.js'
import { DEMO_KEY, SECOND_KEY, buildWithDb } from '../../helper.js'

// Values SQLite's LIKE treats specially: ASCII-only case folding, %, _ and \ literal, a NUL
// (LIKE stops at it), non-ASCII letters in both cases, Arabic, a lone surrogate.
const TRICKY = [
  'ÉCOLE Normale', 'école normale', 'Ecole', 'JOHN Smith', 'john smith', 'Jöhn', '50% off_sale', '50 percent',
  'back\\slash', 'under_score', 'underXscore', 'محمد العلي', 'مُحَمَّد', 'a\u0000hidden', 'K\u212Aelvin', 'straße STRASSE',
  'x', 'ab', 'AB', '\uD83D\uDE00 smile', 'lone \uD800 surrogate', 'Ǆ dz', 'İstanbul', 'ı dotless',
]
const KEYWORDS = [
  'a', 'A', 'ab', 'AB', 'é', 'É', 'école', 'ÉCOLE', 'ecole', 'john', 'JOHN', 'jöhn', 'JÖHN', '%', '_', '\\', '50%', '%o', '_s', 'r_s',
  'k\\s', 'back\\', 'محمد', 'مح', 'hidden', '\u0000', 'kelvin', 'KELVIN', 'straße', 'STRASSE', '\uD83D\uDE00', '\uD800', '\uFFFD',
  'dz', 'Ǆ', 'istanbul', 'i', 'I', 'example.com', 'EXAMPLE', ' ', '0', 'x'.repeat(200), 'no-such-keyword-at-all', 'Client',
]

t.test('likeContains is exactly SQLite LIKE', async (t) => {
  const { db } = await buildWithDb(t)
  const like = db.prepare<[string, string], number>("SELECT ? LIKE ? ESCAPE '\\'").pluck()
  let checked = 0
  for (const value of [...TRICKY, '', 'plain']) {
    for (const keyword of [...KEYWORDS, '']) {
      if (keyword.includes('\0')) continue // the API refuses it; LIKE's pattern would stop there
      const sql = like.get(value, `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) === 1
      t.equal(likeContains(value, likeFold(keyword)), sql, `${JSON.stringify(value)} LIKE ${JSON.stringify(keyword)}`)
      checked++
    }
  }
  t.equal(likeContains(null, ''), false, 'NULL never matches')
  t.ok(checked > 1000)
})

t.test('kept searches answer as a fresh LIKE does, through writes of every kind', async (t) => {
  const { app, db } = await buildWithDb(t)
  const beside = createStores(db) // another set of stores on the same file: writes the app's caches never see
  const oracle = db.prepare<{ m: number, kw: string | null }, number>(`SELECT id FROM clients WHERE merchant_id = @m AND (@kw IS NULL OR
    name LIKE @kw ESCAPE '\\' OR email LIKE @kw ESCAPE '\\' OR phone LIKE @kw ESCAPE '\\' OR address LIKE @kw ESCAPE '\\') ORDER BY id`).pluck()
  const keys: Record<number, string> = { 1: DEMO_KEY, 2: SECOND_KEY }

  let compared = 0
  async function compare (label: string, merchants: number[] = [1, 2]): Promise<void> {
    for (const m of merchants) {
      for (const keyword of [undefined, ...KEYWORDS.filter((k) => !k.includes('\0'))]) {
        const want = oracle.all({ m, kw: keyword === undefined ? null : `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%` })
        for (const [page, size] of [[1, 100], [1, 2], [2, 2], [3, 1], [50, 100]] as const) {
          const qs = new URLSearchParams({ page: String(page), page_size: String(size), ...(keyword === undefined ? {} : { keyword }) })
          const res = await app.inject({ url: `/v1/clients?${qs.toString()}`, headers: { api_key: keys[m] as string } })
          const body = res.json<{ clients: Array<{ id: number }>, total: number }>()
          const got = { ids: body.clients.map((c) => c.id), total: body.total }
          const expected = { ids: want.slice((page - 1) * size, page * size), total: want.length }
          if (got.total !== expected.total || got.ids.join() !== expected.ids.join()) {
            t.same(got, expected, `${label}: merchant ${m}, keyword ${JSON.stringify(keyword)}, page ${page} of ${size}`)
          }
          compared++
        }
      }
    }
    t.pass(`${label}: every search as LIKE says`)
  }

  const post = async (m: number, body: object): Promise<number> => {
    const res = await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: keys[m] as string }, payload: body })
    t.equal(res.statusCode, 201, `created ${JSON.stringify(body)}`)
    return res.json<{ client: { id: number } }>().client.id
  }
  const ids: number[] = []
  for (const [i, text] of TRICKY.entries()) {
    ids.push(await post(1 + (i % 2), { name: text, address: i % 3 === 0 ? text : null, phone: i % 4 === 0 ? `+974 555 ${i}` : null, email: `c${i}@example.com` }))
  }
  await compare('fresh') // fills the kept results
  await compare('again, from what is kept')

  // An update moving a row into and out of matches; a delete; one in the other merchant.
  const first = ids[0] as number
  let res = await app.inject({ method: 'PUT', url: `/v1/clients/${first}`, headers: { api_key: DEMO_KEY }, payload: { name: 'john AB straße', email: 'moved@EXAMPLE.org' } })
  t.equal(res.statusCode, 200)
  await compare('after an update')
  res = await app.inject({ method: 'DELETE', url: `/v1/clients/${ids[2] as number}`, headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 204)
  res = await app.inject({ method: 'DELETE', url: `/v1/clients/${ids[1] as number}`, headers: { api_key: SECOND_KEY } })
  t.equal(res.statusCode, 204)
  await compare('after deletes')

  // Writes beside the app: another set of stores, raw SQL, a rolled-back transaction.
  beside.clients.create({ merchantId: 1, name: 'Beside JOHN', address: null, phone: null, email: null, notes: null })
  await compare('after a write by other stores')
  db.prepare("UPDATE clients SET name = 'raw école' WHERE id = ?").run(ids[4] as number)
  await compare('after raw SQL')
  t.throws(() => beside.transaction(() => {
    beside.clients.insert({ id: 900_001, merchantId: 1, name: 'rolled back john', address: null, phone: null, email: null, notes: null, createdAt: 'x', updatedAt: 'x' })
    throw new Error('roll back')
  }), /roll back/)
  await compare('after a rolled-back transaction')
  // Stores whose own kept results moved inside a transaction that then rolled back.
  const besideTotal = (): number => beside.clients.list({ merchantId: 1, keyword: 'john', limit: 1, offset: 0 }).total
  const kept = besideTotal()
  t.throws(() => beside.transaction(() => {
    beside.clients.insert({ id: 900_002, merchantId: 1, name: 'rolled back John', address: null, phone: null, email: null, notes: null, createdAt: 'x', updatedAt: 'x' })
    t.equal(besideTotal(), kept + 1, 'inside the transaction: its own write counts')
    throw new Error('roll back')
  }), /roll back/)
  t.equal(besideTotal(), kept, 'rolled back: the kept total is not used')
  await post(1, { name: 'after rollback john', email: 'ar@example.com' })
  t.equal(besideTotal(), kept + 1, 'a write after the rollback, by other stores')
  await compare('after a write following the rollback')

  // Seeds: small (triggers on, in batches) and bulk (triggers dropped, then back with a new nonce).
  seedClients(beside, { merchantId: 1, count: 300, seed: 7, locale: 'en', batch: 70 })
  await compare('after a small seed beside', [1])
  seedClients(beside, { merchantId: 2, count: 20_000, seed: 8, locale: 'ar', batch: 5_000 })
  await compare('after a bulk seed beside', [2])
  await post(2, { name: 'محمد after bulk', email: 'mab@example.com' })
  await compare('after a write following the bulk seed', [2])

  // A cascade: deleting merchant 2 removes its clients without any client statement.
  db.prepare('DELETE FROM merchants WHERE id = 2').run()
  await compare('after a cascade', [1])
  t.ok(compared > 4000, `${compared} pages compared`)

  // Kept results are really used: a change hidden from the nonce (put back by hand) is not seen.
  const total = async (): Promise<number> => (await app.inject({ url: '/v1/clients?keyword=hidden-change', headers: { api_key: DEMO_KEY } })).json<{ total: number }>().total
  t.equal(await total(), 0)
  const nonce = db.prepare<[], bigint>("SELECT nonce FROM search_state WHERE family = 'clients'").pluck().safeIntegers()
  const was = nonce.get() as bigint
  db.prepare("INSERT INTO clients (merchant_id, name) VALUES (1, 'hidden-change')").run()
  db.prepare<[bigint]>("UPDATE search_state SET nonce = ? WHERE family = 'clients'").run(was)
  t.equal(await total(), 0, 'the kept total')
  db.prepare("UPDATE search_state SET nonce = random() WHERE family = 'clients'").run()
  t.equal(await total(), 1, 'counted again once the nonce moved')
})

t.test('a bulk seed that died halfway leaves searches exact, and the next start brings the triggers back', async (t) => {
  const { app, db } = await buildWithDb(t)
  const triggers = (): number => db.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'clients_search_%'").pluck().get() as number
  const search = async (): Promise<unknown> => (await app.inject({ url: '/v1/clients?keyword=john&page_size=1', headers: { api_key: DEMO_KEY } })).json<{ total: number }>().total
  const before = await search()
  // As a bulk seed leaves the file when killed between its batches.
  db.exec('DROP TRIGGER clients_search_insert; DROP TRIGGER clients_search_delete; DROP TRIGGER clients_search_update')
  db.prepare("INSERT INTO clients (merchant_id, name) VALUES (1, 'John Halfway')").run()
  t.equal(await search(), (before as number) + 1, 'counted without the triggers: scanned')
  createStores(db) // what the next start does
  t.equal(triggers(), 3, 'the triggers are back')
  db.prepare("INSERT INTO clients (merchant_id, name) VALUES (1, 'John After')").run()
  t.equal(await search(), (before as number) + 2)
})

t.test('seeds move the kept results exactly: over HTTP (triggers on, batch by batch) and in bulk (dropped)', async (t) => {
  const { app, db } = await buildWithDb(t)
  const oracle = db.prepare<{ kw: string }, number>(`SELECT id FROM clients WHERE merchant_id = 1 AND (
    name LIKE @kw ESCAPE '\\' OR email LIKE @kw ESCAPE '\\' OR phone LIKE @kw ESCAPE '\\' OR address LIKE @kw ESCAPE '\\') ORDER BY id`).pluck()
  const search = async (keyword: string, page = 1): Promise<{ ids: number[], total: number }> => {
    const res = await app.inject({ url: `/v1/clients?${new URLSearchParams({ keyword, page: String(page), page_size: '100' }).toString()}`, headers: { api_key: DEMO_KEY } })
    const body = res.json<{ clients: Array<{ id: number }>, total: number }>()
    return { ids: body.clients.map((c) => c.id), total: body.total }
  }
  const words = ['john', 'example.com', 'street', 'LLC', 'no-such-keyword-at-all', 'a']
  const compare = async (label: string): Promise<void> => {
    for (const kw of words) {
      const want = oracle.all({ kw: `%${kw}%` })
      for (const page of [1, 2, Math.max(1, Math.ceil(want.length / 100))]) {
        t.same(await search(kw, page), { ids: want.slice((page - 1) * 100, page * 100), total: want.length }, `${label}: ${kw}, page ${page}`)
      }
    }
  }
  await compare('before') // fills the kept results
  // A write hidden from the nonce (put back by hand) shows whether the kept results were used.
  const nonce = db.prepare<[], bigint>("SELECT nonce FROM search_state WHERE family = 'clients'").pluck().safeIntegers()
  const hide = (name: string): void => {
    const was = nonce.get() as bigint
    db.prepare<[string]>('INSERT INTO clients (merchant_id, name) VALUES (1, ?)').run(name)
    db.prepare<[bigint]>("UPDATE search_state SET nonce = ? WHERE family = 'clients'").run(was)
  }

  let res = await app.inject({ method: 'POST', url: '/__admin/seed', payload: { count: 1_500, seed: 4, batch: 70 } })
  t.equal(res.statusCode, 201)
  await compare('after a seed over HTTP')
  const johns = (await search('john')).total
  hide('hidden john')
  t.equal((await search('john')).total, johns, 'the seed moved the kept results (a hidden write is not seen): not dropped')
  db.prepare("DELETE FROM clients WHERE name = 'hidden john'").run() // and the nonce moves: counted again
  await compare('after the hidden row went')
  // A write beside the app, then a seed: the batch's "before" nonce is not the kept one, so dropped.
  db.prepare("INSERT INTO clients (merchant_id, name) VALUES (1, 'raw john street')").run()
  res = await app.inject({ method: 'POST', url: '/__admin/seed', payload: { count: 200, seed: 9 } })
  t.equal(res.statusCode, 201)
  await compare('after a write beside, then a seed over HTTP')

  // A bulk seed (the CLI's, 20,000 or more) drops the triggers: what was kept is dropped, then right again.
  const { seedClients } = await import('../../../src/modules/clients/seed.js')
  seedClients(createStores(db), { merchantId: 1, count: 20_000, seed: 5, locale: 'en' })
  await compare('after a bulk seed beside')

  // Meanwhile: a seed over HTTP yields between its batches, and searches answered then are exact.
  let seeded = false
  const seeding = app.inject({ method: 'POST', url: '/__admin/seed', payload: { count: 5_000, seed: 6, batch: 50 } }).then((r) => { seeded = true; return r })
  await new Promise((resolve) => setImmediate(resolve))
  const during = await search('john')
  t.equal(seeded, false, 'a search is answered while the seed runs')
  t.equal(during.total, oracle.all({ kw: '%john%' }).length, 'and its total is the rows written so far')
  res = await seeding
  t.equal(res.statusCode, 201)
  await compare('after a seed with searches in between')
})
