// Webhooks and the push outbox (CONTRACT §6.7), over real sockets: a local receiver, the app
// listening. Delivery, retries, timeouts, the signature, the log, per-merchant URLs, reset and
// shutdown; the admin routes' bad inputs.
import t, { type Test } from 'tap'
import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ConfigInput } from '../../../src/config.js'
import { build, DEMO_KEY, failure, SECOND_KEY } from '../../helper.js'

interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

type Handler = (req: Received, res: ServerResponse, index: number) => void

/** A webhook receiver on 127.0.0.1: records each request, then lets `handler` answer (200 by default). */
async function receiver (t: Test, handler: Handler = (_req, res) => { res.end('ok') }): Promise<{ url: string, received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => { body += chunk })
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      received.push(r)
      handler(r, res, received.length - 1)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

/** A port nothing listens on: opened, then closed. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface Answer { status: number, json: any }

/** The app with `overrides`, listening on 127.0.0.1, and a JSON client for it. */
async function start (t: Test, overrides: ConfigInput = {}): Promise<{ app: Awaited<ReturnType<typeof build>>, call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer> }> {
  // Short delays; a timeout generous enough for a loaded machine (the timeout test sets its own).
  const app = await build(t, { WEBHOOK_RETRY_MS: '20,40,80', WEBHOOK_TIMEOUT_MS: 5000, ...overrides })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) }
  }
  return { app, call }
}

type Call = Awaited<ReturnType<typeof start>>['call']

const CHECKOUT = { amount: 10, currency: 'QAR', order_id: 'o-1', client: { name: 'A' }, success_url: 'https://shop.example/ok?x=1' }

/** Checkout, then finish the payment with `card`; the payment id and the complete answer. */
async function pay (call: Call, { key = DEMO_KEY, card = '4111111111111111', extra = {} }: { key?: string, card?: string, extra?: object } = {}): Promise<{ paymentId: string, complete: Answer }> {
  const checkout = await call('POST', '/v1/payments/checkout', { ...CHECKOUT, ...extra }, { api_key: key })
  const paymentId = new URL(checkout.json.result.checkout_url as string).searchParams.get('paymentID') as string
  const complete = await call('POST', `/__admin/payments/${paymentId}/complete`, { card })
  return { paymentId, complete }
}

async function waitFor (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

async function deliveries (call: Call, query = ''): Promise<any[]> {
  return (await call('GET', `/__admin/webhooks${query}`)).json.deliveries
}

/** A log entry with its varying fields masked. */
function masked (t: Test, d: Record<string, unknown>): Record<string, unknown> {
  t.match(d.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.type(d.duration_ms, 'number')
  if (d.next_retry_at !== null) t.match(d.next_retry_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  return { ...d, time: '<time>', duration_ms: '<ms>', next_retry_at: d.next_retry_at === null ? null : '<time>' }
}

const SUCCESS_QUERY = (transactionId: string): string =>
  `transaction_id=${transactionId}&order_id=o-1&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved`

t.test('a finished payment is POSTed to WEBHOOK_URL: redirect parameters, verify\'s body, no signature without a secret', async (t) => {
  const hook = await receiver(t)
  const { call } = await start(t, { WEBHOOK_URL: `${hook.url}/hook?x=1` })
  const { paymentId, complete } = await pay(call)
  t.equal(complete.status, 200)
  const transactionId = complete.json.payment.transaction_id as string
  await waitFor('the delivery', async () => (await deliveries(call)).length === 1)

  t.equal(hook.received.length, 1)
  const [got] = hook.received as [Received]
  t.equal(got.method, 'POST')
  t.equal(got.url, `/hook?x=1&${SUCCESS_QUERY(transactionId)}`, "the URL's own query kept, the redirect's parameters appended")
  t.equal(got.headers['content-type'], 'application/json')
  t.match(got.headers['user-agent'], /^fatora-mock/)
  t.notOk('x-fatora-mock-signature' in got.headers, 'no signature without WEBHOOK_SECRET')
  const verify = await call('POST', '/v1/payments/verify', { transaction_id: transactionId, order_id: 'o-1' }, { api_key: DEMO_KEY })
  t.equal(verify.status, 200)
  t.same(JSON.parse(got.body), verify.json, "the body is verify's answer")
  t.same(JSON.parse(got.body).result.payment_status, 'SUCCESS')

  t.same((await deliveries(call)).map((d) => masked(t, d)), [{
    id: 1,
    delivery_id: 1,
    attempt: 1,
    time: '<time>',
    url: `${hook.url}/hook?x=1&${SUCCESS_QUERY(transactionId)}`,
    payment_id: paymentId,
    merchant_id: 1,
    event: 'payment.success',
    status: 200,
    duration_ms: '<ms>',
    error: null,
    next_retry_at: null,
    outcome: 'delivered',
  }])
  t.same(await deliveries(call, `?payment_id=${paymentId}`), await deliveries(call), 'filter by payment_id')
  t.same(await deliveries(call, '?payment_id=NOSUCHPAYMENT'), [])
  t.same(await deliveries(call, '?merchant_id=2'), [], 'filter by merchant_id')
  t.equal((await deliveries(call, '?merchant_id=1')).length, 1)
  t.same((await call('GET', '/__admin/webhooks?merchant_id=x')).status, 400)
  t.same((await call('GET', '/__admin/push')).json, { pushes: [] }, 'no fcm_token: no push')
})

t.test('a failed payment is notified too, to a URL without a query', async (t) => {
  const hook = await receiver(t)
  const { call } = await start(t, { WEBHOOK_URL: hook.url })
  const { complete } = await pay(call, { card: '4000000000000002' })
  await waitFor('the delivery', () => hook.received.length === 1)
  t.equal(hook.received[0]?.url, `/?transaction_id=${complete.json.payment.transaction_id as string}&order_id=o-1&mode=test&response_code=005&description=Transaction%20Declined%20-%20Do%20not%20honour`)
  t.equal(JSON.parse(hook.received[0]?.body ?? '').result.payment_status, 'FAILURE')
  await waitFor('the log', async () => (await deliveries(call)).length === 1)
  t.equal((await deliveries(call))[0].event, 'payment.failure')
})

t.test('WEBHOOK_SECRET: sha256 HMAC of the exact body bytes, never shown', async (t) => {
  const secret = 'whsec-test-секрет'
  const hook = await receiver(t)
  const { call } = await start(t, { WEBHOOK_URL: hook.url, WEBHOOK_SECRET: secret })
  await pay(call)
  await waitFor('the delivery', () => hook.received.length === 1)
  const got = hook.received[0] as Received
  const expected = `sha256=${createHmac('sha256', secret).update(Buffer.from(got.body, 'utf8')).digest('hex')}`
  t.equal(got.headers['x-fatora-mock-signature'], expected)
  t.notOk(got.body.includes(secret) || got.url.includes(secret))
  const log = await call('GET', '/__admin/webhooks')
  t.notOk(JSON.stringify(log.json).includes(secret), 'the log never shows the secret')
})

t.test('500 then 200: retried after the first delay, two attempts logged', async (t) => {
  const hook = await receiver(t, (_req, res, i) => { res.statusCode = i === 0 ? 500 : 200; res.end() })
  const { call } = await start(t, { WEBHOOK_URL: `${hook.url}/h` })
  const { paymentId } = await pay(call)
  await waitFor('two attempts', async () => (await deliveries(call)).length === 2)
  t.equal(hook.received.length, 2)
  t.equal(hook.received[1]?.body, hook.received[0]?.body, 'the same body each time')
  t.equal(hook.received[1]?.url, hook.received[0]?.url)
  const log = await deliveries(call)
  const common = { delivery_id: 1, payment_id: paymentId, merchant_id: 1, event: 'payment.success', url: `${hook.url}/h?${hook.received[0]?.url.split('?')[1] ?? ''}`, time: '<time>', duration_ms: '<ms>', error: null }
  t.same(log.map((d) => masked(t, d)), [
    { id: 2, attempt: 2, status: 200, next_retry_at: null, outcome: 'delivered', ...common },
    { id: 1, attempt: 1, status: 500, next_retry_at: '<time>', outcome: 'retrying', ...common },
  ], 'newest first')
  const first = log[1]
  t.ok(Date.parse(first.next_retry_at) - Date.parse(first.time) >= 20, 'next_retry_at: after the first delay')
  t.ok(Date.parse(log[0].time) >= Date.parse(first.next_retry_at) - 5, 'the retry ran when announced')
})

t.test('unreachable: the first attempt and one per delay (4), then given up', async (t) => {
  const port = await closedPort()
  const { call } = await start(t, { WEBHOOK_URL: `http://127.0.0.1:${port}/hook` })
  await pay(call)
  await waitFor('four attempts', async () => (await deliveries(call)).length === 4)
  await sleep(150)
  const log = (await deliveries(call)).reverse()
  t.equal(log.length, 4, 'no fifth attempt')
  t.same(log.map((d) => [d.attempt, d.status, d.error, d.outcome, d.next_retry_at === null]), [
    [1, null, 'connection refused', 'retrying', false],
    [2, null, 'connection refused', 'retrying', false],
    [3, null, 'connection refused', 'retrying', false],
    [4, null, 'connection refused', 'gave up', true],
  ])
  t.same(new Set(log.map((d) => d.delivery_id)), new Set([1]), 'one delivery')
})

t.test('a receiver slower than WEBHOOK_TIMEOUT_MS: each attempt times out', async (t) => {
  const held: ServerResponse[] = []
  const hook = await receiver(t, (_req, res) => { held.push(res) })
  const { call } = await start(t, { WEBHOOK_URL: hook.url, WEBHOOK_RETRY_MS: '20', WEBHOOK_TIMEOUT_MS: 200 })
  await pay(call)
  await waitFor('two attempts', async () => (await deliveries(call)).length === 2)
  const log = await deliveries(call)
  t.same(log.map((d) => [d.attempt, d.status, d.error, d.outcome]), [
    [2, null, 'timeout after 200 ms', 'gave up'],
    [1, null, 'timeout after 200 ms', 'retrying'],
  ])
  t.ok(log.every((d) => d.duration_ms >= 190), 'abandoned at the timeout, not before')
  t.equal(hook.received.length, 2)
  for (const res of held) res.end()
})

t.test('finishing a payment never waits for its webhook', async (t) => {
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const hook = await receiver(t, (_req, res) => { void held.then(() => res.end('ok')) })
  const { call } = await start(t, { WEBHOOK_URL: hook.url, WEBHOOK_TIMEOUT_MS: 10_000 })
  const { complete } = await pay(call)
  t.equal(complete.status, 200, 'the admin request answered')
  t.same(await deliveries(call), [], 'while no attempt has finished')
  await waitFor('the webhook to arrive', () => hook.received.length === 1)
  t.same(await deliveries(call), [], 'the receiver holds it: still in flight')
  release()
  await waitFor('the delivery', async () => (await deliveries(call)).length === 1)
  t.equal((await deliveries(call))[0].outcome, 'delivered')
})

t.test("a merchant's own URL wins over WEBHOOK_URL; other merchants keep the global one", async (t) => {
  const own = await receiver(t)
  const global = await receiver(t)
  const { call } = await start(t, { WEBHOOK_URL: `${global.url}/global` })

  t.same(await call('GET', '/__admin/merchants/1/webhook'), { status: 200, json: { merchant_id: 1, url: null, effective_url: `${global.url}/global` } })
  const put = await call('PUT', '/__admin/merchants/1/webhook', { url: `${own.url}/own?m=1` })
  t.same(put, { status: 200, json: { merchant_id: 1, url: `${own.url}/own?m=1` } })
  t.same(await call('GET', '/__admin/merchants/1/webhook'), { status: 200, json: { merchant_id: 1, url: `${own.url}/own?m=1`, effective_url: `${own.url}/own?m=1` } })
  t.same(await call('GET', '/__admin/merchants/2/webhook'), { status: 200, json: { merchant_id: 2, url: null, effective_url: `${global.url}/global` } })

  const first = await pay(call)
  const second = await pay(call, { key: SECOND_KEY })
  await waitFor('both deliveries', () => own.received.length === 1 && global.received.length === 1)
  t.match(own.received[0]?.url, /^\/own\?m=1&transaction_id=/, "merchant 1's payment: its own URL")
  t.equal(JSON.parse(own.received[0]?.body ?? '').result.transaction_id, first.complete.json.payment.transaction_id)
  t.match(global.received[0]?.url, /^\/global\?transaction_id=/, "merchant 2's payment: WEBHOOK_URL")
  t.equal(JSON.parse(global.received[0]?.body ?? '').result.transaction_id, second.complete.json.payment.transaction_id)
  await waitFor('the log', async () => (await deliveries(call)).length === 2)
  t.same((await deliveries(call, '?merchant_id=2')).map((d) => d.payment_id), [second.paymentId])

  t.same(await call('DELETE', '/__admin/merchants/1/webhook'), { status: 204, json: undefined })
  t.same(await call('GET', '/__admin/merchants/1/webhook'), { status: 200, json: { merchant_id: 1, url: null, effective_url: `${global.url}/global` } })
  t.same((await call('DELETE', '/__admin/merchants/1/webhook')).status, 204, 'deleting again: still 204')
  await pay(call)
  await waitFor('the global delivery', () => global.received.length === 2)
  t.equal(own.received.length, 1, 'back to WEBHOOK_URL')
})

t.test('without WEBHOOK_URL only merchants with their own URL are notified', async (t) => {
  const own = await receiver(t)
  const { call } = await start(t)
  t.same((await call('GET', '/__admin/merchants/2/webhook')).json, { merchant_id: 2, url: null, effective_url: null })
  t.equal((await call('PUT', '/__admin/merchants/2/webhook', { url: own.url })).status, 200)
  await pay(call)
  await pay(call, { key: SECOND_KEY })
  await waitFor('the delivery', async () => (await deliveries(call)).length === 1)
  await sleep(50)
  t.equal(own.received.length, 1)
  t.same((await deliveries(call)).map((d) => d.merchant_id), [2])
})

t.test('a checkout with an fcm_token records the push the app would get', async (t) => {
  const { call } = await start(t)
  const ok = await pay(call, { extra: { fcm_token: 'fcm-token-1', amount: 123.1 } })
  const declined = await pay(call, { card: '4000000000009995', extra: { fcm_token: 'fcm-token-2', order_id: 'o-2' } })
  const pushes = (await call('GET', '/__admin/push')).json.pushes as Array<Record<string, unknown>>
  for (const p of pushes) t.match(p.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.same(pushes.map((p) => ({ ...p, time: '<time>' })), [
    {
      id: 2,
      time: '<time>',
      fcm_token: 'fcm-token-2',
      merchant_id: 1,
      payment_id: declined.paymentId,
      notification: { title: 'Payment failed', body: '10 QAR for order o-2: Transaction Declined - Insufficient funds' },
      data: { transaction_id: declined.complete.json.payment.transaction_id, order_id: 'o-2', mode: 'test', response_code: '051', description: 'Transaction Declined - Insufficient funds' },
    },
    {
      id: 1,
      time: '<time>',
      fcm_token: 'fcm-token-1',
      merchant_id: 1,
      payment_id: ok.paymentId,
      notification: { title: 'Payment successful', body: '123.1 QAR for order o-1: Transaction Successful - Approved' },
      data: { transaction_id: ok.complete.json.payment.transaction_id, order_id: 'o-1', mode: 'test', response_code: '000', description: 'Transaction Successful - Approved' },
    },
  ], 'newest first')
  t.same(await deliveries(call), [], 'no webhook configured: none attempted')
  t.same(await call('DELETE', '/__admin/push'), { status: 204, json: undefined })
  t.same((await call('GET', '/__admin/push')).json, { pushes: [] })
})

t.test('DELETE /__admin/webhooks empties the log', async (t) => {
  const hook = await receiver(t)
  const { call } = await start(t, { WEBHOOK_URL: hook.url })
  await pay(call)
  await waitFor('the delivery', async () => (await deliveries(call)).length === 1)
  t.same(await call('DELETE', '/__admin/webhooks'), { status: 204, json: undefined })
  t.same(await deliveries(call), [])
})

t.test('reset empties both logs and cancels pending retries', async (t) => {
  const hook = await receiver(t, (_req, res) => { res.statusCode = 503; res.end() })
  const { call } = await start(t, { WEBHOOK_URL: hook.url, WEBHOOK_RETRY_MS: '1000,1000,1000' })
  await pay(call, { extra: { fcm_token: 'fcm' } })
  await waitFor('the first attempt', async () => (await deliveries(call)).length === 1)
  const [first] = await deliveries(call)
  t.equal(first.outcome, 'retrying')
  t.equal((await call('GET', '/__admin/push')).json.pushes.length, 1)
  t.equal((await call('POST', '/__admin/reset')).status, 200)
  t.ok(Date.now() < Date.parse(first.next_retry_at), 'reset answered before the retry was due')
  t.same(await deliveries(call), [])
  t.same((await call('GET', '/__admin/push')).json, { pushes: [] })
  await sleep(Date.parse(first.next_retry_at) - Date.now() + 300)
  t.equal(hook.received.length, 1, 'the retry never ran')
  t.same(await deliveries(call), [])
})

t.test('app.close() during pending retries resolves at once; nothing is attempted after it', async (t) => {
  const hook = await receiver(t, (_req, res) => { res.statusCode = 500; res.end() })
  const { app, call } = await start(t, { WEBHOOK_URL: hook.url, WEBHOOK_RETRY_MS: '1000,1000,1000' })
  await pay(call)
  await waitFor('the first attempt', async () => (await deliveries(call)).length === 1)
  const [first] = await deliveries(call)
  await app.close()
  t.ok(Date.now() < Date.parse(first.next_retry_at), 'close resolved before the pending retry was due')
  await sleep(Date.parse(first.next_retry_at) - Date.now() + 300)
  t.equal(hook.received.length, 1, 'no attempt after close')
})

t.test('app.close() aborts an attempt in flight instead of waiting for it', async (t) => {
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const hook = await receiver(t, (_req, res) => { void held.then(() => res.end()) })
  const { app, call } = await start(t, { WEBHOOK_URL: hook.url, WEBHOOK_TIMEOUT_MS: 10_000 })
  await pay(call)
  await waitFor('the attempt to arrive', () => hook.received.length === 1)
  let closed = false
  void app.close().then(() => { closed = true })
  await waitFor('close, while the receiver still holds the request', () => closed)
  release()
  await sleep(100)
  t.equal(hook.received.length, 1, 'no retry after close')
})

t.test('PUT /__admin/merchants/{id}/webhook: bad input', async (t) => {
  const { call } = await start(t)
  const URL_INVALID = 'Invalid body field url: must be an absolute http or https URL with a host name or IPv4 address, of at most 2048 characters'
  const cases: Array<[string, string, unknown, number, string]> = [
    ['missing url', '1', {}, 400, 'Invalid body: url is required'],
    ['ftp://', '1', { url: 'ftp://shop.example/hook' }, 400, URL_INVALID],
    ['relative', '1', { url: '/hook' }, 400, URL_INVALID],
    ['no scheme', '1', { url: 'shop.example/hook' }, 400, URL_INVALID],
    ['surrounding spaces', '1', { url: ' https://shop.example/hook' }, 400, URL_INVALID],
    ['not a string', '1', { url: 42 }, 400, 'Invalid body field url: must be string'],
    ['null', '1', { url: null }, 400, 'Invalid body field url: must be string'],
    ['unknown merchant', '9', { url: 'https://shop.example/hook' }, 422, 'Unknown merchant_id: no merchant 9'],
    ['merchant id not a number', 'abc', { url: 'https://shop.example/hook' }, 400, 'Invalid params field merchantId: must be integer'],
    ['merchant id 0', '0', { url: 'https://shop.example/hook' }, 400, 'Invalid params field merchantId: must be >= 1'],
  ]
  for (const [name, id, body, status, description] of cases) {
    t.same(await call('PUT', `/__admin/merchants/${id}/webhook`, body), { status, json: failure(status, description) }, name)
  }
  t.same(await call('GET', '/__admin/merchants/9/webhook'), { status: 422, json: failure(422, 'Unknown merchant_id: no merchant 9') })
  t.same(await call('DELETE', '/__admin/merchants/9/webhook'), { status: 422, json: failure(422, 'Unknown merchant_id: no merchant 9') })
  t.same((await call('GET', '/__admin/merchants/1/webhook')).json, { merchant_id: 1, url: null, effective_url: null }, 'nothing was stored')
})
