// Invoice keyword searches and totals are kept in memory and follow writes (db/search-counts.ts),
// as clients' (test/modules/clients/search.test.ts): every answer of GET /v1/invoices?keyword=
// must stay what a fresh LIKE gives, through writes of the API, writes beside it and bulk seeds.
import t from 'tap'
import { createStores } from '../../../src/db/stores.js'
import { seedInvoices } from '../../../src/modules/invoices/seed.js'
import { DEMO_KEY, SECOND_KEY, buildWithDb } from '../../helper.js'

const TEXTS = ['ÉCOLE Normale', 'école', 'JOHN Smith', '50% off_sale', 'back\\slash', 'محمد العلي', 'a\u0000hidden', 'K\u212Aelvin', 'ab', 'AB']
const KEYWORDS = ['a', 'ab', 'AB', 'é', 'É', 'école', 'john', 'JOHN', '%', '_', '\\', '50%', 'محمد', 'hidden', 'kelvin', 'inv', 'INV-0', 'example', 'x'.repeat(200), 'quick']

t.test('kept invoice searches answer as a fresh LIKE does, through writes', async (t) => {
  const { app, db } = await buildWithDb(t)
  const beside = createStores(db)
  const oracle = db.prepare<{ m: number, kw: string | null }, number>(`SELECT id FROM invoices WHERE merchant_id = @m AND (@kw IS NULL OR
    number LIKE @kw ESCAPE '\\' OR title LIKE @kw ESCAPE '\\' OR description LIKE @kw ESCAPE '\\' OR client_name LIKE @kw ESCAPE '\\'
    OR client_email LIKE @kw ESCAPE '\\') ORDER BY id`).pluck()
  const keys: Record<number, string> = { 1: DEMO_KEY, 2: SECOND_KEY }
  async function compare (label: string): Promise<void> {
    for (const m of [1, 2]) {
      for (const keyword of [undefined, ...KEYWORDS]) {
        const want = oracle.all({ m, kw: keyword === undefined ? null : `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%` })
        for (const [page, size] of [[1, 100], [1, 2], [2, 2], [40, 100]] as const) {
          const qs = new URLSearchParams({ page: String(page), page_size: String(size), ...(keyword === undefined ? {} : { keyword }) })
          const body = (await app.inject({ url: `/v1/invoices?${qs.toString()}`, headers: { api_key: keys[m] as string } })).json<{ invoices: Array<{ id: number }>, total: number }>()
          const got = { ids: body.invoices.map((i) => i.id), total: body.total }
          const expected = { ids: want.slice((page - 1) * size, page * size), total: want.length }
          if (got.total !== expected.total || got.ids.join() !== expected.ids.join()) t.same(got, expected, `${label}: merchant ${m}, ${JSON.stringify(keyword)}, page ${page} of ${size}`)
        }
      }
    }
    t.pass(`${label}: every search as LIKE says`)
  }
  const ids: number[] = []
  for (const [i, text] of TEXTS.entries()) {
    const res = await app.inject({ method: 'POST', url: '/v1/invoices', headers: { api_key: keys[1 + (i % 2)] as string }, payload: { amount: 10, description: text, client: { name: `${text} client`, email: `c${i}@example.com` } } })
    t.equal(res.statusCode, 201, res.body)
    ids.push(res.json<{ invoice: { id: number } }>().invoice.id)
  }
  await compare('fresh')
  await compare('from what is kept')
  let res = await app.inject({ method: 'PUT', url: `/v1/invoices/${ids[0] as number}`, headers: { api_key: DEMO_KEY }, payload: { amount: 5, description: 'now john AB' } })
  t.equal(res.statusCode, 200, res.body)
  res = await app.inject({ method: 'DELETE', url: `/v1/invoices/${ids[2] as number}`, headers: { api_key: DEMO_KEY } })
  t.equal(res.statusCode, 204, res.body)
  await compare('after an update and a delete')
  db.prepare("UPDATE invoices SET title = 'raw JOHN' WHERE id = ?").run(ids[4] as number)
  await compare('after raw SQL')
  seedInvoices(beside, { merchantId: 2, count: 500, seed: 3, locale: 'en', batch: 120 })
  await compare('after a seed beside')
  seedInvoices(beside, { merchantId: 1, count: 20_000, seed: 4, locale: 'en' })
  await compare('after a bulk seed beside')
  res = await app.inject({ method: 'POST', url: '/v1/invoices', headers: { api_key: DEMO_KEY }, payload: { amount: 1, description: 'john after bulk' } })
  t.equal(res.statusCode, 201, res.body)
  await compare('after a write following the bulk seed')
})
