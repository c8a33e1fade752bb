// The in-process API: startMock() used exactly as a user's test suite would — real
// fetch() over a real socket, the helpers for seeding, faults and the journal, MockAdminError,
// ADMIN_TOKEN, two mocks side by side, and close(). The package exports it as 'fatora-mock';
// this test imports the source.
import t from 'tap'
import type { Test } from 'tap'
import { MockAdminError, startMock, type MockServer, type StartMockOptions } from '../src/index.js'
import { CLIENT_1024, DEMO_KEY, failure } from './helper.js'

/** A mock closed at teardown, however the test ends (close() twice is harmless). */
async function start (t: Test, options: StartMockOptions = {}): Promise<MockServer> {
  const mock = await startMock(options)
  t.teardown(() => mock.close())
  return mock
}

/** GET a client with the demo key, as a user's code would. */
async function getClient (mock: MockServer, id: number): Promise<{ status: number, json: any }> {
  const res = await fetch(`${mock.url}/v1/clients/${id}`, { headers: { api_key: mock.apiKey } })
  return { status: res.status, json: await res.json() }
}

const notFound = failure(404, 'Client not found')

t.test('startMock serves the fixtures on a free port of 127.0.0.1', async (t) => {
  const mock = await start(t)
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(mock.url, `http://127.0.0.1:${mock.port}`)
  t.ok(mock.port > 0)
  t.equal(mock.apiKey, DEMO_KEY, 'the demo merchant\'s public test key')
  const res = await fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: mock.apiKey } })
  t.equal(res.status, 200)
  t.match(res.headers.get('x-request-id'), /^[0-9a-f-]{36}$/)
  t.same(await res.json(), { status: 'SUCCESS', client: CLIENT_1024 })
})

t.test('seed() adds fake clients after the largest id, and they are served', async (t) => {
  const mock = await start(t)
  const result = await mock.seed({ count: 3 })
  const { ms, ...rest } = result
  t.same(rest, { merchant_id: 1, inserted: 3, first_id: 2049, last_id: 2051 })
  t.type(ms, 'number')
  t.same(Object.keys(result).sort(), ['first_id', 'inserted', 'last_id', 'merchant_id', 'ms'])
  for (const id of [2049, 2050, 2051]) {
    const got = await getClient(mock, id)
    t.equal(got.status, 200, `client ${id}`)
    t.equal(got.json.client.id, id)
  }
  t.same((await getClient(mock, 2052)).json, notFound, 'exactly count clients')
})

t.test('addFault(): a 503 once, then the real answer; the journal shows it', async (t) => {
  const mock = await start(t)
  const fault = await mock.addFault({ path: '/v1/clients/:client_id', status: 503, times: 1 })
  const { created_at: createdAt, ...rest } = fault
  t.same(rest, {
    id: 1,
    method: null,
    path: '/v1/clients/:client_id',
    status: 503,
    delay_ms: 0,
    jitter_ms: 0,
    probability: 1,
    times: 1,
    connection: null,
    hits: 0,
    remaining: 1,
  })
  t.match(createdAt, /^\d{4}-\d{2}-\d{2}T/)

  const failed = await getClient(mock, 1024)
  t.equal(failed.status, 503)
  t.same(failed.json, failure(503, 'Storage unavailable'), 'the route\'s documented 503')
  t.same(await getClient(mock, 1024), { status: 200, json: { status: 'SUCCESS', client: CLIENT_1024 } }, 'times: 1 — only once')
  t.match(await mock.faults(), [{ id: 1, hits: 1, remaining: 0 }])

  const errors = await mock.requests({ status: '5xx' })
  t.equal(errors.length, 1)
  t.match(errors[0], { method: 'GET', path: '/v1/clients/1024', status: 503, fault_id: 1, api_key: '****91C9' })
  t.same((await mock.requests()).map((e) => e.status), [200, 503], 'newest first')
  t.same((await mock.requests({ limit: 1 })).map((e) => e.status), [200], 'queries pass through')
})

t.test('addFault({ connection: "reset" }) drops the connection: fetch rejects', async (t) => {
  const mock = await start(t)
  const fault = await mock.addFault({ path: '/v1/clients/1024', connection: 'reset', times: 1 })
  t.equal(fault.connection, 'reset')
  // A real TCP reset, not an HTTP answer: undici reports "fetch failed" caused by ECONNRESET.
  await t.rejects(fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: mock.apiKey } }), { name: 'TypeError', cause: { code: 'ECONNRESET' } })
  t.equal((await getClient(mock, 1024)).status, 200, 'the next request is answered')
  const [ok, reset] = await mock.requests()
  t.match(reset, { path: '/v1/clients/1024', status: null, fault_id: fault.id }, 'the reset request is journaled with status null')
  t.match(ok, { status: 200, fault_id: null })
  t.same(await mock.requests({ status: '5xx' }), [], 'a reset is no 5xx')
})

t.test('faults(), removeFault(), clearFaults(), clearRequests()', async (t) => {
  const mock = await start(t)
  const a = await mock.addFault({ path: '/v1/clients/1024', status: 500 })
  const b = await mock.addFault({ method: 'post', path: '/v1/*', delay_ms: 5 })
  t.same((await mock.faults()).map((f) => [f.id, f.method, f.path]), [[a.id, null, '/v1/clients/1024'], [b.id, 'POST', '/v1/*']])

  t.equal(await mock.removeFault(a.id), undefined)
  t.same((await mock.faults()).map((f) => f.id), [b.id])
  t.equal((await getClient(mock, 1024)).status, 200, 'a removed fault no longer applies')

  await mock.clearFaults()
  t.same(await mock.faults(), [])

  t.equal((await mock.requests()).length, 1)
  await mock.clearRequests()
  t.same(await mock.requests(), [])
})

t.test('reset() removes seeded clients, faults and the journal', async (t) => {
  const mock = await start(t)
  await mock.seed({ count: 2 })
  t.equal((await getClient(mock, 2049)).status, 200)
  await mock.addFault({ path: '/v1/clients/2050', status: 500 })
  t.equal((await getClient(mock, 2050)).status, 500)
  t.equal((await mock.requests()).length, 2)

  t.equal(await mock.reset(), undefined)
  t.same(await mock.faults(), [])
  t.same(await mock.requests(), [])
  t.same(await getClient(mock, 2049), { status: 404, json: notFound }, 'seeded clients are gone')
  t.same(await getClient(mock, 2050), { status: 404, json: notFound }, 'the fault is gone: a plain 404')
  t.same(await getClient(mock, 1024), { status: 200, json: { status: 'SUCCESS', client: CLIENT_1024 } }, 'the fixtures are back')
})

t.test('admin errors reject with MockAdminError: statusCode and description', async (t) => {
  const mock = await start(t)
  const cases: Array<[string, () => Promise<unknown>, number, string]> = [
    ['seed count 0', () => mock.seed({ count: 0 }), 400, 'Invalid body field count: must be >= 1'],
    ['seed unknown merchant', () => mock.seed({ count: 1, merchantId: 99 }), 422, 'Unknown merchant_id: no merchant 99'],
    ['fault outside /v1', () => mock.addFault({ path: '/health', status: 500 }), 400, 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/ (or /api/v1/)'],
    ['fault with no effect', () => mock.addFault({ path: '/v1/*' }), 400, 'Invalid body: a fault needs status, delay_ms, jitter_ms or connection'],
    ['remove a missing fault', () => mock.removeFault(999), 404, 'Fault not found'],
    ['bad journal query', () => mock.requests({ status: 'oops' }), 400, 'Invalid query field status: must match pattern "^[1-5]([0-9]{2}|xx)$"'],
  ]
  for (const [label, call, statusCode, description] of cases) {
    const err = await call().then(() => undefined, (e: unknown) => e)
    t.ok(err instanceof MockAdminError, `${label}: a MockAdminError`)
    t.match(err, { name: 'MockAdminError', statusCode, description, message: `fatora-mock /__admin answered ${statusCode}: ${description}` }, label)
  }
})

t.test('with adminToken, /__admin needs it and the helpers send it', async (t) => {
  const mock = await start(t, { adminToken: 'suite-token-1' })
  const bare = await fetch(`${mock.url}/__admin/state`)
  t.equal(bare.status, 401)
  t.same(await bare.json(), failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>'))

  t.match(await mock.seed({ count: 1 }), { inserted: 1, first_id: 2049 })
  const fault = await mock.addFault({ path: '/v1/clients/2049', status: 500, times: 1 })
  t.equal((await getClient(mock, 2049)).status, 500)
  t.match(await mock.faults(), [{ id: fault.id, hits: 1 }])
  t.same((await mock.requests()).map((e) => e.status), [500])
  await mock.removeFault(fault.id)
  await mock.clearFaults()
  await mock.clearRequests()
  await mock.reset()
  t.equal((await getClient(mock, 2049)).status, 404, 'reset went through')
  t.notOk(JSON.stringify(await mock.requests()).includes('suite-token-1'), 'the admin token is not journaled')
})

t.test('two mocks at once: different ports, separate data, faults and journals', async (t) => {
  const [a, b] = await Promise.all([start(t), start(t)])
  t.not(a.port, b.port)
  await a.seed({ count: 1 })
  await b.addFault({ path: '/v1/clients/1024', status: 500 })
  t.equal((await getClient(a, 2049)).status, 200)
  t.same(await getClient(b, 2049), { status: 404, json: notFound }, 'b has no seeded client')
  t.equal((await getClient(a, 1024)).status, 200, 'b\'s fault does not touch a')
  t.equal((await getClient(b, 1024)).status, 500)
  t.same((await a.requests()).map((e) => e.path), ['/v1/clients/1024', '/v1/clients/2049'])
  t.same((await b.requests()).map((e) => e.path), ['/v1/clients/1024', '/v1/clients/2049'])
  t.same((await a.faults()).length, 0)
})

t.test('close() releases the port', async (t) => {
  const mock = await start(t)
  t.equal((await getClient(mock, 1024)).status, 200)
  await mock.close()
  await t.rejects(fetch(`${mock.url}/health`), { name: 'TypeError', cause: { code: 'ECONNREFUSED' } }, 'nothing listens any more')
})

t.test('close() is quick even with a 60 s delay pending', async (t) => {
  const mock = await start(t)
  await mock.addFault({ path: '/v1/clients/1024', delay_ms: 60_000 })
  const pending = fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: mock.apiKey } })
    .then((res) => res.status, (err: Error) => err)
  // Wait until the request is inside the delay (the fault counted it).
  while ((await mock.faults())[0]?.hits !== 1) await new Promise((resolve) => setTimeout(resolve, 5))
  const started = performance.now()
  await mock.close()
  const took = performance.now() - started
  t.ok(took < 2000, `close() took ${Math.round(took)} ms`)
  // The delay is cut short and the request still answered, as a closing server should.
  t.equal(await pending, 200)
})

t.test('options are checked by the config schema: a bad one rejects with one line naming it', async (t) => {
  const cases: Array<[StartMockOptions, string]> = [
    [{ port: 70000 }, 'Invalid option PORT=70000: expected an integer from 0 to 65535'],
    [{ latencyMs: -1 }, 'Invalid option LATENCY_MS=-1: expected an integer number of milliseconds from 0 to 60000'],
    [{ jwtSecret: 'short' }, 'Invalid option JWT_SECRET: expected a secret of at least 16 characters'],
  ]
  for (const [options, message] of cases) {
    await t.rejects(startMock(options), { name: 'ConfigError', message }, JSON.stringify(options))
  }
})

t.test('the shell\'s configuration variables never reach startMock(): only its options and the defaults count', async (t) => {
  const saved = { ...process.env }
  Object.assign(process.env, { PREFER_ENABLED: 'false', LATENCY_MS: 'abc', SEED_FIXTURES: 'false', ADMIN_TOKEN: 'from-the-shell', JOURNAL_SIZE: '0' })
  t.teardown(() => {
    for (const name of ['PREFER_ENABLED', 'LATENCY_MS', 'SEED_FIXTURES', 'ADMIN_TOKEN', 'JOURNAL_SIZE']) {
      if (saved[name] === undefined) Reflect.deleteProperty(process.env, name)
      else process.env[name] = saved[name]
    }
  })
  const mock = await startMock()
  t.teardown(() => mock.close())
  const forced = await fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: mock.apiKey, prefer: 'code=404' } })
  t.equal(forced.status, 404, 'Prefer is honoured (PREFER_ENABLED from the shell ignored)')
  await forced.arrayBuffer()
  const state = await mock.app.inject({ url: '/__admin/state' })
  t.equal(state.statusCode, 200, 'no admin token (ADMIN_TOKEN from the shell ignored)')
  t.same(state.json().totals, { merchants: 2, api_keys: 3, clients: 83, products: 46, payments: 2, card_tokens: 2, invoices: 83 }, 'the fixtures are loaded (SEED_FIXTURES from the shell ignored)')
  t.equal((await mock.requests()).length, 1, 'the journal records (JOURNAL_SIZE from the shell ignored)')
})

t.test('payments: checkout(), the page over fetch, completePayment(), verify(), payments(), webhooks(), pushes()', async (t) => {
  // A merchant's receiver for the webhook.
  const { createServer } = await import('node:http')
  const hits: Array<{ url: string, body: string }> = []
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => { hits.push({ url: req.url ?? '', body }); res.end('ok') })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { receiver.close() })
  const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`
  const mock = await start(t, { successPageMs: 0, currencies: ['QAR', 'XTS'], webhookRetryMs: [10] })
  await mock.setWebhook(1, hook)

  const { checkoutUrl, paymentId } = await mock.checkout({ amount: 10.5, currency: 'XTS', order_id: 'sm-1', client: { name: 'Ann' }, success_url: 'https://shop.example/ok', fcm_token: 'fcm-9' })
  t.equal(checkoutUrl, `${mock.url}/pay/MCPaymentPage?paymentID=${paymentId}`, 'the URL a browser on this machine opens')
  const page = await fetch(checkoutUrl)
  t.equal(page.status, 200)
  t.match(await page.text(), /<button type="submit" name="action" value="pay" class="primary">Pay<\/button>/)

  const paid = await fetch(checkoutUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pay&card_number=5555555555554444&expiry=12%2F40&cvv=123&holder_name=Ann' })
  t.equal(paid.status, 303)
  const location = new URL(paid.headers.get('location') as string)
  t.equal(location.origin + location.pathname, 'https://shop.example/ok', 'successPageMs: 0 → straight to success_url')
  const transactionId = location.searchParams.get('transaction_id') as string

  const result = await mock.verify({ transaction_id: transactionId })
  t.match(result, { order_id: 'sm-1', transaction_id: transactionId, amount: 10.5, currency: 'XTS', payment_status: 'SUCCESS', card_type: 'MASTERCARD', last_4_digits: '4444' })
  const [listed] = await mock.payments({ order_id: 'sm-1' })
  t.match(listed, { payment_id: paymentId, status: 'SUCCESS', fcm_token: 'fcm-9', checkout_url: checkoutUrl })

  const second = await mock.checkout({ amount: 1, currency: 'QAR', order_id: 'sm-2', client: { name: 'Bo' } })
  const done = await mock.completePayment(second.paymentId, { card: '4000000000009995' })
  t.match(done, { payment: { status: 'FAILURE', response_code: '051', description: 'Transaction Declined - Insufficient funds' }, redirect_url: null })
  await t.rejects(mock.completePayment(second.paymentId, { outcome: 'cancelled' }), { name: 'MockAdminError', statusCode: 409 })

  for (let i = 0; i < 100 && hits.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  const deliveries = await mock.webhooks()
  t.same(deliveries.map((d) => [d.payment_id, d.outcome]), [[second.paymentId, 'delivered'], [paymentId, 'delivered']], 'both payments notified, newest first')
  t.same(hits.map((h) => JSON.parse(h.body).result.order_id).sort(), ['sm-1', 'sm-2'])
  const pushes = await mock.pushes()
  t.same(pushes.map((p) => [p.fcm_token, p.payment_id]), [['fcm-9', paymentId]], 'a push for the checkout with an fcm_token only')
  await mock.setWebhook(1, null)
})
