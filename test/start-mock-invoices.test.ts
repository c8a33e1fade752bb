// Invoices through startMock() (CONTRACT §7), used as a user's test suite would: no helper, real
// fetch() against mock.url with the demo key, bodies typed with the package's Invoice and
// InvoiceBody, whole bodies asserted. A new invoice's id is read from the 201 (ids follow the
// largest in use, across merchants, so they depend on the fixtures); everything else is a literal.
import t from 'tap'
import type { Test } from 'tap'
import { startMock, type Invoice, type InvoiceBody, type ListInvoicesResponse, type MockServer } from '../src/index.js'
import { SECOND_KEY, failure } from './helper.js'

/** A mock closed at teardown, however the test ends. */
async function start (t: Test): Promise<MockServer> {
  const mock = await startMock()
  t.teardown(() => mock.close())
  return mock
}

/** A /v1 call with the demo key (or `apiKey`), as the code under test makes it. */
async function call (mock: MockServer, method: string, path: string, body?: unknown, apiKey = mock.apiKey): Promise<{ status: number, json: unknown }> {
  const res = await fetch(`${mock.url}${path}`, {
    method,
    headers: { api_key: apiKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, json: text === '' ? null : JSON.parse(text) }
}

const EMPTY_SETTING: Invoice['setting'] = { tax: null, discount: null, discount_type: null, language: 'en', accepted_payment_methods: [] }
const NO_CLIENT: Invoice['client'] = { name: null, email: null, phone: null, address: null }

t.test('a detailed invoice naming product 669 (and "671" as a digit string) is created (201) and fetched back', async (t) => {
  const mock = await start(t)
  const body: InvoiceBody = {
    number: 'INV-2026-001',
    type: 'detailed',
    title: 'Coffee order',
    amount: 142.5,
    date: '2026-12-01',
    due_date: '2026-12-15T12:00:00+03:00',
    client: { name: 'Jane Doe', email: 'Jane@Example.com', phone: '+974 5555 0101', address: 'West Bay, Doha' },
    items: [
      { product_id: 669, description: 'Product Name', qty: 1, amount: 100 },
      { product_id: '671', description: 'Extra', qty: 2.5, amount: 42.5, type: 'Service' },
    ],
    setting: { tax: 0, discount: 0, discount_type: 'fixed', language: 'en', accepted_payment_methods: ['credit_card'] },
  }
  const created = await call(mock, 'POST', '/v1/invoices', body)
  const id = (created.json as { invoice: Invoice }).invoice.id
  t.ok(id > 4075, `a new id after the fixtures' largest (4075): ${id}`)
  const invoice: Invoice = {
    id,
    number: 'INV-2026-001',
    type: 'detailed',
    title: 'Coffee order',
    description: null,
    amount: 142.5,
    currency: 'QAR',
    status: 'unpaid',
    date: '2026-12-01T00:00:00Z',
    due_date: '2026-12-15T09:00:00Z',
    terms_conditions: null,
    note: null,
    client: { name: 'Jane Doe', email: 'Jane@Example.com', phone: '+974 5555 0101', address: 'West Bay, Doha' },
    items: [
      { product_id: 669, description: 'Product Name', qty: 1, amount: 100, type: null },
      { product_id: 671, description: 'Extra', qty: 2.5, amount: 42.5, type: 'Service' },
    ],
    payments: [],
    setting: { tax: 0, discount: 0, discount_type: 'fixed', language: 'en', accepted_payment_methods: ['credit_card'] },
  }
  t.same(created, { status: 201, json: { status: 'SUCCESS', invoice } },
    'defaults filled in (currency QAR, status unpaid), dates in UTC to the second, product_id a number')
  t.same(await call(mock, 'GET', `/v1/invoices/${id}`), { status: 200, json: { status: 'SUCCESS', invoice } })

  const list = await call(mock, 'GET', '/v1/invoices?client_email=jane@example.com&from=2026-12-01&to=2026-12-01')
  t.same(list, { status: 200, json: { status: 'SUCCESS', invoices: [invoice], page: 1, page_size: 20, total: 1 } satisfies ListInvoicesResponse },
    'client_email case-insensitive, from/to whole days')
  t.same(await call(mock, 'GET', `/v1/invoices/${id}`, undefined, SECOND_KEY), { status: 404, json: failure(404, 'Invoice not found') },
    "another merchant's key: the same 404 as a missing invoice")
})

t.test("Fatora's quick sample: number INV + id, type quick, date now", async (t) => {
  const mock = await start(t)
  const before = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z')
  const created = await call(mock, 'POST', '/v1/invoices', { amount: 100.0, description: 'Sample invoice description' } satisfies InvoiceBody)
  const after = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  const { id, date } = (created.json as { invoice: Invoice }).invoice
  t.ok(date >= before && date <= after, `now, to the second: ${date}`)
  const invoice: Invoice = {
    id,
    number: `INV${id}`,
    type: 'quick',
    title: null,
    description: 'Sample invoice description',
    amount: 100,
    currency: 'QAR',
    status: 'unpaid',
    date,
    due_date: null,
    terms_conditions: null,
    note: null,
    client: NO_CLIENT,
    items: [],
    payments: [],
    setting: EMPTY_SETTING,
  }
  t.same(created, { status: 201, json: { status: 'SUCCESS', invoice } })
  t.same(await call(mock, 'GET', `/v1/invoices/${id}`), { status: 200, json: { status: 'SUCCESS', invoice } })
})

t.test("the fixtures' invoice 2075 (INV567) is Fatora's sample, and holds product 669", async (t) => {
  const mock = await start(t)
  t.same(await call(mock, 'GET', '/v1/invoices/2075'), {
    status: 200,
    json: {
      status: 'SUCCESS',
      invoice: {
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
      },
    },
  })
  t.same(await call(mock, 'DELETE', '/v1/products/669'), { status: 409, json: failure(409, 'The product is used by an invoice: remove it from the invoice first') },
    'a product an invoice names cannot be deleted')
})

t.test("an item naming another merchant's product is a 400 naming items[i].product_id; nothing is created", async (t) => {
  const mock = await start(t)
  const body: InvoiceBody = { amount: 100, type: 'detailed', items: [{ product_id: 669, qty: 1, amount: 50 }, { product_id: 2669, qty: 1, amount: 50 }] }
  const before = await call(mock, 'GET', '/v1/invoices')
  t.same(await call(mock, 'POST', '/v1/invoices', body), { status: 400, json: failure(400, 'Invalid body field items[1].product_id: the merchant has no product 2669') })
  t.same(await call(mock, 'GET', '/v1/invoices'), before)
})

t.test('deleting the invoice frees its product: 204, then the product can be deleted', async (t) => {
  const mock = await start(t)
  const product = await call(mock, 'POST', '/v1/products', { name: 'Coffee Beans', price: 45.75 })
  const productId = (product.json as { product: { id: number } }).product.id
  const created = await call(mock, 'POST', '/v1/invoices', { amount: 5, items: [{ product_id: productId }] } satisfies InvoiceBody)
  t.equal(created.status, 201)
  const { id, items } = (created.json as { invoice: Invoice }).invoice
  t.same(items, [{ product_id: productId, description: null, qty: 1, amount: 0, type: null }], 'qty defaults to 1, amount to 0')
  t.same(await call(mock, 'DELETE', `/v1/products/${productId}`), { status: 409, json: failure(409, 'The product is used by an invoice: remove it from the invoice first') })
  t.same(await call(mock, 'DELETE', `/v1/invoices/${id}`), { status: 204, json: null })
  t.same(await call(mock, 'GET', `/v1/invoices/${id}`), { status: 404, json: failure(404, 'Invoice not found') })
  t.same(await call(mock, 'DELETE', `/v1/products/${productId}`), { status: 204, json: null })
})
