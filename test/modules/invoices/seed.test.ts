// Seeding fake invoices (CONTRACT §3, §5, §7): POST /__admin/seed {"family": "invoices"} and
// `fatora-mock seed --family invoices` (the built CLI, in child processes) — items naming the
// merchant's own products (20 fake ones first for a merchant without any), the fixtures' 40 fake
// invoices per merchant, reset, import of a fake_invoices recipe, a seed stopped by shutdown.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { buildWithDb, DEMO_KEY, failure, fixturesDb, SECOND_KEY } from '../../helper.js'
import { runCli } from '../../support/child.js'
import { createStores } from '../../../src/db/stores.js'
import { ConflictError, ShuttingDownError } from '../../../src/domain-errors.js'
import { seedInvoicesAsync } from '../../../src/modules/invoices/seed.js'
import { parseFixtures } from '../../../src/seed/fixtures.js'
import { importFixtures } from '../../../src/seed/seed.js'

async function req (app: FastifyInstance, method: string, url: string, body?: unknown, key = DEMO_KEY): Promise<{ status: number, json: any }> {
  const res = await app.inject({ method: method as 'GET', url, headers: { api_key: key }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json() }
}
const seed = async (app: FastifyInstance, body: unknown): Promise<{ status: number, json: any }> => await req(app, 'POST', '/__admin/seed', body)
/** A seed's answer without its duration. */
const answer = (json: Record<string, unknown>): Record<string, unknown> => { const { ms, ...rest } = json; return { ...rest, ms: typeof ms } }

/** The fixtures' first fake invoice (fake_invoices seed 2075, en): its items name the fixtures' fake products. */
const INVOICE_1 = {
  id: 1,
  number: 'INV-000001',
  type: 'detailed',
  title: 'Project invoice – January 2024',
  description: 'Awesome Bronze Table and 1 more',
  amount: 1815.5,
  currency: 'QAR',
  status: 'paid',
  date: '2024-01-24T00:00:00Z',
  due_date: '2024-02-23T00:00:00Z',
  terms_conditions: 'Prices are in Qatari riyals.',
  note: null,
  client: { name: 'Jill Cummings', email: 'jill.cummings110@example.org', phone: '+16846747398', address: '235 Renner Forest, North Tannerworth' },
  items: [
    { product_id: 18, description: 'Awesome Bronze Table', qty: 1, amount: 118, type: 'Inventory' },
    { product_id: null, description: 'Support hours', qty: 3.5, amount: 1697.5, type: 'Service' },
  ],
  payments: [{ payment_date: '2024-01-27T09:25:06Z', transaction_id: 'TXN6653465724', amount: 1815.5, note: null, payment_type: 'apple_pay', status: 'paid' }],
  setting: { tax: 0, discount: 0, discount_type: null, language: 'en', accepted_payment_methods: ['credit_card', 'apple_pay'] },
}

t.test('POST /__admin/seed {"family":"invoices"}: invoices and items after the largest id, pinned, whatever the batch size', async (t) => {
  const dump = async (batch: number | undefined): Promise<string> => {
    const { app, db } = await buildWithDb(t)
    const res = await seed(app, { family: 'invoices', count: 30, seed: 5, ...(batch === undefined ? {} : { batch }) })
    t.same([res.status, answer(res.json)], [201, { merchant_id: 1, inserted: 30, first_id: 4076, last_id: 4105, ms: 'number' }])
    return JSON.stringify([db.prepare('SELECT * FROM invoices WHERE id > 4075 ORDER BY id').all(), db.prepare('SELECT * FROM invoice_items WHERE invoice_id > 4075 ORDER BY 1, 2').all()])
  }
  t.equal(await dump(7), await dump(undefined), 'same family, seed, count, locale and starting data: identical invoices and items, in batches of 7 or 200')

  const { app, db } = await buildWithDb(t)
  await seed(app, { family: 'invoices', count: 30, seed: 5 })
  t.same(await req(app, 'GET', '/v1/invoices/4076'), {
    status: 200,
    json: {
      status: 'SUCCESS',
      invoice: {
        id: 4076,
        number: 'INV-004076',
        type: 'detailed',
        title: 'Monthly invoice – June 2024',
        description: 'Installation and 3 more',
        amount: 918.5,
        currency: 'QAR',
        status: 'overdue',
        date: '2024-06-15T00:00:00Z',
        due_date: '2024-06-22T00:00:00Z',
        terms_conditions: 'Goods remain our property until paid in full.',
        note: null,
        client: { name: 'Bobby Windler', email: 'bobby.windler159@example.net', phone: '+18436839625', address: '986 John Station, North Clair' },
        items: [
          { product_id: null, description: 'Installation', qty: 2, amount: 714, type: 'Service' },
          { product_id: 5, description: 'Practical Cotton Tuna', qty: 1, amount: 142, type: 'Inventory' },
          { product_id: 672, description: 'Gift Card', qty: 1, amount: 0, type: 'Inventory' },
          { product_id: 670, description: 'Cashier Coffee', qty: 5, amount: 62.5, type: 'Inventory' },
        ],
        payments: [],
        setting: { tax: 0, discount: 0, discount_type: null, language: 'en', accepted_payment_methods: ['credit_card'] },
      },
    },
  }, 'the first seeded invoice is pinned: its items name fake (5) and hand-written (670, 672) products of the merchant')
  t.same(await req(app, 'GET', '/v1/invoices/4076', undefined, SECOND_KEY), { status: 404, json: failure(404, 'Invoice not found') }, 'another merchant\'s: 404')
  t.same(db.prepare(`SELECT count(*) AS n FROM invoice_items i JOIN products p ON p.id = i.product_id
    WHERE i.invoice_id > 4075 AND p.merchant_id <> 1`).get(), { n: 0 }, 'every item names one of the demo merchant\'s products (or none)')
  t.equal((await req(app, 'GET', '/v1/invoices?page_size=1')).json.total, 42 + 30, 'the demo merchant lists its 2 + 40 fixture invoices and the 30 new ones')
  // The list's filters see seeded invoices like any other.
  const overdue = (db.prepare("SELECT count(*) AS n FROM invoices WHERE merchant_id = 1 AND status = 'overdue'").get() as { n: number }).n
  t.equal((await req(app, 'GET', '/v1/invoices?status=overdue&page_size=1')).json.total, overdue, 'status=overdue counts them')
  t.same((await req(app, 'GET', '/v1/invoices?keyword=INV-00407')).json.invoices.map((i: { id: number }) => i.id), [4076, 4077, 4078, 4079], 'keyword INV-00407 finds their numbers')
})

t.test('a merchant without products first gets 20 fake ones, and the answer says so', async (t) => {
  const { app, db } = await buildWithDb(t)
  const merchant = (await req(app, 'POST', '/__admin/merchants', { name: 'No Products Yet' })).json
  const first = await seed(app, { family: 'invoices', api_key: merchant.api_key, count: 10, seed: 3, locale: 'ar' })
  t.same([first.status, answer(first.json)], [201, {
    merchant_id: 3,
    inserted: 10,
    first_id: 4076,
    last_id: 4085,
    ms: 'number',
    also_added: { family: 'products', inserted: 20, first_id: 2671, last_id: 2690 },
  }])
  const products = (await req(app, 'GET', '/v1/products?page_size=100', undefined, merchant.api_key)).json
  t.same([products.total, products.products[0].language], [20, 'ar'], 'its 20 products, in the seed\'s locale')
  const named = db.prepare('SELECT DISTINCT product_id AS id FROM invoice_items WHERE invoice_id > 4075 AND product_id IS NOT NULL ORDER BY 1').all() as Array<{ id: number }>
  t.ok(named.length > 0 && named.every((p) => p.id >= 2671 && p.id <= 2690), `items name those products: ${named.map((p) => p.id).join(', ')}`)
  const again = await seed(app, { family: 'invoices', merchant_id: 3, count: 2, seed: 3 })
  t.same(answer(again.json), { merchant_id: 3, inserted: 2, first_id: 4086, last_id: 4087, ms: 'number' }, 'once it has products, none are added')
})

t.test('bad seed bodies: a 400 (or 422) naming the problem, and nothing written', async (t) => {
  const { app, db } = await buildWithDb(t)
  const count = (): unknown => db.prepare('SELECT (SELECT count(*) FROM invoices) AS invoices, (SELECT count(*) FROM invoice_items) AS items, (SELECT count(*) FROM products) AS products').get()
  const before = count()
  const cases: Array<[unknown, number, object]> = [
    [{ family: 'invoices' }, 400, failure(400, 'Invalid body: count is required')],
    [{ family: 'invoices', count: -5 }, 400, failure(400, 'Invalid body field count: must be >= 1')],
    [{ family: 'invoices', count: 1_000_001 }, 400, failure(400, 'Invalid body field count: must be <= 1000000')],
    [{ family: 'invoices', count: '10' }, 400, failure(400, 'Invalid body field count: must be integer')],
    [{ family: 'invoice', count: 1 }, 400, failure(400, 'Invalid body field family: must be one of clients, products, invoices')],
    [{ family: 'payments', count: 1 }, 400, failure(400, 'Invalid body field family: must be one of clients, products, invoices')],
    [{ family: ['invoices'], count: 1 }, 400, failure(400, 'Invalid body field family: must be one of clients, products, invoices')],
    [{ family: 'invoices', count: 1, locale: 'AR' }, 400, failure(400, 'Invalid body field locale: must be one of en, ar')],
    [{ family: 'invoices', count: 1, seed: 4_294_967_296 }, 400, failure(400, 'Invalid body field seed: must be <= 4294967295')],
    [{ family: 'invoices', count: 1, batch: 0 }, 400, failure(400, 'Invalid body field batch: must be >= 1')],
    [{ family: 'invoices', count: 1, items: 3 }, 400, failure(400, 'Invalid body: unknown field items')],
    [{ family: 'invoices', count: 1, merchant_id: 0 }, 400, failure(400, 'Invalid body field merchant_id: must be >= 1')],
    [{ family: 'invoices', count: 1, merchant_id: 2, api_key: SECOND_KEY }, 400, failure(400, 'Give merchant_id or api_key, not both')],
    [{ family: 'invoices', count: 1, merchant_id: 5 }, 422, failure(422, 'Unknown merchant_id: no merchant 5')],
    [{ family: 'invoices', count: 1, api_key: 'NO-SUCH-KEY' }, 422, failure(422, 'Unknown api_key: no merchant has this key')],
  ]
  for (const [payload, status, body] of cases) {
    const res = await seed(app, payload)
    t.same([res.status, res.json], [status, body], JSON.stringify(payload))
  }
  t.same(count(), before, 'nothing was written: no invoice, item or product')
})

t.test('a closing server stops an invoice seed after a whole batch', async (t) => {
  const db = fixturesDb()
  t.teardown(() => db.close())
  const stores = createStores(db)
  const closing = new AbortController()
  closing.abort()
  await t.rejects(seedInvoicesAsync(stores, { merchantId: 1, count: 1000, seed: 1, locale: 'en', signal: closing.signal }),
    new ShuttingDownError('The server is shutting down: the seed stopped after 200 of 1000 invoices (whole batches only)'))
  t.same(db.prepare('SELECT count(*) AS n, min(id) AS first, max(id) AS last FROM invoices WHERE id > 4075').get(), { n: 200, first: 4076, last: 4275 }, 'one whole batch of 200')
  t.same(db.prepare('SELECT count(DISTINCT invoice_id) AS n FROM invoice_items WHERE invoice_id > 4075').get(), { n: (db.prepare("SELECT count(*) AS n FROM invoices WHERE id > 4075 AND type = 'detailed'").get() as { n: number }).n }, 'each detailed invoice with its items')
})

t.test('the default fixtures: 40 fake invoices per merchant beside the hand-written ones; reset restores them', async (t) => {
  const { app, db } = await buildWithDb(t)
  const ids = async (key: string): Promise<{ first: number[], total: number }> => {
    const r = (await req(app, 'GET', '/v1/invoices?page_size=100', undefined, key)).json
    return { first: r.invoices.map((i: { id: number }) => i.id), total: r.total }
  }
  const demo = { first: [...Array.from({ length: 40 }, (_, i) => i + 1), 2075, 2076], total: 42 }
  const second = { first: [...Array.from({ length: 40 }, (_, i) => 2001 + i), 4075], total: 41 }
  t.same(await ids(DEMO_KEY), demo, 'the demo merchant: fake 1–40 (en), then 2075 and 2076')
  t.same(await ids(SECOND_KEY), second, 'merchant 2: fake 2001–2040 (ar), then 4075')
  t.same((await req(app, 'GET', '/v1/invoices/1')).json, { status: 'SUCCESS', invoice: INVOICE_1 }, 'fake invoice 1, pinned')
  const arabic = (await req(app, 'GET', '/v1/invoices/2001', undefined, SECOND_KEY)).json.invoice
  t.same([arabic.title, arabic.items[0].product_id, arabic.setting.language], ['فاتورة مشروع – ديسمبر 2024', 2003, 'ar'], 'merchant 2\'s are Arabic and name its products')
  t.equal((await req(app, 'GET', '/v1/invoices?keyword=INV567')).json.total, 1, 'Fatora\'s sample number stays unique')
  const named = (db.prepare('SELECT DISTINCT product_id AS id FROM invoice_items WHERE invoice_id <= 2040 AND product_id IS NOT NULL').all() as Array<{ id: number }>).map((r) => r.id)
  t.same(named.filter((id) => !(id <= 20 || (id >= 2001 && id <= 2020))), [], 'fake invoices name fake products (or none): the hand-written ones stay free to delete')
  t.same((await req(app, 'DELETE', '/v1/products/671')).status, 204, 'product 671, which no invoice names, is deleted')

  await req(app, 'DELETE', '/v1/invoices/1')
  await seed(app, { family: 'invoices', count: 5 })
  const reset = await req(app, 'POST', '/__admin/reset')
  t.same(reset.json, { merchants: 2, api_keys: 3, clients: 83, products: 46, payments: 2, card_tokens: 2, invoices: 83 }, 'reset counts the fixtures\' invoices (2 + 40, 1 + 40)')
  t.same((await req(app, 'GET', '/v1/invoices/1')).json, { status: 'SUCCESS', invoice: INVOICE_1 }, 'invoice 1 is back, identical')
  t.same(await ids(DEMO_KEY), demo, 'and only the fixtures\' invoices remain')
})

t.test('import: a fake_invoices recipe is accepted; ranges over taken or hand-written ids are refused by name', async (t) => {
  const db = fixturesDb()
  t.teardown(() => db.close())
  const stores = createStores(db)
  const file = (merchant: object): any => ({
    reference_date: '2025-01-01T00:00:00.000Z',
    merchants: [{ id: 10, name: 'Importer', api_keys: [], clients: [], ...merchant }],
  })
  t.throws(() => importFixtures(stores, file({ fake_invoices: { count: 5, first_id: 2036, seed: 1, locale: 'en' } }), 'x.json'),
    new ConflictError('x.json: /merchants/0/fake_invoices would reuse invoice id 2036, which already exists'))
  t.throws(() => parseFixtures(file({ invoices: [{ id: 9002, amount: 1 }], fake_invoices: { count: 3, first_id: 9000, seed: 1, locale: 'en' } }), 'x.json'),
    { name: 'FixtureError', message: 'x.json: /merchants/0/invoices/0/id overlaps invoice ids of /merchants/0/fake_invoices' })
  t.throws(() => parseFixtures(file({ invoices: [{ id: 9100, amount: 1, items: [{ product_id: 9010 }] }], fake_products: { count: 10, first_id: 9000, seed: 1, locale: 'en' } }), 'x.json'),
    { name: 'FixtureError', message: 'x.json: /merchants/0/invoices/0/items/0/product_id 9010 is not one of this merchant\'s products' })

  // A hand-written invoice may name a fake product: its id is known from the recipe.
  const good = parseFixtures(file({
    fake_products: { count: 10, first_id: 9000, seed: 1, locale: 'ar' },
    invoices: [{ id: 9100, amount: 5, items: [{ product_id: 9009, qty: 1, amount: 5 }] }],
    fake_invoices: { count: 4, first_id: 9101, seed: 1, locale: 'ar' },
  }), 'x.json')
  t.same(importFixtures(stores, good, 'x.json'), { merchants: 1, apiKeys: 0, clients: 0, products: 10, payments: 0, cardTokens: 0, invoices: 5 })
  t.same(db.prepare('SELECT DISTINCT product_id AS id FROM invoice_items WHERE invoice_id >= 9100 AND product_id IS NOT NULL ORDER BY 1').all().every((r) => (r as { id: number }).id >= 9000 && (r as { id: number }).id <= 9009), true,
    'the fake invoices name the imported merchant\'s products')
  t.same(db.prepare('SELECT id, merchant_id, number, language FROM invoices WHERE id >= 9100 ORDER BY id').all(), [
    { id: 9100, merchant_id: 10, number: 'INV9100', language: 'en' },
    { id: 9101, merchant_id: 10, number: 'INV-009101', language: 'ar' },
    { id: 9102, merchant_id: 10, number: 'INV-009102', language: 'ar' },
    { id: 9103, merchant_id: 10, number: 'INV-009103', language: 'ar' },
    { id: 9104, merchant_id: 10, number: 'INV-009104', language: 'ar' },
  ])
})

t.test('fatora-mock seed --family invoices (the built CLI)', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'cli.db')
  const rows = (path: string): unknown[] => {
    const db = new Database(path, { readonly: true })
    try { return [db.prepare('SELECT * FROM invoices WHERE id > 4075 ORDER BY id').all(), db.prepare('SELECT * FROM invoice_items WHERE invoice_id > 4075 ORDER BY 1, 2').all()] } finally { db.close() }
  }
  const args = (path: string): string[] => ['seed', '--family', 'invoices', '--count', '25', '--seed', '3', '--batch', '4', '--db', path]
  const [a, b] = await Promise.all([runCli(args(dbPath)), runCli(args(join(dir, 'b.db')))])
  for (const r of [a, b]) {
    t.same({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' })
    t.match(r.stdout, /^Added 25 invoices to merchant 1 \(Demo Merchant\): ids 4076–4100 in \d+\.\d s \([\d,]+ rows\/s\)\n$/)
  }
  t.same(rows(dbPath), rows(join(dir, 'b.db')), 'the same arguments on two fresh databases: identical invoices and items')

  const added = await runCli(['merchants', 'add', 'CLI Shop', '--db', dbPath])
  t.equal(added.code, 0)
  const fresh = await runCli(['seed', '--family', 'invoices', '--count', '5', '--merchant', '3', '--db', dbPath])
  t.same({ code: fresh.code, stderr: fresh.stderr }, { code: 0, stderr: '' })
  t.match(fresh.stdout, /^Merchant 3 \(CLI Shop\) had no products: added 20 first, ids 2671–2690, for the invoices' items to name\nAdded 5 invoices to merchant 3 \(CLI Shop\): ids 4101–4105 in \d+\.\d s \([\d,]+ rows\/s\)\n$/)
  const list = await runCli(['merchants', 'list', '--db', dbPath])
  t.match(list.stdout, /^ID\tNAME\tCLIENTS\tPRODUCTS\tPAYMENTS\tCARD_TOKENS\tINVOICES\tKEYS\n(.*\n)*3\tCLI Shop\t0\t20\t0\t0\t5\t/, 'merchants list counts them')
})
