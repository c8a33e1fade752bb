// The seeding core: batches, determinism, import and fixtures directories, on real
// in-memory databases through the stores.
import t, { type Test } from 'tap'
import { openDatabase } from '../../src/db/open.js'
import { createStores, type Stores } from '../../src/db/stores.js'
import { DEFAULT_FIXTURES_DIR, loadFixtures, loadFixturesDir } from '../../src/seed/fixtures.js'
import { ConflictError, InvalidInputError } from '../../src/domain-errors.js'
import { seedClients } from '../../src/modules/clients/seed.js'
import { importFixtures, seedFixtures } from '../../src/seed/seed.js'

function fresh (t: Test): { stores: Stores, dump: () => string } {
  const { db } = openDatabase(':memory:', { onCreate: (d) => { seedFixtures(createStores(d), loadFixtures()) } })
  t.teardown(() => db.close())
  return {
    stores: createStores(db),
    dump: () => JSON.stringify(['merchants', 'api_keys', 'clients'].map((table) =>
      db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all().map((row) => ({ ...(row as object), created_at: undefined })))),
  }
}

t.test('rows do not depend on the batch size; progress is reported per batch', async (t) => {
  const a = fresh(t)
  const b = fresh(t)
  const progress: number[] = []
  const ra = seedClients(a.stores, { merchantId: 1, count: 12_345, seed: 5, locale: 'en', batch: 12_345 })
  const rb = seedClients(b.stores, { merchantId: 1, count: 12_345, seed: 5, locale: 'en', batch: 4_000, onProgress: (n) => progress.push(n) })
  t.same(ra, { inserted: 12_345, firstId: 2049, lastId: 14_393 })
  t.same(rb, ra)
  t.same(progress, [4000, 8000, 12_000, 12_345])
  t.equal(a.dump(), b.dump())
})

t.test('a second seed continues after the largest id and differs from the first', async (t) => {
  const { stores } = fresh(t)
  const first = seedClients(stores, { merchantId: 2, count: 100, seed: 1, locale: 'ar' })
  const second = seedClients(stores, { merchantId: 2, count: 100, seed: 1, locale: 'ar' })
  t.same([first.firstId, first.lastId, second.firstId, second.lastId], [2049, 2148, 2149, 2248])
  t.equal(stores.counts().clients, 283)
})

t.test('a bad count is refused before anything is written', async (t) => {
  const { stores, dump } = fresh(t)
  const before = dump()
  for (const count of [-1, 1.5, 10_000_001]) {
    t.throws(() => seedClients(stores, { merchantId: 1, count, seed: 1, locale: 'en' }), InvalidInputError, 'an InvalidInputError (a 400 over HTTP)')
  }
  t.equal(dump(), before)
})

t.test('import: conflicts are found first and change nothing; merchants are reused', async (t) => {
  const { stores, dump } = fresh(t)
  const base = {
    reference_date: '2025-01-01T00:00:00.000Z',
    merchants: [{ id: 1, name: 'Ignored Name', api_keys: [{ key: 'NEW-KEY-1', status: 'active' as const }], clients: [{ id: 9001, name: 'Imported' }] }],
  }
  const before = dump()
  const cases: Array<[string, (f: any) => void, string]> = [
    ['taken client id', (f) => { f.merchants[0].clients.push({ id: 1024, name: 'Clash' }) }, 'x.json: /merchants/0/clients/1/id 1024 already exists'],
    ['taken key', (f) => { f.merchants[0].api_keys.push({ key: 'E4B73FEE-F492-4607-A38D-852B0EBC91C9', status: 'active' }) }, 'x.json: /merchants/0/api_keys/1/key already exists'],
    ['fake range over taken ids', (f) => { f.merchants[0].fake_clients = { count: 10, first_id: 35, seed: 1, locale: 'en' } }, 'x.json: /merchants/0/fake_clients would reuse client id 35, which already exists'],
  ]
  for (const [name, mutate, message] of cases) {
    const f = JSON.parse(JSON.stringify(base))
    mutate(f)
    t.throws(() => importFixtures(stores, f, 'x.json'), new ConflictError(message), name)
    t.equal(dump(), before, `${name}: nothing changed`)
  }
  const ok = importFixtures(stores, base, 'x.json')
  t.same(ok, { merchants: 0, apiKeys: 1, clients: 1, products: 0, payments: 0, cardTokens: 0, invoices: 0 })
  t.same(stores.merchants.find(1), { id: 1, name: 'Demo Merchant' }, 'an existing merchant keeps its name')
  t.same(stores.clients.findForMerchant(1, 9001), { id: 9001, name: 'Imported', address: null, phone: null, email: null, notes: null })
})

t.test('fixtures directories: every *.json in name order, unique across files', async (t) => {
  t.same(loadFixturesDir(DEFAULT_FIXTURES_DIR).length, 1)
  const merchant = (id: number, key: string, client: number): object => ({ id, name: `M${id}`, api_keys: [{ key, status: 'active' }], clients: [{ id: client, name: 'C' }] })
  const doc = (...merchants: object[]): string => JSON.stringify({ reference_date: '2025-01-01T00:00:00.000Z', merchants })
  const dir = t.testdir({
    good: { 'b.json': doc(merchant(2, 'K2', 20)), 'a.json': doc(merchant(1, 'K1', 10)), 'notes.txt': 'ignored' },
    clash: { 'a.json': doc(merchant(1, 'K1', 10)), 'b.json': doc(merchant(2, 'K1', 20)) },
    empty: {},
  })
  t.same(loadFixturesDir(`${dir}/good`).map((f) => f.merchants[0]?.id), [1, 2])
  t.throws(() => loadFixturesDir(`${dir}/clash`), { name: 'FixtureError', message: `${dir}/clash: across its files, a merchant/api_keys/0/key is used twice` })
  t.throws(() => loadFixturesDir(`${dir}/empty`), { name: 'FixtureError', message: `${dir}/empty: no *.json fixtures file in this directory` })
  t.throws(() => loadFixturesDir(`${dir}/missing`), { name: 'FixtureError', message: `${dir}/missing: cannot be read as a fixtures directory (ENOENT)` })
})
