// Default data (CONTRACT §3): the fixtures are valid and contain the documented values; a bad
// fixtures file is refused with a message naming the file and the field.
import t from 'tap'
import { parseFixtures, loadFixtures, DEFAULT_FIXTURES_PATH } from '../../src/seed/fixtures.js'
import type { ClientsFixture } from '../../src/modules/clients/schema.js'
import type { MerchantFixture } from '../../src/modules/merchants/schema.js'

/** A fixtures merchant with the fields of both modules. */
type Merchant = MerchantFixture & ClientsFixture

t.test('the default fixtures are valid and hold the documented keys and client 1024', async (t) => {
  const f = loadFixtures() as unknown as { merchants: Merchant[] }
  const demo = f.merchants.find((m) => m.name === 'Demo Merchant')
  t.ok(demo)
  t.same(demo?.api_keys.map((k) => [k.key, k.status]), [
    ['E4B73FEE-F492-4607-A38D-852B0EBC91C9', 'active'],
    ['0B1C7E52-6A3D-4F9E-8C21-7D5A4E3F2B10', 'inactive'],
  ])
  t.match(demo?.clients[0], {
    id: 1024, name: 'Client Name', address: 'Client Address', phone: 'Client Phone', email: 'client@example.com', notes: 'Additional notes',
  })
  t.equal(f.merchants.length, 2)
  t.same(f.merchants[1]?.api_keys, [{ key: '9F2D4A61-3B8E-4C7D-A5F0-6E1B2C3D4E5F', status: 'active', note: 'Second merchant: shows tenancy (its clients are 404 to the demo key)' }])
  t.ok(f.merchants.every((m) => (m.fake_clients?.count ?? 0) >= 30), 'a few dozen faker clients per merchant')
})

t.test('a bad fixture is rejected with a message naming the file and the field', async (t) => {
  const good = loadFixtures()
  const clone = (): any => JSON.parse(JSON.stringify(good))
  const cases: Array<[string, (f: any) => void, string]> = [
    ['client id not an integer', (f) => { f.merchants[0].clients[0].id = 'x' }, 'x.json: /merchants/0/clients/0/id must be integer'],
    ['unknown key status', (f) => { f.merchants[0].api_keys[0].status = 'paused' }, 'x.json: /merchants/0/api_keys/0/status'],
    ['unknown field', (f) => { f.merchants[1].extra = 1 }, 'x.json: /merchants/1'],
    ['duplicate merchant id', (f) => { f.merchants[1].id = 1 }, 'x.json: /merchants/1/id 1 is used twice'],
    ['duplicate key', (f) => { f.merchants[1].api_keys[0].key = f.merchants[0].api_keys[0].key }, 'x.json: /merchants/1/api_keys/0/key is used twice'],
    ['client id inside a fake range', (f) => { f.merchants[1].clients[0].id = 5 }, 'x.json: /merchants/1/clients/0/id overlaps client ids of /merchants/0/fake_clients'],
    ['bad locale', (f) => { f.merchants[0].fake_clients.locale = 'fr' }, 'x.json: /merchants/0/fake_clients/locale'],
    ['no merchants', (f) => { f.merchants = [] }, 'x.json: /merchants must'],
  ]
  for (const [name, mutate, message] of cases) {
    const f = clone()
    mutate(f)
    t.throws(() => parseFixtures(f, 'x.json'), { name: 'FixtureError', message: new RegExp('^' + message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }, name)
  }
})

t.test('an unreadable or non-JSON fixtures file names the file', async (t) => {
  const dir = t.testdir({ 'broken.json': '{ nope' })
  t.throws(() => loadFixtures(`${dir}/broken.json`), { message: new RegExp(`^${dir}/broken.json: not valid JSON`) })
  t.throws(() => loadFixtures(`${dir}/missing.json`), { message: `${dir}/missing.json: cannot be read (ENOENT)` })
  t.match(DEFAULT_FIXTURES_PATH, /fixtures\/default\.json$/)
})
