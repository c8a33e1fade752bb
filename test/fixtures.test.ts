// Default data (CONTRACT §3): the fixtures are valid, contain the documented values, and the
// faker clients are identical on every machine and every run.
import t from 'tap'
import { parseFixtures, loadFixtures, DEFAULT_FIXTURES_PATH } from '../src/seed/fixtures.js'
import { generateClients } from '../src/modules/clients/fake.js'
import type { ClientsFixture } from '../src/modules/clients/schema.js'
import type { MerchantFixture } from '../src/modules/merchants/schema.js'

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

const recipe = { merchantId: 1, firstId: 1, count: 40, seed: 1024, locale: 'en' as const, referenceDate: '2025-01-01T00:00:00.000Z' }

t.test('faker output is pinned: the same seed gives these exact clients on every machine', async (t) => {
  const [first] = generateClients(recipe)
  t.same(first, {
    id: 1,
    merchantId: 1,
    name: 'Myrl Terry',
    address: '1407 The Grange, Batzburgh',
    phone: '+15392197451',
    email: 'myrl.terry1@example.org',
    notes: 'Contact in the morning only',
    createdAt: '2023-08-15T21:49:10.474Z',
    updatedAt: '2023-10-10T01:53:20.107Z',
  })
  const [arFirst] = generateClients({ ...recipe, merchantId: 2, firstId: 2001, seed: 2048, locale: 'ar' })
  t.same(arFirst, {
    id: 2001,
    merchantId: 2,
    name: 'عنود فقوسة',
    address: '3454 درب، طريق العنابي، المنيا',
    phone: '+973 3306 6853',
    email: 'enwd.fqwst2001@example.com',
    notes: 'تم الاتفاق على أسعار الجملة',
    createdAt: '2022-10-09T11:08:12.424Z',
    updatedAt: '2024-08-23T11:15:00.324Z',
  })
})

t.test('generation is deterministic and independent of the wall clock', async (t) => {
  const a = JSON.stringify([...generateClients(recipe)])
  const b = JSON.stringify([...generateClients(recipe)])
  t.equal(a, b)
  const other = JSON.stringify([...generateClients({ ...recipe, seed: 1025 })])
  t.not(a, other, 'another seed gives other clients')
})

t.test('chunks are seeded independently: a long run starts like a short one and repeats past a chunk', async (t) => {
  const long = [...generateClients({ ...recipe, count: 25_000 })]
  const short = [...generateClients({ ...recipe, count: 40 })]
  t.same(long.slice(0, 40), short, 'the first clients do not depend on the count')
  const again = [...generateClients({ ...recipe, count: 25_000 })]
  t.equal(JSON.stringify(long), JSON.stringify(again))
  t.same(long[20_000]?.id, 20_001)
  t.not(long[10_000]?.name + String(long[10_000]?.email), long[0]?.name + String(long[0]?.email), 'the second chunk is not a copy of the first')
})

t.test('fake clients look real and their emails are unique and on reserved domains', async (t) => {
  for (const locale of ['en', 'ar'] as const) {
    const clients = [...generateClients({ ...recipe, count: 500, locale })]
    t.equal(new Set(clients.map((c) => c.email)).size, clients.length, `${locale}: unique emails`)
    const phone = locale === 'ar' ? /^\+(974|971|966|965|973|968) [0-9 ]+$/ : /^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/
    const script = locale === 'ar' ? /\p{Script=Arabic}/u : /^[\p{Script=Latin}' -]+$/u
    // One assertion per rule, listing the clients that break it (empty lists pass).
    const broken = (rule: (c: typeof clients[number]) => boolean): number[] => clients.filter((c) => !rule(c)).map((c) => c.id)
    t.same(broken((c) => /^\S+( \S+)+$/.test(c.name) && script.test(c.name)), [], `${locale}: full names in the locale's script`)
    t.same(broken((c) => new RegExp(`^[a-z0-9._]+${c.id}@example\\.(com|net|org)$`).test(c.email ?? '')), [], `${locale}: emails end in the id, on example domains`)
    t.same(broken((c) => phone.test(c.phone ?? '')), [], `${locale}: phone format`)
    t.same(broken((c) => (c.address ?? '').length > 5), [], `${locale}: street addresses`)
    t.same(broken((c) => c.createdAt <= c.updatedAt && c.updatedAt <= '2025-01-01T00:00:00.000Z'), [], `${locale}: dates before the reference date`)
    const withNotes = clients.filter((c) => c.notes !== null).length
    t.ok(withNotes > 250 && withNotes < 400, `${locale}: about two thirds have a note (${withNotes}/500)`)
  }
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
