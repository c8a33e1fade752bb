// Fatora's invoice API (CONTRACT §7, with §1's auth, tenancy and envelope and §4's paging): get,
// create (quick and detailed), list with every filter, replace, delete — full bodies with literal
// values, every field's rule named in the description (array elements as items[2].qty), exact
// amounts, dates in UTC to the second, items that must name the merchant's own products, the
// product an invoice uses (409), and a restart on a file database.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { join } from 'node:path'
import { buildWithDb, DEMO_KEY, failure, SECOND_KEY } from '../../helper.js'
import { openDatabase, type Db } from '../../../src/db/open.js'
import type { ConfigInput } from '../../../src/config.js'
import { createStores } from '../../../src/db/stores.js'
import { loadFixtures } from '../../../src/seed/fixtures.js'
import { seedFixtures } from '../../../src/seed/seed.js'

// The default fixtures without their faker products and invoices: these tests list and filter the
// hand-written ones (2075, 2076, 4075); the faker ones are test/modules/invoices/seed.test.ts's.
function fixturesDb (path = ':memory:'): Db {
  const fixtures = structuredClone(loadFixtures()) as unknown as { merchants: Array<Record<string, unknown>> }
  for (const m of fixtures.merchants) { delete m.fake_products; delete m.fake_invoices }
  return openDatabase(path, { onCreate: (fresh) => { seedFixtures(createStores(fresh), fixtures as unknown as ReturnType<typeof loadFixtures>) } }).db
}
const build = async (t: Test, overrides: ConfigInput = {}): Promise<FastifyInstance> => (await buildWithDb(t, overrides, fixturesDb())).app

type Headers = Record<string, string>

async function req (app: FastifyInstance, method: string, url: string, body?: unknown, headers: Headers = { api_key: DEMO_KEY }): Promise<{ status: number, json: any, body: string }> {
  const res = await app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json(), body: res.body }
}

/** The headers of a merchant's bearer token (CONTRACT §4: Authorize, then Authorization: Bearer). */
async function bearer (app: FastifyInstance, key: string): Promise<Headers> {
  const res = await app.inject({ url: '/v1/Authorization/Authorize', headers: { api_key: key } })
  return { authorization: `Bearer ${(res.json() as { bearer_token: string }).bearer_token}` }
}

const M1 = { api_key: DEMO_KEY }
const M2 = { api_key: SECOND_KEY }
const NOT_FOUND = failure(404, 'Invoice not found')
const INVALID_ID = failure(400, 'Invalid invoice_id: must be a positive integer from 1 to 9007199254740991')
const KEYS = ['id', 'number', 'type', 'title', 'description', 'amount', 'currency', 'status', 'date', 'due_date', 'terms_conditions', 'note', 'client', 'items', 'payments', 'setting']
const UTC_SECOND = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/
const NO_CLIENT = { name: null, email: null, phone: null, address: null }
const DEFAULT_SETTING = { tax: null, discount: null, discount_type: null, language: 'en', accepted_payment_methods: [] }

/** Fatora's sample invoice, as the fixtures give merchant 1 (CONTRACT §7: 2075, number INV567). */
const INVOICE_2075 = {
  id: 2075,
  number: 'INV567',
  type: 'detailed',
  title: 'Sample Invoice',
  description: 'Sample invoice description',
  amount: 100,
  currency: 'QAR',
  status: 'paid',
  date: '2023-09-30T00:00:00Z',
  due_date: '2023-10-10T00:00:00Z',
  terms_conditions: 'Sample terms and conditions',
  note: 'Sample note',
  client: { name: 'Client name', email: 'client@example.com', phone: 'Phone number', address: 'Client address' },
  items: [
    { product_id: 669, description: 'Item 1', qty: 2, amount: 50, type: 'Service' },
    { product_id: 670, description: 'Item 2', qty: 5, amount: 50, type: 'Inventory' },
  ],
  payments: [
    { payment_date: '2023-10-10T00:00:00Z', transaction_id: 'TXN123', amount: 50, note: 'Payment received', payment_type: 'credit', status: 'paid' },
    { payment_date: '2023-10-10T00:00:00Z', transaction_id: 'TXN456', amount: 50, note: 'Another payment received', payment_type: 'PayPal', status: 'active' },
  ],
  setting: { tax: 0, discount: 0, discount_type: 'fixed', language: 'en', accepted_payment_methods: ['credit_card'] },
}

/** Merchant 1's quick fixture invoice: Fatora's quick sample, defaults for the rest. */
const INVOICE_2076 = {
  id: 2076,
  number: 'INV2076',
  type: 'quick',
  title: null,
  description: 'Sample invoice description',
  amount: 100,
  currency: 'QAR',
  status: 'unpaid',
  date: '2025-01-01T00:00:00Z',
  due_date: null,
  terms_conditions: null,
  note: null,
  client: NO_CLIENT,
  items: [],
  payments: [],
  setting: DEFAULT_SETTING,
}

/** Merchant 2's invoice (the fixtures' tenancy example): its item names merchant 2's product. */
const INVOICE_4075 = {
  id: 4075,
  number: 'DTC-4075',
  type: 'detailed',
  title: 'فاتورة شهرية',
  description: null,
  amount: 250,
  currency: 'QAR',
  status: 'unpaid',
  date: '2025-01-02T00:00:00Z',
  due_date: '2025-01-16T00:00:00Z',
  terms_conditions: null,
  note: null,
  client: { name: 'Second Merchant Client', email: 'second.client@example.com', phone: '+974 4000 2048', address: 'Doha' },
  items: [{ product_id: 2669, description: 'Belongs to merchant 2 only', qty: 1, amount: 250, type: null }],
  payments: [],
  setting: { tax: null, discount: null, discount_type: null, language: 'ar', accepted_payment_methods: [] },
}

/** Fatora's Create Invoice samples: the quick one, verbatim. */
const QUICK_SAMPLE = { amount: 100.0, description: 'Sample invoice description' }

/**
 * Fatora's detailed sample: its product ids replaced by merchant 1's products, one as a string
 * ("669", as the sample writes them) and one as a number; the client's e-mail as the docs page
 * shows it ("[email protected]", the page's e-mail obfuscation), which the mock accepts.
 */
const DETAILED_SAMPLE = {
  number: 'INV123',
  amount: 100.0,
  currency: 'QAR',
  terms_conditions: 'Sample terms and conditions',
  note: 'Sample note',
  due_date: '2023-10-10T00:00:00Z',
  date: '2023-09-30T00:00:00Z',
  status: 'paid',
  type: 'detailed',
  title: 'Sample Invoice',
  description: 'Sample invoice description',
  client: { name: 'Client name', email: '[email protected]', phone: 'Phone number', address: 'Client address' },
  items: [
    { product_id: '669', description: 'Item 1', qty: 2, amount: 50.0 },
    { product_id: 670, description: 'Item 2', qty: 5, amount: 50.0 },
  ],
  payments: [
    { payment_date: '2023-10-10T00:00:00Z', transaction_id: 'TXN123', amount: 50.0, note: 'Payment received', payment_type: 'credit', status: 'paid' },
    { payment_date: '2023-10-10T00:00:00Z', transaction_id: 'TXN456', amount: 50.0, note: 'Another payment received', payment_type: 'PayPal', status: 'active' },
  ],
  setting: { tax: 0, discount: 0, discount_type: 'fixed', language: 'en', accepted_payment_methods: ['credit_card'] },
}

/** What the detailed sample is stored and answered as (product ids as numbers, item types null). */
const detailedSampleAnswer = (id: number): object => ({
  ...INVOICE_2075,
  id,
  number: 'INV123',
  client: { ...INVOICE_2075.client, email: '[email protected]' },
  items: [
    { product_id: 669, description: 'Item 1', qty: 2, amount: 50, type: null },
    { product_id: 670, description: 'Item 2', qty: 5, amount: 50, type: null },
  ],
})

/** Milliseconds of now, truncated to the second (dates are stored to the second). */
const secondNow = (): number => Math.floor(Date.now() / 1000) * 1000

/** Checks that `date` is the stored form of a moment in [before, after] (CONTRACT §7: UTC to the second). */
function isNow (t: Test, date: unknown, before: number, what: string): void {
  t.match(date, UTC_SECOND, `${what}: UTC to the second`)
  const ms = Date.parse(date as string)
  t.ok(ms >= before && ms <= Date.now(), `${what}: now (${String(date)})`)
}

const idsOf = (body: { invoices: Array<{ id: number }> }): number[] => body.invoices.map((i) => i.id)

t.test('GET /v1/invoices/{invoice_id}: the fixtures\' invoices, full bodies, for api_key and bearer', async (t) => {
  const app = await build(t)
  for (const [id, key, want] of [[2075, DEMO_KEY, INVOICE_2075], [2076, DEMO_KEY, INVOICE_2076], [4075, SECOND_KEY, INVOICE_4075]] as const) {
    const res = await req(app, 'GET', `/v1/invoices/${id}`, undefined, { api_key: key })
    t.same([res.status, res.json], [200, { status: 'SUCCESS', invoice: want }], `${id} with api_key`)
    t.same(Object.keys(res.json.invoice), KEYS, `${id}: every field, in order`)
    const viaBearer = await req(app, 'GET', `/v1/invoices/${id}`, undefined, await bearer(app, key))
    t.equal(viaBearer.status, 200, `${id} with a bearer token`)
    t.equal(viaBearer.body, res.body, `${id}: the same bytes with a bearer token`)
  }
  const head = await app.inject({ method: 'HEAD', url: '/v1/invoices/2075', headers: M1 })
  t.same([head.statusCode, head.body], [200, ''], 'HEAD')
})

t.test('tenancy (CONTRACT §1): another merchant\'s invoice is a 404 byte-identical to a missing id, for api_key and bearer, on every route', async (t) => {
  const app = await build(t)
  const credentials = {
    'api_key 1': M1,
    'api_key 2': M2,
    'bearer 1': await bearer(app, DEMO_KEY),
    'bearer 2': await bearer(app, SECOND_KEY),
  }
  const cases: Array<[keyof typeof credentials, number]> = [['api_key 1', 4075], ['bearer 1', 4075], ['api_key 2', 2075], ['api_key 2', 2076], ['bearer 2', 2075]]
  for (const [who, foreign] of cases) {
    const as = credentials[who]
    for (const [method, body] of [['GET', undefined], ['PUT', QUICK_SAMPLE], ['DELETE', undefined]] as const) {
      const other = await req(app, method, `/v1/invoices/${foreign}`, body, as)
      const missing = await req(app, method, '/v1/invoices/999999', body, as)
      t.same([other.status, other.json], [404, NOT_FOUND], `${who}: ${method} ${foreign}`)
      t.equal(other.body, missing.body, `${who}: ${method} ${foreign} answers what a missing id answers`)
    }
  }
  t.same((await req(app, 'GET', '/v1/invoices/2075', undefined, M1)).json.invoice, INVOICE_2075, '2075 untouched')
  t.same((await req(app, 'GET', '/v1/invoices/2076', undefined, M1)).json.invoice, INVOICE_2076, '2076 untouched')
  t.same((await req(app, 'GET', '/v1/invoices/4075', undefined, M2)).json.invoice, INVOICE_4075, '4075 untouched')
  const m1 = await req(app, 'GET', '/v1/invoices', undefined, credentials['bearer 1'])
  const m2 = await req(app, 'GET', '/v1/invoices', undefined, credentials['bearer 2'])
  t.same([idsOf(m1.json), m1.json.total], [[2075, 2076], 2], 'merchant 1 lists only its own (bearer)')
  t.same([idsOf(m2.json), m2.json.total], [[4075], 1], 'merchant 2 lists only its own (bearer)')
})

t.test('GET, PUT, DELETE /v1/invoices/{invoice_id}: a bad id is a 400 naming invoice_id', async (t) => {
  const app = await build(t)
  const ids = ['abc', '1.5', '-3', '0', '1e3', '0x10', '02075', '%20', '%202075', '2075abc', '2075%00', '9007199254740992', '99999999999999999']
  for (const id of ids) {
    for (const [method, body] of [['GET', undefined], ['PUT', QUICK_SAMPLE], ['DELETE', undefined]] as const) {
      const res = await req(app, method, `/v1/invoices/${id}`, body)
      t.same([res.status, res.json], [400, INVALID_ID], `${method} /v1/invoices/${id}`)
    }
  }
  const largest = await req(app, 'GET', '/v1/invoices/9007199254740991')
  t.same([largest.status, largest.json], [404, NOT_FOUND], 'the largest id is valid, and missing')
})

t.test('POST /v1/invoices: Fatora\'s quick sample; the defaults (number INV + id, quick, unpaid, QAR, en, date now)', async (t) => {
  const app = await build(t)
  const before = secondNow()
  const created = await req(app, 'POST', '/v1/invoices', QUICK_SAMPLE)
  t.equal(created.status, 201)
  isNow(t, created.json.invoice.date, before, 'date')
  t.same(created.json, {
    status: 'SUCCESS',
    invoice: { ...INVOICE_2076, id: 4076, number: 'INV4076', date: created.json.invoice.date },
  }, 'ids continue after the largest (4075, merchant 2\'s); the rest defaults or null')
  t.same(Object.keys(created.json.invoice), KEYS, 'every field, in order')
  t.same((await req(app, 'GET', '/v1/invoices/4076')).json, created.json, 'read back as created')

  // Every optional field null is the same as left out; unknown fields are ignored.
  const nulls = await req(app, 'POST', '/v1/invoices', {
    amount: 5,
    number: null,
    currency: null,
    terms_conditions: null,
    note: null,
    due_date: null,
    date: null,
    status: null,
    type: null,
    title: null,
    description: null,
    client: null,
    items: null,
    payments: null,
    setting: null,
    unknown: 'ignored',
    id: 1,
  })
  t.equal(nulls.status, 201)
  isNow(t, nulls.json.invoice.date, before, 'null date')
  t.same(nulls.json.invoice, { ...INVOICE_2076, id: 4077, number: 'INV4077', description: null, amount: 5, date: nulls.json.invoice.date }, 'null means not sent; a body\'s id is ignored')

  // Inside the objects too: an item's qty defaults to 1 and its amount to 0.
  const inner = await req(app, 'POST', '/v1/invoices', {
    amount: 7,
    client: { name: null, email: null, phone: null, address: null },
    items: [{}, { product_id: null, description: null, qty: null, amount: null, type: null }, { product_id: 671 }],
    payments: [{}, { payment_date: null, transaction_id: null, amount: null, note: null, payment_type: null, status: null }],
    setting: { tax: null, discount: null, discount_type: null, language: null, accepted_payment_methods: null },
  })
  t.equal(inner.status, 201)
  const blankItem = { product_id: null, description: null, qty: 1, amount: 0, type: null }
  const blankPayment = { payment_date: null, transaction_id: null, amount: null, note: null, payment_type: null, status: null }
  t.same(inner.json.invoice, {
    ...INVOICE_2076,
    id: 4078,
    number: 'INV4078',
    description: null,
    amount: 7,
    date: inner.json.invoice.date,
    items: [blankItem, blankItem, { ...blankItem, product_id: 671 }],
    payments: [blankPayment, blankPayment],
  }, 'nested fields: null or left out take their defaults')

  const viaBearer = await req(app, 'POST', '/v1/invoices', QUICK_SAMPLE, await bearer(app, SECOND_KEY))
  t.same([viaBearer.status, viaBearer.json.invoice.id, viaBearer.json.invoice.number], [201, 4079, 'INV4079'], 'a bearer token creates for its merchant')
  t.equal((await req(app, 'GET', '/v1/invoices/4079', undefined, M2)).status, 200, 'merchant 2 owns it')
  t.equal((await req(app, 'GET', '/v1/invoices/4079', undefined, M1)).status, 404, 'merchant 1 does not see it')
})

t.test('POST /v1/invoices: Fatora\'s detailed sample, product ids as "669" and 670', async (t) => {
  const app = await build(t)
  const created = await req(app, 'POST', '/v1/invoices', DETAILED_SAMPLE)
  t.same([created.status, created.json], [201, { status: 'SUCCESS', invoice: detailedSampleAnswer(4076) }])
  t.same((await req(app, 'GET', '/v1/invoices/4076')).json, created.json, 'read back as created')
  const listed = await req(app, 'GET', `/v1/invoices?client_email=${encodeURIComponent('[email protected]')}`)
  t.same(listed.json.invoices, [created.json.invoice], 'the docs\' e-mail is stored as given and found by client_email')
  const typed = await req(app, 'POST', '/v1/invoices', { ...DETAILED_SAMPLE, number: 'INV124', client: { ...DETAILED_SAMPLE.client, email: 'client@example.com' }, items: [{ ...DETAILED_SAMPLE.items[0], type: 'Service' }] })
  t.same(typed.json.invoice.items, [{ product_id: 669, description: 'Item 1', qty: 2, amount: 50, type: 'Service' }], 'an item\'s type is kept')
  t.same(typed.json.invoice.client.email, 'client@example.com')
})

t.test('PUT /v1/invoices/{invoice_id}: replaces every field; left-out ones become defaults or null', async (t) => {
  const app = await build(t)
  const full = await req(app, 'PUT', '/v1/invoices/2076', DETAILED_SAMPLE)
  t.same([full.status, full.json], [200, { status: 'SUCCESS', invoice: detailedSampleAnswer(2076) }], 'the quick invoice becomes the detailed sample')
  t.same((await req(app, 'GET', '/v1/invoices/2076')).json.invoice, detailedSampleAnswer(2076), 'stored')

  const before = secondNow()
  const bare = await req(app, 'PUT', '/v1/invoices/2075', { amount: 1.5 })
  t.equal(bare.status, 200)
  isNow(t, bare.json.invoice.date, before, 'a left-out date')
  t.same(bare.json.invoice, {
    id: 2075,
    number: 'INV2075',
    type: 'quick',
    title: null,
    description: null,
    amount: 1.5,
    currency: 'QAR',
    status: 'unpaid',
    date: bare.json.invoice.date,
    due_date: null,
    terms_conditions: null,
    note: null,
    client: NO_CLIENT,
    items: [],
    payments: [],
    setting: DEFAULT_SETTING,
  }, 'nothing of INV567 is kept: number INV + id, no items, no payments, default setting')
  t.same((await req(app, 'GET', '/v1/invoices/2075')).json.invoice, bare.json.invoice, 'stored')

  const itemsOnly = await req(app, 'PUT', '/v1/invoices/2075', { amount: 3, number: 'KEEP-1', items: [{ product_id: 672, qty: 3, amount: 1 }] })
  t.same([itemsOnly.json.invoice.number, itemsOnly.json.invoice.items], ['KEEP-1', [{ product_id: 672, description: null, qty: 3, amount: 1, type: null }]], 'items are replaced, not appended')

  const missing = await req(app, 'PUT', '/v1/invoices/999999', QUICK_SAMPLE)
  t.same([missing.status, missing.json], [404, NOT_FOUND])
  const viaBearer = await req(app, 'PUT', '/v1/invoices/4075', { ...QUICK_SAMPLE, number: 'DTC-4075-2' }, await bearer(app, SECOND_KEY))
  t.same([viaBearer.status, viaBearer.json.invoice.id, viaBearer.json.invoice.number], [200, 4075, 'DTC-4075-2'], 'a bearer token updates its merchant\'s invoice')
})

t.test('DELETE /v1/invoices/{invoice_id}: 204 without a body, then 404', async (t) => {
  const app = await build(t)
  const gone = await req(app, 'DELETE', '/v1/invoices/2075')
  t.same([gone.status, gone.body], [204, ''])
  t.same((await req(app, 'GET', '/v1/invoices/2075')).json, NOT_FOUND, 'GET: 404')
  t.same((await req(app, 'PUT', '/v1/invoices/2075', QUICK_SAMPLE)).json, NOT_FOUND, 'PUT: 404')
  t.same((await req(app, 'DELETE', '/v1/invoices/2075')).json, NOT_FOUND, 'DELETE again: 404')
  t.same(idsOf((await req(app, 'GET', '/v1/invoices')).json), [2076], 'no longer listed')
  const viaBearer = await req(app, 'DELETE', '/v1/invoices/4075', undefined, await bearer(app, SECOND_KEY))
  t.same([viaBearer.status, viaBearer.body], [204, ''], 'a bearer token deletes its merchant\'s invoice')
  t.same((await req(app, 'GET', '/v1/invoices', undefined, M2)).json.total, 0)
  t.equal((await req(app, 'POST', '/v1/invoices', QUICK_SAMPLE)).status, 201)
  t.same((await req(app, 'GET', '/v1/invoices/2075')).json, NOT_FOUND, 'a new invoice does not bring 2075 back')
})

t.test('amounts are exact (CONTRACT §6.1 rules): thousandths in, the same number out; 0.1 + 0.2 is refused, not rounded', async (t) => {
  const app = await build(t)
  for (const amount of [0, 0.001, 0.1, 1.234, 12.5, 123.1, 123.456, 999999999.999]) {
    const created = await req(app, 'POST', '/v1/invoices', { amount })
    t.equal(created.status, 201, `${amount} accepted`)
    t.match(created.body, `"amount":${String(amount)},`, `${amount} answered as written`)
    t.equal((await req(app, 'GET', `/v1/invoices/${created.json.invoice.id as number}`)).json.invoice.amount, amount, `${amount} read back exactly`)
  }
  const nested = await req(app, 'POST', '/v1/invoices', {
    amount: 123.1,
    items: [{ qty: 0.001, amount: 0.1 }, { qty: 2.5, amount: 123.1 }, { qty: 1000000, amount: 999999999.999 }],
    payments: [{ amount: 0.2 }, { amount: 0 }],
    setting: { tax: 14.125, discount: 0.7, discount_type: 'percentage' },
  })
  t.equal(nested.status, 201)
  const inv = nested.json.invoice
  t.same([inv.amount, inv.items.map((i: { qty: number, amount: number }) => [i.qty, i.amount]), inv.payments.map((p: { amount: number }) => p.amount), inv.setting.tax, inv.setting.discount],
    [123.1, [[0.001, 0.1], [2.5, 123.1], [1000000, 999999999.999]], [0.2, 0], 14.125, 0.7], 'items, payments and setting amounts too')
  t.match(nested.body, '"amount":123.1,"currency"', '123.1 stays 123.1 on the wire')
  t.same((await req(app, 'GET', `/v1/invoices/${inv.id as number}`)).json.invoice, inv, 'read back exactly')

  const amount = 'Invalid body field amount: must be a number from 0 to 999999999.999 with at most 3 decimals'
  const refused: Array<[string, unknown, string]> = [
    ['amount 0.1 + 0.2', { amount: 0.30000000000000004 }, amount],
    ['amount with 4 decimals', { amount: 1.0005 }, amount],
    ['amount 1e-7', { amount: 1e-7 }, amount],
    ['items[0].amount 0.1 + 0.2', { amount: 1, items: [{ amount: 0.30000000000000004 }] }, 'Invalid body field items[0].amount: must be a number from 0 to 999999999.999 with at most 3 decimals'],
    ['items[1].qty 0.1 + 0.2', { amount: 1, items: [{}, { qty: 0.30000000000000004 }] }, 'Invalid body field items[1].qty: must be a number greater than 0 and at most 1000000, with at most 3 decimals'],
    ['payments[1].amount 0.1 + 0.2', { amount: 1, payments: [{}, { amount: 0.30000000000000004 }] }, 'Invalid body field payments[1].amount: must be a number from 0 to 999999999.999 with at most 3 decimals'],
    ['setting.tax 0.1 + 0.2', { amount: 1, setting: { tax: 0.30000000000000004 } }, 'Invalid body field setting.tax: must be a number from 0 to 100 with at most 3 decimals, or null'],
    ['setting.discount 0.1 + 0.2', { amount: 1, setting: { discount: 0.30000000000000004 } }, 'Invalid body field setting.discount: must be a number from 0 to 999999999.999 with at most 3 decimals, or null'],
  ]
  for (const [what, body, description] of refused) {
    const res = await req(app, 'POST', '/v1/invoices', body)
    t.same([res.status, res.json], [400, failure(400, description)], what)
  }
})

t.test('dates (CONTRACT §7): ISO 8601 in, UTC to the second out; a date is its midnight UTC; days that do not exist are refused', async (t) => {
  const app = await build(t)
  const accepted: Array<[string, string]> = [
    ['2023-09-30', '2023-09-30T00:00:00Z'],
    ['2023-09-30T10:00:00Z', '2023-09-30T10:00:00Z'],
    ['2023-09-30T10:00:00+03:00', '2023-09-30T07:00:00Z'],
    ['2023-09-30T01:00:00+03:00', '2023-09-29T22:00:00Z'],
    ['2023-09-30T22:30:00-05:30', '2023-10-01T04:00:00Z'],
    ['2023-12-31T23:00:00-01:00', '2024-01-01T00:00:00Z'],
    ['2023-09-30T10:00:00+00:00', '2023-09-30T10:00:00Z'],
    ['2023-09-30T10:00Z', '2023-09-30T10:00:00Z'],
    ['2023-09-30T10:00:00.999Z', '2023-09-30T10:00:00Z'],
    ['2023-09-30T10:00:00.123456789+03:00', '2023-09-30T07:00:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'],
  ]
  for (const [input, stored] of accepted) {
    const res = await req(app, 'POST', '/v1/invoices', { amount: 1, date: input, due_date: input, payments: [{ payment_date: input }] })
    t.equal(res.status, 201, `${input} accepted`)
    const inv = res.json.invoice
    t.same([inv.date, inv.due_date, inv.payments[0].payment_date], [stored, stored, stored], `${input} → ${stored} (date, due_date, payments[0].payment_date)`)
    t.same((await req(app, 'GET', `/v1/invoices/${inv.id as number}`)).json.invoice.date, stored, `${input}: stored so`)
  }
  const refused = [
    '2023-02-30', '2023-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-09-00', '2023-9-30', '20230930', '30/09/2023', 'yesterday', '',
    '2023-09-30T25:00:00Z', '2023-09-30T23:60:00Z', '2023-09-30T10:00:00', '2023-09-30 10:00:00Z', '2023-09-30T10:00:00+24:00', '2023-09-30T10:00:00+0300',
    // An offset that carries the instant past year 9999, or before 0000, in UTC.
    '9999-12-31T23:00:00-05:00', '0000-01-01T00:00:00+01:00',
  ]
  const message = (field: string): string => `Invalid body field ${field}: must be an ISO 8601 date (2023-09-30) or date-time (2023-09-30T00:00:00Z), or null`
  for (const input of refused) {
    for (const [field, body] of [['date', { amount: 1, date: input }], ['due_date', { amount: 1, due_date: input }], ['payments[0].payment_date', { amount: 1, payments: [{ payment_date: input }] }]] as const) {
      const res = await req(app, 'POST', '/v1/invoices', body)
      t.same([res.status, res.json], [400, failure(400, message(field))], `${field} ${JSON.stringify(input)}`)
    }
  }
  for (const value of [20230930, true, {}, ['2023-09-30']]) {
    const res = await req(app, 'POST', '/v1/invoices', { amount: 1, date: value })
    t.same([res.status, res.json], [400, failure(400, message('date'))], `date ${JSON.stringify(value)}`)
  }
})

t.test('GET /v1/invoices: the merchant\'s invoices by id, paged (page, page_size, total)', async (t) => {
  const app = await build(t)
  const all = await req(app, 'GET', '/v1/invoices')
  t.equal(all.status, 200)
  t.same(Object.keys(all.json), ['status', 'invoices', 'page', 'page_size', 'total'])
  t.same(all.json, { status: 'SUCCESS', invoices: [INVOICE_2075, INVOICE_2076], page: 1, page_size: 20, total: 2 }, 'full bodies, as GET by id answers them')
  t.same((await req(app, 'GET', '/v1/invoices', undefined, M2)).json, { status: 'SUCCESS', invoices: [INVOICE_4075], page: 1, page_size: 20, total: 1 }, 'merchant 2: only its own')
  const second = await req(app, 'GET', '/v1/invoices?page=2&page_size=1')
  t.same(second.json, { status: 'SUCCESS', invoices: [INVOICE_2076], page: 2, page_size: 1, total: 2 })
  const past = await req(app, 'GET', '/v1/invoices?page=3&page_size=1')
  t.same(past.json, { status: 'SUCCESS', invoices: [], page: 3, page_size: 1, total: 2 }, 'past the end: empty, with the total')
  const far = await req(app, 'GET', '/v1/invoices?page=999999999&page_size=100')
  t.same(far.json, { status: 'SUCCESS', invoices: [], page: 999999999, page_size: 100, total: 2 }, 'the last page number allowed')
  const slash = await req(app, 'GET', '/v1/invoices/?page_size=1')
  t.same([idsOf(slash.json), slash.json.total], [[2075], 2], 'a trailing slash works too')

  // 25 more: the default page size is 20.
  const created: number[] = []
  for (let i = 0; i < 25; i++) created.push((await req(app, 'POST', '/v1/invoices', { amount: i + 1 })).json.invoice.id)
  t.same(created, Array.from({ length: 25 }, (_, i) => 4076 + i), 'ids 4076…4100')
  const page1 = await req(app, 'GET', '/v1/invoices')
  t.same([idsOf(page1.json), page1.json.page, page1.json.page_size, page1.json.total], [[2075, 2076, ...created.slice(0, 18)], 1, 20, 27])
  const page2 = await req(app, 'GET', '/v1/invoices?page=2')
  t.same([idsOf(page2.json), page2.json.total], [created.slice(18), 27], 'the rest on page 2')
  const exact = await req(app, 'GET', '/v1/invoices?page=3&page_size=9')
  t.same([idsOf(exact.json), exact.json.total], [created.slice(16), 27], 'a full last page')
  const big = await req(app, 'GET', '/v1/invoices?page_size=100')
  t.same([idsOf(big.json).length, big.json.total], [27, 27], 'page_size 100')
  t.same((await req(app, 'GET', '/v1/invoices', undefined, M2)).json.total, 1, 'merchant 2 still has one')
})

t.test('GET /v1/invoices: every filter, alone and combined (CONTRACT §7)', async (t) => {
  const app = await build(t)
  const bodies = {
    A: { amount: 10, number: 'ABC-100%', type: 'detailed', title: 'Office chairs', status: 'Paid', date: '2024-03-01T23:59:59Z', client: { name: 'Fatima Al-Thani', email: 'Fatima@Example.QA' } },
    B: { amount: 20, number: 'ABC_200', description: 'Back\\slash and 50% off', status: 'paid', date: '2024-03-02', client: { name: 'Omar', email: 'omar@example.qa' } },
    C: { amount: 30, type: 'detailed', title: 'Desk lamp', status: 'draft', date: '2024-03-02T23:59:59+03:00', client: { email: 'FATIMA@example.qa' } },
    D: { amount: 40, description: 'abcx2 widgets, 1000 units', date: '2024-03-03T00:00:00+03:00' },
    E: { amount: 50, date: '2024-03-03T02:59:59.999+03:00' },
  }
  const id: Record<string, number> = {}
  for (const [name, body] of Object.entries(bodies)) id[name] = (await req(app, 'POST', '/v1/invoices', body)).json.invoice.id
  const { A, B, C, D, E } = id as Record<'A' | 'B' | 'C' | 'D' | 'E', number>
  t.same([A, B, C, D, E], [4076, 4077, 4078, 4079, 4080])
  // Merchant 2's look-alike: it matches many of the filters below, and must never show up.
  const foreign = (await req(app, 'POST', '/v1/invoices', { amount: 60, number: 'ABC-100%', title: 'Office chairs', status: 'paid', date: '2024-03-02', client: { name: 'Fatima', email: 'fatima@example.qa' } }, M2)).json.invoice.id
  t.equal(foreign, 4081)
  const dates = (await req(app, 'GET', '/v1/invoices')).json.invoices.map((i: { date: string }) => i.date)
  t.same(dates, ['2023-09-30T00:00:00Z', '2025-01-01T00:00:00Z', '2024-03-01T23:59:59Z', '2024-03-02T00:00:00Z', '2024-03-02T20:59:59Z', '2024-03-02T21:00:00Z', '2024-03-02T23:59:59Z'], 'the dates the filters see (UTC)')

  const ids = async (query: string, headers: Headers = M1): Promise<number[]> => {
    const res = await req(app, 'GET', `/v1/invoices?${query}`, undefined, headers)
    t.equal(res.status, 200, `?${query}: 200`)
    t.equal(res.json.total, res.json.invoices.length, `?${query}: total`)
    return idsOf(res.json)
  }
  const q = encodeURIComponent
  const cases: Array<[string, number[], string]> = [
    // keyword: number, title, description, client name, client e-mail; case-insensitive; LIKE's characters literal.
    ['keyword=inv567', [2075], 'the number, case-insensitively'],
    ['keyword=INV40', [C, D, E], 'default numbers (INV + id)'],
    [`keyword=${q('sample invoice')}`, [2075, 2076], 'title and description'],
    [`keyword=${q('SAMPLE INVOICE DESCRIPTION')}`, [2075, 2076], 'the description, any case'],
    ['keyword=office', [A], 'the title'],
    [`keyword=${q('client name')}`, [2075], 'the client\'s name'],
    ['keyword=fatima', [A, C], 'the client\'s name and e-mail'],
    [`keyword=${q('EXAMPLE.COM')}`, [2075], 'the client\'s e-mail'],
    ['keyword=abc', [A, B, D], 'number and description'],
    [`keyword=${q('%')}`, [A, B], '% is a literal character'],
    [`keyword=${q('100%')}`, [A], '100% is not 100 followed by anything (D has 1000)'],
    [`keyword=${q('_')}`, [B], '_ is a literal character'],
    [`keyword=${q('ABC_2')}`, [B], 'ABC_2 is not ABC, any character, 2 (D has abcx2)'],
    [`keyword=${q('\\')}`, [B], '\\ (LIKE\'s escape character) is a literal character'],
    [`keyword=${q('back\\s')}`, [B], 'a backslash before a letter'],
    [`keyword=${q('%%')}`, [], 'no %% anywhere'],
    [`keyword=${q('50% off')}`, [B], 'a space and a %'],
    [`keyword=${q('Phone number')}`, [], 'not the client\'s phone'],
    ['keyword=address', [], 'not the client\'s address'],
    [`keyword=${q('Sample note')}`, [], 'not the note'],
    ['keyword=conditions', [], 'not the terms'],
    [`keyword=${q('Item 1')}`, [], 'not the items'],
    ['keyword=TXN123', [], 'not the payments'],
    ['keyword=', [2075, 2076, A, B, C, D, E], 'an empty keyword matches every invoice'],
    // status: exact, case-sensitive.
    ['status=paid', [2075, B], 'status: exact'],
    ['status=Paid', [A], 'status: case-sensitive'],
    ['status=unpaid', [2076, D, E], 'status: the default'],
    ['status=draft', [C], 'status: any text'],
    ['status=pai', [], 'status: not a prefix'],
    ['status=', [], 'status: empty matches nothing'],
    // type.
    ['type=quick', [2076, B, D, E], 'type quick (the default)'],
    ['type=detailed', [2075, A, C], 'type detailed'],
    // client_email: whole, case-insensitive.
    [`client_email=${q('fatima@example.qa')}`, [A, C], 'client_email: case-insensitive'],
    [`client_email=${q('FATIMA@EXAMPLE.QA')}`, [A, C], 'client_email: any case'],
    [`client_email=${q('client@example.com')}`, [2075], 'client_email: the fixture'],
    [`client_email=${q('example.qa')}`, [], 'client_email: not a substring'],
    [`client_email=${q('%@example.qa')}`, [], 'client_email: not a pattern'],
    [`client_email=${q('_mar@example.qa')}`, [], 'client_email: _ is not a wildcard'],
    [`client_email=${q('second.client@example.com')}`, [], 'client_email: merchant 2\'s client is not found'],
    // from / to on date: a date is the whole day (UTC); a date-time is exact, inclusive.
    ['from=2024-03-02', [2076, B, C, D, E], 'from: a date, from its start'],
    ['to=2024-03-01', [2075, A], 'to: a date includes its last second'],
    ['to=2024-03-02', [2075, A, B, C, D, E], 'to: a date includes the whole day'],
    ['from=2024-03-02&to=2024-03-02', [B, C, D, E], 'one whole day'],
    ['from=2023-09-30&to=2023-09-30', [2075], 'one day, the fixture'],
    ['from=2024-03-01T23:59:59Z', [2076, A, B, C, D, E], 'from: a date-time, inclusive'],
    ['from=2024-03-01T23:59:59.001Z', [2076, B, C, D, E], 'from: a millisecond later excludes it'],
    ['to=2024-03-02T00:00:00Z', [2075, A, B], 'to: a date-time, inclusive'],
    ['to=2024-03-01T23:59:59.999Z', [2075, A], 'to: a millisecond earlier excludes B'],
    ['to=2024-03-02T20:59:58Z', [2075, A, B], 'to: a second before C'],
    [`from=${q('2024-03-03T00:00:00+03:00')}`, [2076, D, E], 'from: an offset (21:00Z)'],
    [`to=${q('2024-03-02T23:59:59+03:00')}`, [2075, A, B, C], 'to: an offset (20:59:59Z)'],
    ['from=2024-03-01T23:59:59Z&to=2024-03-02T00:00:00Z', [A, B], 'from and to date-times'],
    ['from=2025-01-02', [], 'nothing that late'],
    ['from=2025-01-01&to=2024-01-01', [], 'from after to: nothing'],
    ['from=0000-01-01', [2075, 2076, A, B, C, D, E], 'from the first day there is'],
    ['to=9999-12-31', [2075, 2076, A, B, C, D, E], 'to the last day there is'],
    ['from=9999-12-31', [], 'from the last day: nothing'],
    // Combined.
    ['keyword=fatima&status=draft', [C], 'keyword and status'],
    ['type=detailed&from=2024-01-01', [A, C], 'type and from'],
    [`keyword=abc&type=quick&status=paid&client_email=${q('OMAR@example.qa')}&from=2024-03-02&to=2024-03-02`, [B], 'every filter at once'],
    [`keyword=abc&type=detailed&status=paid&client_email=${q('OMAR@example.qa')}`, [], 'every filter at once, one of them unmet'],
  ]
  for (const [query, want, what] of cases) t.same(await ids(query), want, `?${query}: ${what}`)

  const paged = await req(app, 'GET', '/v1/invoices?status=unpaid&page_size=2&page=2')
  t.same([idsOf(paged.json), paged.json.page, paged.json.page_size, paged.json.total], [[E], 2, 2, 3], 'filters and paging together: total counts every page')
  const empty = await req(app, 'GET', '/v1/invoices?status=unpaid&page_size=2&page=3')
  t.same([idsOf(empty.json), empty.json.total], [[], 3], 'a filtered page past the end still has the total')

  // Tenancy applies to every filter: merchant 2 sees only its own, with bearer as with api_key.
  for (const headers of [M2, await bearer(app, SECOND_KEY)]) {
    t.same(await ids(`keyword=${q('ABC-100%')}`, headers), [foreign], 'merchant 2: keyword')
    t.same(await ids('status=paid', headers), [foreign], 'merchant 2: status')
    t.same(await ids(`client_email=${q('FATIMA@example.qa')}`, headers), [foreign], 'merchant 2: client_email')
    t.same(await ids('from=2024-03-02&to=2024-03-02', headers), [foreign], 'merchant 2: from/to')
    t.same(await ids('type=detailed', headers), [4075], 'merchant 2: type')
    t.same(await ids(`keyword=${q('فاتورة')}`, headers), [4075], 'merchant 2: an Arabic keyword')
    t.same(await ids('keyword=sample', headers), [], 'merchant 2: never merchant 1\'s')
  }
})

t.test('GET /v1/invoices: bad query parameters, each named', async (t) => {
  const app = await build(t)
  const page = 'Invalid query field page: must be an integer from 1 to 999999999'
  const pageSize = 'Invalid query field page_size: must be an integer from 1 to 100'
  const date = (f: string): string => `Invalid query field ${f}: must be an ISO 8601 date (2025-01-31) or date-time (2025-01-31T10:00:00Z)`
  const type = 'Invalid query field type: must be quick or detailed'
  const text = (f: string, max: number): string => `Invalid query field ${f}: must be a string of at most ${max} characters, without NUL characters`
  const cases: Array<[string, string]> = [
    ['page=0', page], ['page=-1', page], ['page=abc', page], ['page=1.5', page], ['page=01', page], ['page=1e3', page], ['page=1000000000', page], ['page=', page], ['page=1&page=2', page],
    ['page_size=0', pageSize], ['page_size=101', pageSize], ['page_size=999', pageSize], ['page_size=abc', pageSize], ['page_size=20.0', pageSize], ['page_size=', pageSize],
    ['from=yesterday', date('from')], ['from=2023-02-30', date('from')], ['from=2025-13-01', date('from')], ['from=2025-01-01T10:00:00', date('from')], ['from=', date('from')],
    ['to=2025-01-01T25:00:00Z', date('to')], ['to=01/02/2025', date('to')], ['to=2025-1-1', date('to')], ['to=2024-02-30', date('to')],
    ['type=Quick', type], ['type=DETAILED', type], ['type=other', type], ['type=', type],
    [`status=${'s'.repeat(51)}`, text('status', 50)], ['status=a%00b', text('status', 50)],
    [`keyword=${'k'.repeat(201)}`, text('keyword', 200)], ['keyword=a%00b', text('keyword', 200)], ['keyword=a&keyword=b', text('keyword', 200)],
    [`client_email=${'e'.repeat(255)}`, text('client_email', 254)], ['client_email=client%40example.com%00', text('client_email', 254)],
  ]
  for (const [query, description] of cases) {
    const res = await req(app, 'GET', `/v1/invoices?${query}`)
    t.same([res.status, res.json], [400, failure(400, description)], query.slice(0, 60))
  }
  const longest = await req(app, 'GET', `/v1/invoices?keyword=${'k'.repeat(200)}&status=${'s'.repeat(50)}&client_email=${'e'.repeat(254)}`)
  t.same([longest.status, longest.json.total], [200, 0], 'the longest filters allowed')
})

t.test('POST and PUT /v1/invoices: every field\'s rule, each named in the description (array elements as items[2].qty)', async (t) => {
  const app = await build(t)
  const amount = (f: string): string => `Invalid body field ${f}: must be a number from 0 to 999999999.999 with at most 3 decimals`
  const text = (f: string, max: number): string => `Invalid body field ${f}: must be a string of at most ${max} characters, or null`
  const date = (f: string): string => `Invalid body field ${f}: must be an ISO 8601 date (2023-09-30) or date-time (2023-09-30T00:00:00Z), or null`
  const number = 'Invalid body field number: must be a non-empty string of at most 100 characters, or null'
  const currency = 'Invalid body field currency: must be three upper-case letters (QAR)'
  const status = 'Invalid body field status: must be a non-empty string of at most 50 characters, or null'
  const type = 'Invalid body field type: must be quick or detailed'
  const client = 'Invalid body field client: must be an object, or null'
  const email = 'Invalid body field client.email: must be a valid e-mail address, or null'
  const items = 'Invalid body field items: must be an array of at most 100 items, or null'
  const item = (i: number): string => `Invalid body field items[${i}]: must be an object`
  const productId = (i: number): string => `Invalid body field items[${i}].product_id: must be a positive integer (or its digits as a string), or null`
  const noProduct = (i: number, id: number): string => `Invalid body field items[${i}].product_id: the merchant has no product ${id}`
  const qty = (i: number): string => `Invalid body field items[${i}].qty: must be a number greater than 0 and at most 1000000, with at most 3 decimals`
  const payments = 'Invalid body field payments: must be an array of at most 100 payments, or null'
  const payment = (i: number): string => `Invalid body field payments[${i}]: must be an object`
  const setting = 'Invalid body field setting: must be an object, or null'
  const tax = 'Invalid body field setting.tax: must be a number from 0 to 100 with at most 3 decimals, or null'
  const discount = 'Invalid body field setting.discount: must be a number from 0 to 999999999.999 with at most 3 decimals, or null'
  const discountType = 'Invalid body field setting.discount_type: must be fixed or percentage, or null'
  const language = 'Invalid body field setting.language: must be en or ar, or null'
  const methods = 'Invalid body field setting.accepted_payment_methods: must be an array of at most 20 non-empty strings of at most 50 characters, or null'
  const cases: Array<[string, unknown, string]> = [
    ['no amount', { description: 'x' }, 'Invalid body: amount is required'],
    ['empty object', {}, 'Invalid body: amount is required'],
    ['amount null', { amount: null }, amount('amount')],
    ['amount a string (no coercion)', { amount: '100' }, amount('amount')],
    ['amount a boolean', { amount: true }, amount('amount')],
    ['amount negative', { amount: -1 }, amount('amount')],
    ['amount past the maximum', { amount: 1000000000 }, amount('amount')],
    ['amount with 4 decimals', { amount: 1.2345 }, amount('amount')],
    ['number empty', { amount: 1, number: '' }, number],
    ['number too long (101)', { amount: 1, number: 'n'.repeat(101) }, number],
    ['number a number', { amount: 1, number: 567 }, number],
    ['currency lower-case', { amount: 1, currency: 'qar' }, currency],
    ['currency 4 letters', { amount: 1, currency: 'QARS' }, currency],
    ['currency a number', { amount: 1, currency: 634 }, currency],
    ['terms_conditions too long (5001)', { amount: 1, terms_conditions: 't'.repeat(5001) }, text('terms_conditions', 5000)],
    ['note a number', { amount: 1, note: 5 }, text('note', 2000)],
    ['note too long (2001)', { amount: 1, note: 'n'.repeat(2001) }, text('note', 2000)],
    ['due_date a day that does not exist', { amount: 1, due_date: '2023-02-30' }, date('due_date')],
    ['due_date 10/10/2023', { amount: 1, due_date: '10/10/2023' }, date('due_date')],
    ['date without a zone', { amount: 1, date: '2023-09-30T10:00:00' }, date('date')],
    ['date a number', { amount: 1, date: 20230930 }, date('date')],
    ['status empty', { amount: 1, status: '' }, status],
    ['status too long (51)', { amount: 1, status: 's'.repeat(51) }, status],
    ['status a number', { amount: 1, status: 1 }, status],
    ['type Quick', { amount: 1, type: 'Quick' }, type],
    ['type other', { amount: 1, type: 'recurring' }, type],
    ['type a number', { amount: 1, type: 1 }, type],
    ['title too long (201)', { amount: 1, title: 't'.repeat(201) }, text('title', 200)],
    ['description too long (2001)', { amount: 1, description: 'd'.repeat(2001) }, text('description', 2000)],
    ['description an object', { amount: 1, description: {} }, text('description', 2000)],
    ['client a string', { amount: 1, client: 'Client name' }, client],
    ['client an array', { amount: 1, client: [] }, client],
    ['client.name a number', { amount: 1, client: { name: 1 } }, text('client.name', 200)],
    ['client.name too long (201)', { amount: 1, client: { name: 'n'.repeat(201) } }, text('client.name', 200)],
    ['client.email not an address', { amount: 1, client: { email: 'not-an-email' } }, email],
    ['client.email without a domain', { amount: 1, client: { email: 'client@' } }, email],
    ['client.email a number', { amount: 1, client: { email: 42 } }, email],
    ['client.email almost the docs\' placeholder', { amount: 1, client: { email: '[email  protected]' } }, email],
    ['client.phone too long (51)', { amount: 1, client: { phone: 'p'.repeat(51) } }, text('client.phone', 50)],
    ['client.address an array', { amount: 1, client: { address: [] } }, text('client.address', 500)],
    ['client.address too long (501)', { amount: 1, client: { address: 'a'.repeat(501) } }, text('client.address', 500)],
    ['items a string', { amount: 1, items: 'x' }, items],
    ['items an object', { amount: 1, items: {} }, items],
    ['items 101 of them', { amount: 1, items: Array(101).fill({}) }, items],
    ['items[0] a number', { amount: 1, items: [1] }, item(0)],
    ['items[1] a string', { amount: 1, items: [{}, 'x'] }, item(1)],
    ['items[1] null', { amount: 1, items: [{}, null] }, item(1)],
    ['items[0].product_id 0', { amount: 1, items: [{ product_id: 0 }] }, productId(0)],
    ['items[0].product_id negative', { amount: 1, items: [{ product_id: -669 }] }, productId(0)],
    ['items[0].product_id a fraction', { amount: 1, items: [{ product_id: 669.5 }] }, productId(0)],
    ['items[0].product_id letters', { amount: 1, items: [{ product_id: 'abc' }] }, productId(0)],
    ['items[0].product_id "0669"', { amount: 1, items: [{ product_id: '0669' }] }, productId(0)],
    ['items[0].product_id " 669"', { amount: 1, items: [{ product_id: ' 669' }] }, productId(0)],
    ['items[0].product_id "669.0"', { amount: 1, items: [{ product_id: '669.0' }] }, productId(0)],
    ['items[0].product_id a boolean', { amount: 1, items: [{ product_id: true }] }, productId(0)],
    ['items[0].product_id past 2^53 - 1', { amount: 1, items: [{ product_id: 9007199254740992 }] }, productId(0)],
    ['items[0].product_id "9999999999999999" (16 digits, past 2^53 - 1)', { amount: 1, items: [{ product_id: '9999999999999999' }] }, productId(0)],
    ['items[3].product_id after three good ones', { amount: 1, items: [{ product_id: 669 }, { product_id: '670' }, {}, { product_id: 'x' }] }, productId(3)],
    ['items[0].product_id nobody has', { amount: 1, items: [{ product_id: 999999 }] }, noProduct(0, 999999)],
    ['items[0].product_id nobody has, as a string', { amount: 1, items: [{ product_id: '9007199254740991' }] }, noProduct(0, 9007199254740991)],
    ['items[2].product_id nobody has', { amount: 1, items: [{ product_id: 669 }, {}, { product_id: 673 }] }, noProduct(2, 673)],
    ['items[2].qty 0', { amount: 1, items: [{}, {}, { qty: 0 }] }, qty(2)],
    ['items[2].qty negative', { amount: 1, items: [{}, {}, { qty: -1 }] }, qty(2)],
    ['items[2].qty past 1000000', { amount: 1, items: [{}, {}, { qty: 1000001 }] }, qty(2)],
    ['items[2].qty with 4 decimals', { amount: 1, items: [{}, {}, { qty: 1.2345 }] }, qty(2)],
    ['items[2].qty a string', { amount: 1, items: [{}, {}, { qty: '2' }] }, qty(2)],
    ['items[0].amount negative', { amount: 1, items: [{ amount: -1 }] }, amount('items[0].amount')],
    ['items[0].amount with 4 decimals', { amount: 1, items: [{ amount: 1.2345 }] }, amount('items[0].amount')],
    ['items[1].amount a string', { amount: 1, items: [{}, { amount: '50' }] }, amount('items[1].amount')],
    ['items[0].description too long (2001)', { amount: 1, items: [{ description: 'd'.repeat(2001) }] }, text('items[0].description', 2000)],
    ['items[0].type too long (51)', { amount: 1, items: [{ type: 't'.repeat(51) }] }, text('items[0].type', 50)],
    ['payments a string', { amount: 1, payments: 'x' }, payments],
    ['payments 101 of them', { amount: 1, payments: Array(101).fill({}) }, payments],
    ['payments[0] null', { amount: 1, payments: [null] }, payment(0)],
    ['payments[1] an array', { amount: 1, payments: [{}, []] }, payment(1)],
    ['payments[1].amount negative', { amount: 1, payments: [{}, { amount: -5 }] }, amount('payments[1].amount')],
    ['payments[1].amount with 4 decimals', { amount: 1, payments: [{}, { amount: 1.2345 }] }, amount('payments[1].amount')],
    ['payments[1].amount a string', { amount: 1, payments: [{}, { amount: '50' }] }, amount('payments[1].amount')],
    ['payments[0].payment_date month 13', { amount: 1, payments: [{ payment_date: '2023-13-01' }] }, date('payments[0].payment_date')],
    ['payments[0].payment_date 2023-02-30', { amount: 1, payments: [{ payment_date: '2023-02-30' }] }, date('payments[0].payment_date')],
    ['payments[0].transaction_id too long (101)', { amount: 1, payments: [{ transaction_id: 't'.repeat(101) }] }, text('payments[0].transaction_id', 100)],
    ['payments[0].note a number', { amount: 1, payments: [{ note: 1 }] }, text('payments[0].note', 2000)],
    ['payments[0].payment_type too long (51)', { amount: 1, payments: [{ payment_type: 't'.repeat(51) }] }, text('payments[0].payment_type', 50)],
    ['payments[0].status a boolean', { amount: 1, payments: [{ status: false }] }, text('payments[0].status', 50)],
    ['setting a string', { amount: 1, setting: 'x' }, setting],
    ['setting an array', { amount: 1, setting: [] }, setting],
    ['setting.tax negative', { amount: 1, setting: { tax: -1 } }, tax],
    ['setting.tax past 100', { amount: 1, setting: { tax: 101 } }, tax],
    ['setting.tax with 4 decimals', { amount: 1, setting: { tax: 1.2345 } }, tax],
    ['setting.tax a string', { amount: 1, setting: { tax: '5' } }, tax],
    ['setting.discount negative', { amount: 1, setting: { discount: -1 } }, discount],
    ['setting.discount past the maximum', { amount: 1, setting: { discount: 1000000000 } }, discount],
    ['setting.discount with 4 decimals', { amount: 1, setting: { discount: 1.2345 } }, discount],
    ['setting.discount_type percent', { amount: 1, setting: { discount_type: 'percent' } }, discountType],
    ['setting.discount_type Fixed', { amount: 1, setting: { discount_type: 'Fixed' } }, discountType],
    ['setting.discount_type a number', { amount: 1, setting: { discount_type: 1 } }, discountType],
    ['setting.language fr', { amount: 1, setting: { language: 'fr' } }, language],
    ['setting.language EN', { amount: 1, setting: { language: 'EN' } }, language],
    ['setting.accepted_payment_methods a string', { amount: 1, setting: { accepted_payment_methods: 'credit_card' } }, methods],
    ['setting.accepted_payment_methods with an empty one', { amount: 1, setting: { accepted_payment_methods: ['credit_card', ''] } }, methods],
    ['setting.accepted_payment_methods with a number', { amount: 1, setting: { accepted_payment_methods: [1] } }, methods],
    ['setting.accepted_payment_methods 21 of them', { amount: 1, setting: { accepted_payment_methods: Array(21).fill('credit_card') } }, methods],
    ['setting.accepted_payment_methods one too long (51)', { amount: 1, setting: { accepted_payment_methods: ['m'.repeat(51)] } }, methods],
    ['an array', [], 'Invalid body: expected a JSON object'],
  ]
  for (const [what, body, description] of cases) {
    const created = await req(app, 'POST', '/v1/invoices', body)
    t.same([created.status, created.json], [400, failure(400, description)], `POST: ${what}`)
    const replaced = await req(app, 'PUT', '/v1/invoices/2075', body)
    t.same([replaced.status, replaced.json], [400, failure(400, description)], `PUT: ${what}`)
  }
  t.same((await req(app, 'GET', '/v1/invoices/2075')).json.invoice, INVOICE_2075, 'nothing was changed')
  t.same((await req(app, 'GET', '/v1/invoices')).json.total, 2, 'nothing was created')
  const limits = await req(app, 'POST', '/v1/invoices', {
    amount: 999999999.999,
    number: 'n'.repeat(100),
    terms_conditions: 't'.repeat(5000),
    note: 'n'.repeat(2000),
    status: 's'.repeat(50),
    title: 't'.repeat(200),
    description: 'd'.repeat(2000),
    client: { name: 'n'.repeat(200), phone: 'p'.repeat(50), address: 'a'.repeat(500) },
    items: Array(100).fill({ qty: 1000000, description: 'd'.repeat(2000), type: 't'.repeat(50) }),
    payments: Array(100).fill({ transaction_id: 't'.repeat(100), payment_type: 'p'.repeat(50), status: 's'.repeat(50) }),
    setting: { tax: 100, discount: 999999999.999, accepted_payment_methods: Array(20).fill('m'.repeat(50)) },
  })
  t.equal(limits.status, 201, 'every limit itself is accepted')
  t.same([limits.json.invoice.items.length, limits.json.invoice.payments.length], [100, 100])
})

t.test('items name the merchant\'s own products: another merchant\'s is a 400 naming items[i].product_id (CONTRACT §7)', async (t) => {
  const app = await build(t)
  const cases: Array<[string, Headers, unknown, string]> = [
    ['merchant 1 names 2669', M1, [{ product_id: 2669 }], 'Invalid body field items[0].product_id: the merchant has no product 2669'],
    ['merchant 1 names "2670"', M1, [{ product_id: '2670' }], 'Invalid body field items[0].product_id: the merchant has no product 2670'],
    ['merchant 1 names its own, then 2669', M1, [{ product_id: 669 }, { product_id: '670' }, { product_id: 2669 }], 'Invalid body field items[2].product_id: the merchant has no product 2669'],
    ['merchant 2 names 669', M2, [{ product_id: 669 }], 'Invalid body field items[0].product_id: the merchant has no product 669'],
    ['merchant 2 names its own, then "672"', M2, [{ product_id: 2669 }, { product_id: '672' }], 'Invalid body field items[1].product_id: the merchant has no product 672'],
  ]
  for (const [what, headers, items, description] of cases) {
    const res = await req(app, 'POST', '/v1/invoices', { amount: 1, items }, headers)
    t.same([res.status, res.json], [400, failure(400, description)], `POST: ${what}`)
    const own = headers === M1 ? 2075 : 4075
    const put = await req(app, 'PUT', `/v1/invoices/${own}`, { amount: 1, items }, headers)
    t.same([put.status, put.json], [400, failure(400, description)], `PUT ${own}: ${what}`)
    const viaBearer = await req(app, 'POST', '/v1/invoices', { amount: 1, items }, await bearer(app, headers === M1 ? DEMO_KEY : SECOND_KEY))
    t.same([viaBearer.status, viaBearer.json], [400, failure(400, description)], `POST with a bearer token: ${what}`)
  }
  const missing = await req(app, 'POST', '/v1/invoices', { amount: 1, items: [{ product_id: 2671 }] })
  t.same(missing.json, failure(400, 'Invalid body field items[0].product_id: the merchant has no product 2671'), 'a product nobody has: the same sentence (no existence leak)')
  t.same((await req(app, 'GET', '/v1/invoices/2075')).json.invoice, INVOICE_2075, '2075 unchanged')
  t.same((await req(app, 'GET', '/v1/invoices/4075', undefined, M2)).json.invoice, INVOICE_4075, '4075 unchanged')
  t.same([(await req(app, 'GET', '/v1/invoices')).json.total, (await req(app, 'GET', '/v1/invoices', undefined, M2)).json.total], [2, 1], 'nothing created')
  const own = await req(app, 'POST', '/v1/invoices', { amount: 1, items: [{ product_id: '2669' }, { product_id: 2670 }] }, M2)
  t.same([own.status, own.json.invoice.items.map((i: { product_id: number }) => i.product_id)], [201, [2669, 2670]], 'merchant 2 names its own products')
})

t.test('a product an invoice names cannot be deleted (409) until the invoice lets it go (CONTRACT §7)', async (t) => {
  const app = await build(t)
  const inUse = failure(409, 'The product is used by an invoice: remove it from the invoice first')
  for (const id of [669, 670]) {
    const res = await req(app, 'DELETE', `/v1/products/${id}`)
    t.same([res.status, res.json], [409, inUse], `DELETE /v1/products/${id}: 2075 names it`)
    t.equal((await req(app, 'GET', `/v1/products/${id}`)).status, 200, `${id} is still there`)
  }
  const viaBearer = await req(app, 'DELETE', '/v1/products/669', undefined, await bearer(app, DEMO_KEY))
  t.same([viaBearer.status, viaBearer.json], [409, inUse], 'the same with a bearer token')
  const m2 = await req(app, 'DELETE', '/v1/products/2669', undefined, M2)
  t.same([m2.status, m2.json], [409, inUse], 'merchant 2\'s product 2669: 4075 names it')
  const foreign = await req(app, 'DELETE', '/v1/products/2669')
  const nobody = await req(app, 'DELETE', '/v1/products/999999')
  t.same([foreign.status, foreign.json], [404, failure(404, 'Product not found')], 'merchant 1 deleting 2669: a 404, not the 409')
  t.equal(foreign.body, nobody.body, 'byte-identical to a missing product')

  // Two invoices name 671: it stays until neither does.
  const first = (await req(app, 'POST', '/v1/invoices', { amount: 1, items: [{ product_id: 671 }] })).json.invoice.id
  const second = (await req(app, 'POST', '/v1/invoices', { amount: 1, items: [{ product_id: '671' }, { product_id: 672 }] })).json.invoice.id
  t.same((await req(app, 'DELETE', '/v1/products/671')).json, inUse, '671: two invoices name it')
  t.equal((await req(app, 'PUT', `/v1/invoices/${first as number}`, { amount: 1 })).status, 200, 'a replace without items')
  t.same((await req(app, 'DELETE', '/v1/products/671')).json, inUse, '671: the second invoice still names it')
  t.equal((await req(app, 'PUT', `/v1/invoices/${second as number}`, { amount: 1, items: [{ product_id: 672 }] })).status, 200, 'a replace naming only 672')
  const freed = await req(app, 'DELETE', '/v1/products/671')
  t.same([freed.status, freed.body], [204, ''], '671 goes once no invoice names it')
  t.same((await req(app, 'DELETE', '/v1/products/672')).json, inUse, '672: named by the replaced items')

  // Deleting the invoice lets its products go.
  t.equal((await req(app, 'DELETE', '/v1/invoices/2075')).status, 204)
  for (const id of [669, 670]) {
    const res = await req(app, 'DELETE', `/v1/products/${id}`)
    t.same([res.status, res.body], [204, ''], `DELETE /v1/products/${id} once 2075 is gone`)
  }
  t.equal((await req(app, 'DELETE', `/v1/invoices/${second as number}`)).status, 204)
  t.same((await req(app, 'DELETE', '/v1/products/672')).status, 204, '672 once its invoice is gone')
  t.equal((await req(app, 'DELETE', '/v1/invoices/4075', undefined, M2)).status, 204)
  t.same((await req(app, 'DELETE', '/v1/products/2669', undefined, M2)).status, 204, 'merchant 2\'s 2669 once 4075 is gone')
  const afterward = await req(app, 'POST', '/v1/invoices', { amount: 1, items: [{ product_id: 669 }] })
  t.same([afterward.status, afterward.json], [400, failure(400, 'Invalid body field items[0].product_id: the merchant has no product 669')], 'a deleted product cannot be named')
})

t.test('invoices survive a restart on a file database', async (t) => {
  const path = join(t.testdir(), 'invoices.db')
  const first = await buildWithDb(t, {}, fixturesDb(path))
  const created = await req(first.app, 'POST', '/v1/invoices', { ...DETAILED_SAMPLE, number: 'RESTART-1', items: [{ product_id: 671, qty: 0.125, amount: 123.1 }] })
  t.equal(created.status, 201)
  const replaced = await req(first.app, 'PUT', '/v1/invoices/2076', { amount: 123.456, date: '2024-06-30T23:30:00-02:00', setting: { tax: 14.125 } })
  t.equal(replaced.status, 200)
  t.equal((await req(first.app, 'DELETE', '/v1/invoices/2075')).status, 204)
  await first.app.close()
  first.db.close()

  const { app } = await buildWithDb(t, {}, openDatabase(path).db)
  t.same((await req(app, 'GET', `/v1/invoices/${created.json.invoice.id as number}`)).json.invoice, created.json.invoice, 'the created invoice, exactly')
  const changed = (await req(app, 'GET', '/v1/invoices/2076')).json.invoice
  t.same(changed, replaced.json.invoice, 'the replaced one')
  t.same([changed.amount, changed.date, changed.setting.tax], [123.456, '2024-07-01T01:30:00Z', 14.125], 'amounts exact, the date in UTC')
  t.same((await req(app, 'GET', '/v1/invoices/2075')).json, NOT_FOUND, 'the deleted one stays deleted')
  t.same((await req(app, 'GET', '/v1/invoices/4075', undefined, M2)).json.invoice, INVOICE_4075, 'merchant 2\'s, untouched')
  t.same((await req(app, 'DELETE', '/v1/products/671')).json, failure(409, 'The product is used by an invoice: remove it from the invoice first'), 'the product its item names still cannot go')
  t.equal((await req(app, 'DELETE', '/v1/products/669')).status, 204, '669, freed by the deleted 2075, can')
  const next = await req(app, 'POST', '/v1/invoices', QUICK_SAMPLE)
  t.equal(next.json.invoice.id, (created.json.invoice.id as number) + 1, 'ids continue after a restart')
})
