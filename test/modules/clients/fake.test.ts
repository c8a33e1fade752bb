// The fake-client generator (CONTRACT §3): pinned output for a seed, deterministic, independent
// of the wall clock and of how the work is split, and plausible data.
import t from 'tap'
import { generateClients } from '../../../src/modules/clients/fake.js'

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
