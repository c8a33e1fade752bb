// Seeding fake products (CONTRACT §3, §5, §7): POST /__admin/seed {"family": "products"} and
// `fatora-mock seed --family products` (the built CLI, in child processes), the fixtures' 20 fake
// products per merchant, reset, and import of a fake_products recipe — pinned rows, literal answers.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { build, buildWithDb, DEMO_KEY, failure, SECOND_KEY } from '../../helper.js'
import { runCli } from '../../support/child.js'
import { openDatabase } from '../../../src/db/open.js'
import { createStores } from '../../../src/db/stores.js'
import { ConflictError } from '../../../src/domain-errors.js'
import { loadFixtures, parseFixtures } from '../../../src/seed/fixtures.js'
import { importFixtures, seedFixtures } from '../../../src/seed/seed.js'

async function req (app: FastifyInstance, method: string, url: string, body?: unknown, key = DEMO_KEY): Promise<{ status: number, json: any }> {
  const res = await app.inject({ method: method as 'GET', url, headers: { api_key: key }, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json() }
}
const seed = async (app: FastifyInstance, body: unknown): Promise<{ status: number, json: any }> => await req(app, 'POST', '/__admin/seed', body)
/** A seed's answer without its duration. */
const answer = (json: Record<string, unknown>): Record<string, unknown> => { const { ms, ...rest } = json; return { ...rest, ms: typeof ms } }

/** The fixtures' first fake product (fake_products seed 669, en). */
const PRODUCT_1 = {
  id: 1,
  name: 'Fresh Steel Chair',
  price: 512.933,
  sku: 'SKU-1',
  image: 'https://example.com/images/product-1.png',
  description: 'Fresh Steel Chair: quality at a fair price. One-year warranty.',
  language: 'en',
  currency: 'QAR',
  status: 'Normal',
  category: 'Grocery',
  setting: { is_public: true, is_limited: false, is_cashier: false, max_count: null, max_order: 8 },
}

t.test('POST /__admin/seed {"family":"products"}: fake products after the largest id, pinned, whatever the batch size', async (t) => {
  const dump = async (batch: number | undefined): Promise<string> => {
    const { app, db } = await buildWithDb(t)
    const res = await seed(app, { family: 'products', api_key: SECOND_KEY, count: 25, seed: 9, locale: 'ar', ...(batch === undefined ? {} : { batch }) })
    t.same([res.status, answer(res.json)], [201, { merchant_id: 2, inserted: 25, first_id: 2671, last_id: 2695, ms: 'number' }])
    return JSON.stringify(db.prepare('SELECT * FROM products WHERE id > 2670 ORDER BY id').all())
  }
  t.equal(await dump(10), await dump(undefined), 'same family, seed, count, locale and starting data: identical rows, in batches of 10 or 500')

  const app = await build(t)
  await seed(app, { family: 'products', api_key: SECOND_KEY, count: 25, seed: 9, locale: 'ar' })
  t.same(await req(app, 'GET', '/v1/products/2671', undefined, SECOND_KEY), {
    status: 200,
    json: {
      status: 'SUCCESS',
      product: {
        id: 2671,
        name: 'قبعة صوان يدويا',
        price: 71.99,
        sku: null,
        image: 'https://example.com/images/product-2671.png',
        description: 'قبعة صوان يدويا، تصميم عملي يدوم طويلًا. يُشحن خلال يومي عمل.',
        language: 'ar',
        currency: 'QAR',
        status: 'Normal',
        category: 'حديقة',
        setting: { is_public: true, is_limited: false, is_cashier: false, max_count: null, max_order: 2 },
      },
    },
  }, 'the first seeded product is pinned: any change to the generator or faker shows here')
  t.same(await req(app, 'GET', '/v1/products/2671'), { status: 404, json: failure(404, 'Product not found') }, 'another merchant\'s: 404')
  const list = await req(app, 'GET', '/v1/products?page_size=1', undefined, SECOND_KEY)
  t.equal(list.json.total, 22 + 25, 'merchant 2 lists its 2 + 20 fixture products and the 25 new ones')

  const defaults = await seed(app, { family: 'products', count: 2 })
  t.same(answer(defaults.json), { merchant_id: 1, inserted: 2, first_id: 2696, last_id: 2697, ms: 'number' }, 'defaults: the demo merchant, seed 1, en; after the largest id')
})

t.test('a fake sku the merchant already uses is left out (skus are unique per merchant, CONTRACT §7)', async (t) => {
  const app = await build(t)
  const taken = await req(app, 'POST', '/v1/products', { name: 'Taken', sku: 'SKU-2672' })
  t.same([taken.status, taken.json.product.id], [201, 2671])
  t.same(answer((await seed(app, { family: 'products', count: 3 })).json), { merchant_id: 1, inserted: 3, first_id: 2672, last_id: 2674, ms: 'number' })
  const skus = await Promise.all([2671, 2672, 2673, 2674].map(async (id) => (await req(app, 'GET', `/v1/products/${id}`)).json.product.sku))
  t.same(skus, ['SKU-2672', null, 'SKU-2673', 'SKU-2674'], 'product 2672 has no sku: SKU-2672 was taken')
  const second = await seed(app, { family: 'products', api_key: SECOND_KEY, count: 1, seed: 3 })
  t.same(answer(second.json), { merchant_id: 2, inserted: 1, first_id: 2675, last_id: 2675, ms: 'number' })
})

t.test('bad seed bodies: a 400 (or 422) naming the problem, and nothing written', async (t) => {
  const { app, db } = await buildWithDb(t)
  const count = (): number => (db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n
  const before = count()
  const cases: Array<[unknown, number, object]> = [
    [{ family: 'products' }, 400, failure(400, 'Invalid body: count is required')],
    [{ family: 'products', count: 0 }, 400, failure(400, 'Invalid body field count: must be >= 1')],
    [{ family: 'products', count: 1_000_001 }, 400, failure(400, 'Invalid body field count: must be <= 1000000')],
    [{ family: 'products', count: 2.5 }, 400, failure(400, 'Invalid body field count: must be integer')],
    [{ family: 'product', count: 1 }, 400, failure(400, 'Invalid body field family: must be one of clients, products, invoices')],
    [{ family: 'Products', count: 1 }, 400, failure(400, 'Invalid body field family: must be one of clients, products, invoices')],
    [{ family: null, count: 1 }, 400, failure(400, 'Invalid body field family: must be one of clients, products, invoices')],
    [{ family: 'products', count: 1, locale: 'fr' }, 400, failure(400, 'Invalid body field locale: must be one of en, ar')],
    [{ family: 'products', count: 1, seed: -1 }, 400, failure(400, 'Invalid body field seed: must be >= 0')],
    [{ family: 'products', count: 1, batch: 100_001 }, 400, failure(400, 'Invalid body field batch: must be <= 100000')],
    [{ family: 'products', count: 1, sku: 'X' }, 400, failure(400, 'Invalid body: unknown field sku')],
    [{ family: 'products', count: 1, merchant_id: 1, api_key: DEMO_KEY }, 400, failure(400, 'Give merchant_id or api_key, not both')],
    [{ family: 'products', count: 1, merchant_id: 9 }, 422, failure(422, 'Unknown merchant_id: no merchant 9')],
    [{ family: 'products', count: 1, api_key: 'NO-SUCH-KEY' }, 422, failure(422, 'Unknown api_key: no merchant has this key')],
  ]
  for (const [payload, status, body] of cases) {
    const res = await seed(app, payload)
    t.same([res.status, res.json], [status, body], JSON.stringify(payload))
  }
  t.equal(count(), before, 'nothing was written')
})

t.test('the default fixtures: 20 fake products per merchant beside the hand-written ones; reset restores them', async (t) => {
  const app = await build(t)
  const ids = async (key: string): Promise<{ ids: number[], total: number }> => {
    const r = (await req(app, 'GET', '/v1/products?page_size=100', undefined, key)).json
    return { ids: r.products.map((p: { id: number }) => p.id), total: r.total }
  }
  const demo = { ids: [...Array.from({ length: 20 }, (_, i) => i + 1), 669, 670, 671, 672], total: 24 }
  const second = { ids: [...Array.from({ length: 20 }, (_, i) => 2001 + i), 2669, 2670], total: 22 }
  t.same(await ids(DEMO_KEY), demo, 'the demo merchant: fake 1–20 (en), then 669–672')
  t.same(await ids(SECOND_KEY), second, 'merchant 2: fake 2001–2020 (ar), then 2669–2670')
  t.same((await req(app, 'GET', '/v1/products/1')).json, { status: 'SUCCESS', product: PRODUCT_1 }, 'fake product 1, pinned')
  t.equal((await req(app, 'GET', '/v1/products/2001', undefined, SECOND_KEY)).json.product.name, 'فأر ناعم مشتق', 'merchant 2\'s are Arabic')

  await req(app, 'PUT', '/v1/products/1', { name: 'Renamed' })
  await seed(app, { family: 'products', count: 5 })
  const reset = await req(app, 'POST', '/__admin/reset')
  t.same(reset.json, { merchants: 2, api_keys: 3, clients: 83, products: 46, payments: 2, card_tokens: 2, invoices: 83 }, 'reset counts the fixtures\' products (4 + 20, 2 + 20)')
  t.same((await req(app, 'GET', '/v1/products/1')).json, { status: 'SUCCESS', product: PRODUCT_1 }, 'product 1 is the fixture\'s again')
  t.same(await ids(DEMO_KEY), demo, 'and only the fixtures\' products remain')
})

t.test('import: a fake_products recipe is accepted; ranges over taken or hand-written ids are refused by name', async (t) => {
  const { db } = openDatabase(':memory:', { onCreate: (d) => { seedFixtures(createStores(d), loadFixtures()) } })
  t.teardown(() => db.close())
  const stores = createStores(db)
  const file = (fake: object, products: object[] = []): any => ({
    reference_date: '2025-01-01T00:00:00.000Z',
    merchants: [{ id: 10, name: 'Importer', api_keys: [], clients: [], products, fake_products: fake }],
  })
  t.throws(() => importFixtures(stores, file({ count: 3, first_id: 19, seed: 1, locale: 'en' }), 'x.json'),
    new ConflictError('x.json: /merchants/0/fake_products would reuse product id 19, which already exists'))
  t.throws(() => parseFixtures(file({ count: 3, first_id: 9000, seed: 1, locale: 'en' }, [{ id: 9001, name: 'Hand-written', price: 1 }]), 'x.json'),
    { name: 'FixtureError', message: 'x.json: /merchants/0/products/0/id overlaps product ids of /merchants/0/fake_products' })
  t.throws(() => parseFixtures(file({ count: 3, first_id: 9000, seed: 1, locale: 'de' }), 'x.json'), { name: 'FixtureError', message: /^x\.json: \/merchants\/0\/fake_products\/locale / })
  const summary = importFixtures(stores, parseFixtures(file({ count: 3, first_id: 9000, seed: 669, locale: 'en' }), 'x.json'), 'x.json')
  t.same(summary, { merchants: 1, apiKeys: 0, clients: 0, products: 3, payments: 0, cardTokens: 0, invoices: 0 })
  t.same(db.prepare('SELECT id, merchant_id, name, price_milli, sku FROM products WHERE id >= 9000 ORDER BY id').all(), [
    { id: 9000, merchant_id: 10, name: 'Fresh Steel Chair', price_milli: 512_933, sku: 'SKU-9000' },
    { id: 9001, merchant_id: 10, name: 'Handmade Plastic Bike', price_milli: 1_333_750, sku: 'SKU-9001' },
    { id: 9002, merchant_id: 10, name: 'Unbranded Cotton Fish', price_milli: 989_000, sku: null },
  ], 'the recipe\'s products, as the same recipe gives everywhere')
})

t.test('fatora-mock seed --family products (the built CLI)', async (t) => {
  const dir = t.testdir({})
  const rows = (path: string): unknown[] => {
    const db = new Database(path, { readonly: true })
    try { return db.prepare('SELECT * FROM products WHERE id > 2670 ORDER BY id').all() } finally { db.close() }
  }
  const args = (name: string): string[] => ['seed', '--family', 'products', '--count', '3', '--seed', '7', '--locale', 'ar', '--db', join(dir, name)]
  const [a, b, bad] = await Promise.all([runCli(args('a.db')), runCli(args('b.db')), runCli(['seed', '--family', 'payments', '--count', '3', '--db', join(dir, 'never.db')])])
  for (const r of [a, b]) {
    t.same({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' })
    t.match(r.stdout, /^Added 3 products to merchant 1 \(Demo Merchant\): ids 2671–2673 in \d+\.\d s \([\d,]+ rows\/s\)\n$/)
  }
  t.same(rows(join(dir, 'a.db')), rows(join(dir, 'b.db')), 'the same arguments on two fresh databases: identical rows')
  t.match(rows(join(dir, 'a.db'))[0], { id: 2671, merchant_id: 1, language: 'ar', currency: 'QAR' })
  t.same({ code: bad.code, stdout: bad.stdout, stderr: bad.stderr }, { code: 2, stdout: '', stderr: 'fatora-mock seed: --family must be clients, products or invoices (see fatora-mock seed --help)\n' })
})
