// The package's in-process API from a TypeScript project ("module": "nodenext", tsconfig.json
// beside it): it imports 'fatora-mock' by name (the package's "exports": dist/index.js and
// dist/index.d.ts). The package test (test/package.test.ts, scripts/package-check.mjs) copies it
// into a scratch project where the packed package is installed, typechecks it against the shipped
// declarations, compiles it and runs it. In this repository, after `npm run build`:
//   npx tsc -p examples/tsconfig.json && node --import tsx examples/start-mock.ts
import assert from 'node:assert/strict'
import { DEMO_API_KEY, MockAdminError, startMock, type Fault, type Invoice, type InvoiceBody, type JournalEntry, type MockServer } from 'fatora-mock'

const mock: MockServer = await startMock({ faultSeed: 42 })
try {
  const get = async (id: number): Promise<Response> => await fetch(`${mock.url}/v1/clients/${id}`, { headers: { api_key: mock.apiKey } })

  assert.equal(mock.apiKey, DEMO_API_KEY)
  const first = await fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: DEMO_API_KEY } })
  assert.equal(first.status, 200)
  assert.deepEqual(await first.json(), {
    status: 'SUCCESS',
    client: { id: 1024, name: 'Client Name', address: 'Client Address', phone: 'Client Phone', email: 'client@example.com', note: 'Additional notes', notes: 'Additional notes' },
  })

  const fault: Fault = await mock.addFault({ path: '/v1/clients/:client_id', status: 503, times: 1 })
  assert.equal((await get(1024)).status, 503)
  assert.equal((await get(1024)).status, 200)

  await mock.addFault({ path: '/v1/clients/1024', connection: 'reset', times: 1 })
  await assert.rejects(get(1024), 'a reset connection rejects the fetch')

  const journal: JournalEntry[] = await mock.requests({ path: '/v1/clients/:client_id' })
  assert.deepEqual(journal.map((e) => e.status), [null, 200, 503, 200])
  assert.ok(journal.every((e) => e.api_key === '****91C9'), 'the journal never holds the whole key')
  assert.equal(journal[2]?.fault_id, fault.id)

  const seeded = await mock.seed({ count: 10, seed: 7 })
  assert.equal((await get(seeded.last_id)).status, 200)
  await assert.rejects(mock.seed({ count: 0 }), (err: unknown) => err instanceof MockAdminError && err.statusCode === 400)

  // Invoices have no helper: the /v1 API itself, typed with the shipped Invoice and InvoiceBody.
  const quick: InvoiceBody = { amount: 100.0, description: 'Sample invoice description' }
  const created = await fetch(`${mock.url}/v1/invoices`, { method: 'POST', headers: { api_key: mock.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(quick) })
  assert.equal(created.status, 201)
  const { invoice } = await created.json() as { invoice: Invoice }
  assert.deepEqual([invoice.number, invoice.type, invoice.status, invoice.currency], [`INV${invoice.id}`, 'quick', 'unpaid', 'QAR'])

  await mock.reset()
  assert.equal((await get(seeded.last_id)).status, 404, 'reset brings the fixtures back')
  assert.equal((await fetch(`${mock.url}/v1/invoices/${invoice.id}`, { headers: { api_key: mock.apiKey } })).status, 404, 'and only them')
  assert.deepEqual(await mock.faults(), [])
  console.log('start-mock.ts: ok')
} finally {
  await mock.close()
}
