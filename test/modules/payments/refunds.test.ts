// Refund (CONTRACT §6.5), served at /v1/payments/refund and at /api/v1/payments/refund (Fatora's
// page and its samples disagree on the path): every answer with its full body on both paths,
// verify's refund fields (§6.4), the 422s and 404s, tenancy both ways (§1, §6.1), bad bodies
// named as verify names them, api_key only (§6.1), Fatora's sample as pasted, the UTC-midnight
// rule driven by the mock's clock (§6.6 last bullet), one refund out of many concurrent ones, and
// the journal, faults, Prefer and reset of §5 on the /api/v1 path.
import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { connect } from 'node:net'
import { build, DEMO_KEY, failure, INACTIVE_KEY, listen, SECOND_KEY } from '../../helper.js'
import { adminPayment, checkout, type Checkout, DEMO_FIXTURE_RESULT, paymentResult, SECOND_FIXTURE_RESULT, verify } from './pages-helper.js'

interface Answer { status: number, json: any }

const PATHS = ['/v1/payments/refund', '/api/v1/payments/refund'] as const
// Transaction ids are 12 digits (CONTRACT §6.3); a refund's own is one too.
const TWELVE_DIGITS = /^[0-9]{12}$/

const NOT_FOUND = failure(404, 'The requested payment was not found')
const ALREADY_REFUNDED = failure(422, 'The payment has already been refunded')
const NOT_SUCCEEDED = failure(422, 'The payment did not succeed (FAILURE): only a successful payment can be refunded')
const STILL_PENDING = failure(422, 'The payment is still PENDING: only a successful payment can be refunded')

/** The default fixtures' payments (CONTRACT §3): Fatora's sample ids for merchant 1, ORDER-2048 for merchant 2. */
const DEMO_PAYMENT = { transaction_id: '123456789', order_id: '123456789' }
const SECOND_PAYMENT = { transaction_id: '204820482048', order_id: 'ORDER-2048' }

async function refund (app: FastifyInstance, path: string, body: unknown, headers: Record<string, string> = { api_key: DEMO_KEY }): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) })
  return { status: res.statusCode, json: res.json() }
}

async function setClock (app: FastifyInstance, body: object): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: body })
  if (res.statusCode !== 200) throw new Error(`POST /__admin/clock answered ${res.statusCode}: ${res.body}`)
}

/** Finishes a checkout as the hosted page would with `card` (CONTRACT §6.3); the admin view of it. */
async function complete (app: FastifyInstance, paymentId: string, card = '4111111111111111'): Promise<any> {
  const res = await app.inject({ method: 'POST', url: `/__admin/payments/${paymentId}/complete`, payload: { card } })
  if (res.statusCode !== 200) throw new Error(`complete answered ${res.statusCode}: ${res.body}`)
  return res.json().payment
}

/** A checkout (pages-helper's defaults) paid with the approved Visa card. */
async function paid (app: FastifyInstance, body: Record<string, unknown> = {}, apiKey = DEMO_KEY): Promise<{ c: Checkout, payment: any }> {
  const c = await checkout(app, body, apiKey)
  return { c, payment: await complete(app, c.paymentId) }
}

/** verify's full body (CONTRACT §6.4): `result` with these refund fields. */
const withRefund = (result: object, refundDetails: object | null, refundTransactionId: string | null): object =>
  ({ status: 'SUCCESS', result: { ...result, refund_details: refundDetails, refund_transaction_id: refundTransactionId } })

/** verify's full body for a pages-helper checkout paid with 4111 1111 1111 1111. */
const verified = (c: Checkout, payment: any, refundDetails: object | null, refundTransactionId: string | null): object =>
  withRefund(paymentResult({ order_id: c.orderId, transaction_id: payment.transaction_id, payment_date: payment.payment_date, auth_code: payment.auth_code }), refundDetails, refundTransactionId)

/** verify's full body for the demo merchant's fixture payment (Fatora's verify sample). */
const demoVerified = (refundDetails: object | null, refundTransactionId: string | null): object => withRefund(DEMO_FIXTURE_RESULT, refundDetails, refundTransactionId)

/** verify's full body for merchant 2's fixture payment. */
const secondVerified = (refundDetails: object | null, refundTransactionId: string | null): object => withRefund(SECOND_FIXTURE_RESULT, refundDetails, refundTransactionId)

/** The refund's 200 (CONTRACT §6.5), checked whole; its refund_transaction_id. */
function refunded (t: Test, res: Answer, status: 'completed' | 'pending', name: string): string {
  const id = res.json?.result?.refund_transaction_id as string
  t.match(id, TWELVE_DIGITS, `${name}: refund_transaction_id is 12 digits`)
  t.same(res, { status: 200, json: { status: 'SUCCESS', result: { refund_status: status, refund_transaction_id: id } } }, `${name}: 200 ${status}, full body`)
  return id
}

t.test('refund: 200 completed on the payment\'s own UTC day, pending later; verify then shows the refund — full bodies on both paths', async (t) => {
  const app = await build(t)
  for (const [i, path] of PATHS.entries()) {
    // CONTRACT §6.6: the clock makes the day deterministic (the real time could cross midnight).
    const day = `2027-01-1${i}`
    await setClock(app, { now: `${day}T12:00:00Z` })

    const same = await paid(app)
    t.equal(same.payment.payment_date, `${day}T12:00:00Z`, `${path}: payment_date is the clock's`)
    t.same(await verify(app, { order_id: same.c.orderId }), { status: 200, json: verified(same.c, same.payment, null, null) }, `${path}: before the refund, refund fields are null`)
    await setClock(app, { now: `${day}T18:30:00Z` })
    const completedId = refunded(t, await refund(app, path, { transaction_id: same.payment.transaction_id, order_id: same.c.orderId }), 'completed', `${path}: same day`)
    t.not(completedId, same.payment.transaction_id, `${path}: the refund has its own transaction id`)
    const completedVerify = verified(same.c, same.payment, { refund_status: 'completed', refund_date: `${day}T18:30:00Z`, amount: 123.1 }, completedId)
    t.same(await verify(app, { order_id: same.c.orderId }), { status: 200, json: completedVerify }, `${path}: verify by order_id shows the completed refund`)
    t.same(await verify(app, { transaction_id: same.payment.transaction_id }), { status: 200, json: completedVerify }, `${path}: and by transaction_id`)

    await setClock(app, { now: `${day}T12:00:00Z` })
    const later = await paid(app)
    await setClock(app, { advance_days: 1 })
    const pendingId = refunded(t, await refund(app, path, { order_id: later.c.orderId }), 'pending', `${path}: the next day`)
    t.same(await verify(app, { transaction_id: later.payment.transaction_id }), {
      status: 200,
      json: verified(later.c, later.payment, { refund_status: 'pending', refund_date: `2027-01-1${i + 1}T12:00:00Z`, amount: 123.1 }, pendingId),
    }, `${path}: verify shows the pending refund`)
  }
})

t.test('refund: the payment named every way verify takes (CONTRACT §6.4); an amount is ignored (full refunds only)', async (t) => {
  const app = await build(t)
  await setClock(app, { now: '2027-02-01T08:00:00Z' })
  const ways: Array<[string, (tx: string, order: string) => object]> = [
    ['both ids as strings', (tx, order) => ({ transaction_id: tx, order_id: order })],
    ['transaction_id alone', (tx) => ({ transaction_id: tx })],
    ['order_id alone', (_tx, order) => ({ order_id: order })],
    ['both as JSON numbers', (tx, order) => ({ transaction_id: Number(tx), order_id: Number(order) })],
    ['transaction_id null (not sent)', (_tx, order) => ({ transaction_id: null, order_id: order })],
    ['an amount beside the ids (ignored: full refunds only)', (tx) => ({ transaction_id: tx, amount: 1 })],
  ]
  let n = 0
  for (const path of PATHS) {
    for (const [name, body] of ways) {
      // A numeric order_id, so the JSON-number case can name it too.
      const orderId = String(700000000 + ++n)
      const { c, payment } = await paid(app, { order_id: orderId })
      const id = refunded(t, await refund(app, path, body(payment.transaction_id as string, orderId)), 'completed', `${path}: ${name}`)
      t.same(await verify(app, { order_id: orderId }), {
        status: 200,
        json: verified(c, payment, { refund_status: 'completed', refund_date: '2027-02-01T08:00:00Z', amount: 123.1 }, id),
      }, `${path}: ${name}: the whole amount refunded`)
    }
  }
})

t.test('refund: 422 already refunded (on either path), 422 for a FAILURE or PENDING payment; nothing changes', async (t) => {
  const app = await build(t)
  await setClock(app, { now: '2027-04-01T09:00:00Z' })
  for (const path of PATHS) {
    const { c, payment } = await paid(app)
    const id = refunded(t, await refund(app, path, { transaction_id: payment.transaction_id }), 'completed', `${path}: first refund`)
    const after = verified(c, payment, { refund_status: 'completed', refund_date: '2027-04-01T09:00:00Z', amount: 123.1 }, id)
    // A second refund on a later day must not turn it pending or issue a new refund id.
    await setClock(app, { advance_days: 3 })
    for (const again of PATHS) {
      for (const body of [{ transaction_id: payment.transaction_id }, { order_id: c.orderId }, { transaction_id: payment.transaction_id, order_id: c.orderId }]) {
        t.same(await refund(app, again, body), { status: 422, json: ALREADY_REFUNDED }, `refunded on ${path}, again on ${again} with ${Object.keys(body).join('+')}`)
      }
    }
    t.same(await verify(app, { order_id: c.orderId }), { status: 200, json: after }, `${path}: the first refund stands unchanged`)
    await setClock(app, { now: '2027-04-01T09:00:00Z' })
  }

  // Every way a payment ends without succeeding (CONTRACT §6.3): FAILURE, by transaction_id or order_id.
  const failed: Array<[string, object]> = [
    ['declined card', { card: '4000000000000002' }],
    ['insufficient funds', { card: '4000000000009995' }],
    ['cancelled', { outcome: 'cancelled' }],
    ['expired', { outcome: 'expired' }],
  ]
  for (const [name, outcome] of failed) {
    const c = await checkout(app)
    const done = await app.inject({ method: 'POST', url: `/__admin/payments/${c.paymentId}/complete`, payload: outcome })
    const payment = done.json().payment
    t.equal(payment.status, 'FAILURE', `${name}: the payment failed`)
    for (const path of PATHS) {
      for (const body of [{ transaction_id: payment.transaction_id }, { order_id: c.orderId }]) {
        t.same(await refund(app, path, body), { status: 422, json: NOT_SUCCEEDED }, `${name}: ${path} by ${Object.keys(body).join('+')}`)
      }
    }
    const v = await verify(app, { order_id: c.orderId })
    t.same([v.json.result.payment_status, v.json.result.refund_details, v.json.result.refund_transaction_id], ['FAILURE', null, null], `${name}: still unrefunded`)
  }

  // PENDING: found only by order_id (CONTRACT §6.4); a transaction_id does not exist yet.
  const pending = await checkout(app)
  for (const path of PATHS) {
    t.same(await refund(app, path, { order_id: pending.orderId }), { status: 422, json: STILL_PENDING }, `PENDING: ${path}`)
  }
  // A PENDING payment whose page has expired by the clock ends FAILURE first (CONTRACT §6.2).
  await setClock(app, { advance_seconds: 1800 })
  for (const path of PATHS) {
    t.same(await refund(app, path, { order_id: pending.orderId }), { status: 422, json: NOT_SUCCEEDED }, `PENDING past its page's expiry: ${path}`)
  }
  const expired = (await verify(app, { order_id: pending.orderId })).json.result
  t.same([expired.payment_status, expired.description, expired.payment_date, expired.refund_details], ['FAILURE', 'Payment page expired', '2027-04-01T09:30:00Z', null], 'the expired payment: FAILURE at its expiry instant, not refunded')
})

t.test('refund: 404 for unknown ids and for another merchant\'s payment, byte for byte the same; tenancy both ways', async (t) => {
  const app = await build(t)
  const own = await paid(app)
  const other = await paid(app, {}, SECOND_KEY)
  const ownRefund = refunded(t, await refund(app, PATHS[0], { order_id: own.c.orderId }), 'completed', 'a refunded payment of merchant 1')
  const cases: Array<[string, object, string]> = [
    ['unknown transaction_id', { transaction_id: '999999999999' }, DEMO_KEY],
    ['unknown order_id', { order_id: 'no-such-order' }, DEMO_KEY],
    ['unknown numeric transaction_id', { transaction_id: 1 }, DEMO_KEY],
    ['ids of two different payments', { transaction_id: DEMO_PAYMENT.transaction_id, order_id: own.c.orderId }, DEMO_KEY],
    ['a transaction_id with an unknown order_id', { transaction_id: DEMO_PAYMENT.transaction_id, order_id: 'no-such-order' }, DEMO_KEY],
    ['a refund\'s own transaction id (not a payment)', { transaction_id: ownRefund }, DEMO_KEY],
    // Merchant 2's key on merchant 1's payments.
    ['merchant 2 on 123456789 by transaction_id', { transaction_id: DEMO_PAYMENT.transaction_id }, SECOND_KEY],
    ['merchant 2 on 123456789 by order_id', { order_id: DEMO_PAYMENT.order_id }, SECOND_KEY],
    ['merchant 2 on 123456789 by both', DEMO_PAYMENT, SECOND_KEY],
    ['merchant 2 on a checkout of merchant 1, by transaction_id', { transaction_id: own.payment.transaction_id }, SECOND_KEY],
    ['merchant 2 on a checkout of merchant 1, by order_id', { order_id: own.c.orderId }, SECOND_KEY],
    // The demo key on merchant 2's payments.
    ['merchant 1 on 204820482048 by transaction_id', { transaction_id: SECOND_PAYMENT.transaction_id }, DEMO_KEY],
    ['merchant 1 on ORDER-2048 by order_id', { order_id: SECOND_PAYMENT.order_id }, DEMO_KEY],
    ['merchant 1 on merchant 2\'s payment by both', SECOND_PAYMENT, DEMO_KEY],
    ['merchant 1 on a checkout of merchant 2, by transaction_id', { transaction_id: other.payment.transaction_id }, DEMO_KEY],
    ['merchant 1 on a checkout of merchant 2, by order_id', { order_id: other.c.orderId }, DEMO_KEY],
  ]
  const unknown = await app.inject({ method: 'POST', url: PATHS[0], headers: { api_key: DEMO_KEY }, payload: { transaction_id: '999999999999' } })
  for (const path of PATHS) {
    for (const [name, body, key] of cases) {
      const res = await app.inject({ method: 'POST', url: path, headers: { api_key: key }, payload: body })
      t.same([res.statusCode, res.json()], [404, NOT_FOUND], `${path}: ${name}`)
      // No existence leak (CONTRACT §1): the same bytes and the same headers' shape as an unknown id.
      t.equal(res.body, unknown.body, `${path}: ${name}: the same bytes as an unknown id`)
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8', `${path}: ${name}: JSON`)
    }
  }
  // None of the refused requests refunded anything.
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified(null, null) }, 'merchant 1\'s fixture payment: not refunded')
  t.same(await verify(app, SECOND_PAYMENT, SECOND_KEY), { status: 200, json: secondVerified(null, null) }, 'merchant 2\'s fixture payment: not refunded')
  t.same(await verify(app, { order_id: other.c.orderId }, SECOND_KEY), { status: 200, json: verified(other.c, other.payment, null, null) }, 'merchant 2\'s checkout: not refunded')

  // Each merchant refunds its own (the fixtures' payments are from 2025: pending).
  await setClock(app, { now: '2027-05-05T05:05:05Z' })
  const demoId = refunded(t, await refund(app, PATHS[1], DEMO_PAYMENT), 'pending', 'merchant 1 refunds 123456789')
  const secondId = refunded(t, await refund(app, PATHS[0], SECOND_PAYMENT, { api_key: SECOND_KEY }), 'pending', 'merchant 2 refunds 204820482048')
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified({ refund_status: 'pending', refund_date: '2027-05-05T05:05:05Z', amount: 123.1 }, demoId) })
  t.same(await verify(app, SECOND_PAYMENT, SECOND_KEY), { status: 200, json: secondVerified({ refund_status: 'pending', refund_date: '2027-05-05T05:05:05Z', amount: 250 }, secondId) })
  // Refunded payments stay another merchant's: still 404, never "already refunded".
  for (const path of PATHS) {
    t.same(await refund(app, path, DEMO_PAYMENT, { api_key: SECOND_KEY }), { status: 404, json: NOT_FOUND }, `${path}: merchant 2 on refunded 123456789`)
    t.same(await refund(app, path, SECOND_PAYMENT), { status: 404, json: NOT_FOUND }, `${path}: merchant 1 on refunded 204820482048`)
  }
})

t.test('refund: a bad body is a 400 naming the field, as verify words it; nothing is refunded', async (t) => {
  const app = await build(t)
  const tx = 'Invalid body field transaction_id: must be a non-empty string (or a whole number) of at most 100 characters'
  const order = 'Invalid body field order_id: must be a non-empty string (or a whole number) of at most 100 characters'
  const needsId = 'Invalid body: send transaction_id, order_id or both'
  const object = 'Invalid body: expected a JSON object'
  // [name, raw JSON text (undefined: no body at all), description]
  const cases: Array<[string, string | undefined, string]> = [
    ['no body', undefined, object],
    ['an array', '[]', object],
    ['a JSON string', '"123456789"', object],
    ['a JSON number', '123456789', object],
    ['JSON null', 'null', object],
    ['not JSON', '{"transaction_id": ', 'Invalid JSON body'],
    ['neither id', '{}', needsId],
    ['both ids null', '{"transaction_id": null, "order_id": null}', needsId],
    ['only an amount (full refunds only)', '{"amount": 123.1}', needsId],
    ['transaction_id empty', '{"transaction_id": ""}', tx],
    ['transaction_id 101 characters', JSON.stringify({ transaction_id: '1'.repeat(101) }), tx],
    ['transaction_id an object', '{"transaction_id": {}}', tx],
    ['transaction_id an array', '{"transaction_id": ["123456789"]}', tx],
    ['transaction_id true', '{"transaction_id": true}', tx],
    ['transaction_id negative', '{"transaction_id": -1}', tx],
    ['transaction_id a fraction', '{"transaction_id": 123456789.5}', tx],
    ['transaction_id past 2^53 - 1', '{"transaction_id": 9007199254740992}', tx],
    ['transaction_id bad beside a good order_id', '{"transaction_id": "", "order_id": "123456789"}', tx],
    ['order_id empty', '{"order_id": ""}', order],
    ['order_id 101 characters', JSON.stringify({ order_id: 'x'.repeat(101) }), order],
    ['order_id a fraction', '{"order_id": 1.5}', order],
    ['order_id false', '{"order_id": false}', order],
    ['order_id an object', '{"order_id": {"id": "123456789"}}', order],
    ['order_id bad beside a good transaction_id', '{"transaction_id": "123456789", "order_id": []}', order],
  ]
  for (const path of PATHS) {
    for (const [name, payload, description] of cases) {
      const res = await app.inject({ method: 'POST', url: path, headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) })
      t.same([res.statusCode, res.json()], [400, failure(400, description)], `${path}: ${name}`)
    }
  }
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified(null, null) }, 'the fixture payment is not refunded')
})

t.test('refund takes api_key only (CONTRACT §6.1); media types and methods as every /v1 route (§1)', async (t) => {
  const app = await build(t)
  const token = (await app.inject({ method: 'POST', url: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY } })).json().bearer_token as string
  t.type(token, 'string', 'a real bearer token for the demo merchant')
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['no credentials', {}, 401, 'Missing api_key header'],
    ['empty api_key', { api_key: '' }, 401, 'Empty api_key header'],
    ['unknown api_key', { api_key: 'E4B73FEE-F492-4607-A38D-852B0EBC91CA' }, 401, "Merchant API key isn't valid"],
    ['api_key in lower case', { api_key: DEMO_KEY.toLowerCase() }, 401, "Merchant API key isn't valid"],
    ['inactive api_key', { api_key: INACTIVE_KEY }, 403, 'Merchant API key is inactive'],
    ['a valid bearer token alone', { authorization: `Bearer ${token}` }, 401, 'Payment routes take the api_key header, not a bearer token'],
    ['a forged bearer token alone', { authorization: 'Bearer a.b.c' }, 401, 'Payment routes take the api_key header, not a bearer token'],
  ]
  for (const path of PATHS) {
    for (const [name, headers, status, description] of cases) {
      t.same(await refund(app, path, DEMO_PAYMENT, headers), { status, json: failure(status, description) }, `${path}: ${name}`)
    }
    const xml = await app.inject({ method: 'POST', url: path, headers: { api_key: DEMO_KEY, 'content-type': 'application/xml' }, payload: '<refund/>' })
    t.same([xml.statusCode, xml.json()], [415, failure(415, 'Unsupported Content-Type: send application/json or no Content-Type header')], `${path}: XML body`)
    const accept = await app.inject({ method: 'POST', url: path, headers: { api_key: DEMO_KEY, accept: 'application/xml' }, payload: DEMO_PAYMENT })
    t.equal(accept.statusCode, 406, `${path}: Accept admits no JSON`)
    const get = await app.inject({ method: 'GET', url: path, headers: { api_key: DEMO_KEY } })
    t.same([get.statusCode, get.headers.allow, get.json()], [405, 'POST', failure(405, 'Method GET not allowed; this route allows POST')], `${path}: GET`)
  }
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified(null, null) }, 'no refused request refunded it')
  // api_key with a bearer token beside it: the key decides.
  const both = await refund(app, PATHS[1], DEMO_PAYMENT, { api_key: DEMO_KEY, authorization: `Bearer ${token}` })
  t.equal(both.status, 200, 'api_key and a bearer token: 200')
  // Only refund is served under /api/v1 (CONTRACT §6.5): verify there is an unknown route.
  const verifyThere = await app.inject({ method: 'POST', url: '/api/v1/payments/verify', headers: { api_key: DEMO_KEY }, payload: DEMO_PAYMENT })
  t.same([verifyThere.statusCode, verifyThere.json()], [404, failure(404, 'Route POST /api/v1/payments/verify not found')])
})

t.test("refund: Fatora's sample as pasted, over a socket, answers 200 pending against the default fixtures", async (t) => {
  const { app, port } = await listen(t)
  // Fatora's refund sample: /api/v1, two spaces after "api_key:", the body's own layout.
  const body = '{\n    "transaction_id" : "123456789",\n    "order_id" : "123456789"\n}'
  const request = `POST /api/v1/payments/refund HTTP/1.1\r\nHost: localhost:${port}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\napi_key:  E4B73FEE-F492-4607-A38D-852B0EBC91C9\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  const before = Date.now()
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(request) })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { text += chunk })
    socket.on('end', () => { resolve(text) })
    socket.on('error', reject)
  })
  const after = Date.now()
  t.match(raw, /^HTTP\/1\.1 200 OK\r\n/)
  t.match(raw, /\r\ncontent-type: application\/json; charset=utf-8\r\n/i)
  const json = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))
  const id = json.result?.refund_transaction_id as string
  t.match(id, TWELVE_DIGITS)
  // The fixture payment is from 2025-01-01: any later day is pending (CONTRACT §6.5).
  t.same(json, { status: 'SUCCESS', result: { refund_status: 'pending', refund_transaction_id: id } })

  const v = await verify(app, DEMO_PAYMENT)
  const refundDate = v.json.result.refund_details?.refund_date as string
  t.match(refundDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'refund_date: ISO 8601 UTC to the second')
  t.ok(Date.parse(refundDate) >= Math.floor(before / 1000) * 1000 && Date.parse(refundDate) <= after, 'refund_date: when the refund was asked (the real clock)')
  t.same(v, { status: 200, json: demoVerified({ refund_status: 'pending', refund_date: refundDate, amount: 123.1 }, id) })
})

t.test('refund timing on both sides of midnight UTC, driven by the clock (CONTRACT §6.5, §6.6)', async (t) => {
  for (const path of PATHS) {
    const app = await build(t)
    await setClock(app, { now: '2027-03-10T23:59:58Z' })
    const early = await paid(app)
    t.same([early.payment.created_at, early.payment.payment_date], ['2027-03-10T23:59:58.000Z', '2027-03-10T23:59:58Z'], `${path}: the first payment's dates are the clock's`)
    await setClock(app, { now: '2027-03-10T23:59:59Z' })
    const earlyId = refunded(t, await refund(app, path, { transaction_id: early.payment.transaction_id, order_id: early.c.orderId }), 'completed', `${path}: refunded at 23:59:59 the same day`)

    const late = await paid(app)
    t.equal(late.payment.payment_date, '2027-03-10T23:59:59Z', `${path}: the second payment at 23:59:59`)
    await setClock(app, { now: '2027-03-11T00:00:00Z' })
    const lateId = refunded(t, await refund(app, path, { transaction_id: late.payment.transaction_id, order_id: late.c.orderId }), 'pending', `${path}: refunded at midnight, the next day`)

    t.same(await verify(app, { order_id: early.c.orderId }), { status: 200, json: verified(early.c, early.payment, { refund_status: 'completed', refund_date: '2027-03-10T23:59:59Z', amount: 123.1 }, earlyId) }, `${path}: verify, completed`)
    t.same(await verify(app, { order_id: late.c.orderId }), { status: 200, json: verified(late.c, late.payment, { refund_status: 'pending', refund_date: '2027-03-11T00:00:00Z', amount: 123.1 }, lateId) }, `${path}: verify, pending`)

    // /__admin shows every stored field (CONTRACT §6.3), the refund's included.
    const [listed] = (await app.inject({ url: `/__admin/payments?order_id=${late.c.orderId}` })).json().payments
    t.same(listed, adminPayment(late.c, {
      transaction_id: late.payment.transaction_id,
      payment_date: '2027-03-10T23:59:59Z',
      auth_code: late.payment.auth_code,
      refund_status: 'pending',
      refund_date: '2027-03-11T00:00:00Z',
      refund_transaction_id: lateId,
      created_at: '2027-03-10T23:59:59.000Z',
      expires_at: '2027-03-11T00:29:59.000Z',
    }), `${path}: GET /__admin/payments shows the refund`)
  }
})

t.test('refund: of 20 concurrent refunds of one payment on both paths, exactly one succeeds', async (t) => {
  const app = await build(t)
  await setClock(app, { now: '2027-06-15T10:00:00Z' })
  const { c, payment } = await paid(app)
  const bodies = [{ transaction_id: payment.transaction_id }, { order_id: c.orderId }, { transaction_id: payment.transaction_id, order_id: c.orderId }]
  const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) => await refund(app, PATHS[i % 2] as string, bodies[i % 3])))
  const ok = answers.filter((a) => a.status === 200)
  t.equal(ok.length, 1, 'exactly one 200')
  const id = refunded(t, ok[0] as Answer, 'completed', 'the one refund')
  t.same(answers.filter((a) => a.status !== 200), Array.from({ length: 19 }, () => ({ status: 422, json: ALREADY_REFUNDED })), 'the other 19: 422 already refunded')
  t.same(await verify(app, { order_id: c.orderId }), { status: 200, json: verified(c, payment, { refund_status: 'completed', refund_date: '2027-06-15T10:00:00Z', amount: 123.1 }, id) }, 'verify shows the one refund')

  // Concurrent refunds of different payments all succeed, each with its own 12-digit id,
  // distinct from every payment's transaction_id (CONTRACT §6.3).
  const many = await Promise.all(Array.from({ length: 10 }, async () => await paid(app)))
  const results = await Promise.all(many.map(async ({ payment: p }, i) => await refund(app, PATHS[i % 2] as string, { transaction_id: p.transaction_id })))
  const ids = results.map((r, i) => refunded(t, r, 'completed', `payment ${i}`))
  t.equal(new Set([...ids, id, ...many.map((m) => m.payment.transaction_id), payment.transaction_id]).size, 22, 'every transaction and refund id is unique')
})

t.test('the journal records /api/v1 refunds like /v1 ones, api_key redacted (CONTRACT §5, §6.1)', async (t) => {
  const app = await build(t)
  const sent = [
    [PATHS[1], 'refund-api', DEMO_PAYMENT, 200],
    [PATHS[0], 'refund-v1', DEMO_PAYMENT, 422],
    [PATHS[1], 'refund-api-404', { order_id: 'nope' }, 404],
  ] as const
  for (const [path, id, body, status] of sent) {
    const res = await app.inject({ method: 'POST', url: path, headers: { api_key: DEMO_KEY, 'x-request-id': id }, payload: body })
    t.equal(res.statusCode, status, id)
  }
  const journal = (await app.inject({ url: '/__admin/requests' })).json()
  t.equal(journal.recorded, 3)
  for (const [path, id, body, status] of sent) {
    const entry = journal.requests.find((e: { id: string }) => e.id === id)
    const { time: _time, duration_ms: _duration, ...rest } = entry
    t.same(rest, {
      id,
      method: 'POST',
      url: path,
      path,
      status,
      merchant_id: 1,
      auth: 'api_key',
      api_key: '****91C9',
      headers: { api_key: '****91C9', 'x-request-id': id, 'user-agent': 'lightMyRequest', host: 'localhost:80', 'content-type': 'application/json', 'content-length': String(JSON.stringify(body).length) },
      body,
      body_truncated: false,
      fault_id: null,
      prefer: null,
      delay_ms: 0,
    }, `${id}: the full entry`)
  }
  t.notMatch(JSON.stringify(journal), DEMO_KEY, 'the key is nowhere in the journal')
  const filtered = (await app.inject({ url: '/__admin/requests?path=/api/v1/payments/refund' })).json()
  t.same(filtered.requests.map((e: { id: string }) => e.id), ['refund-api-404', 'refund-api'], 'the path filter takes /api/v1 paths')
})

t.test('faults and Prefer apply to /api/v1/payments/refund (CONTRACT §5)', async (t) => {
  const app = await build(t)
  const added = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { method: 'POST', path: '/api/v1/payments/refund', status: 503, times: 1 } })
  t.equal(added.statusCode, 201)
  const faultId = added.json().id as number
  t.same(await refund(app, PATHS[1], DEMO_PAYMENT), { status: 503, json: failure(503, 'Storage unavailable') }, 'the fault answers')
  const entry = (await app.inject({ url: '/__admin/requests' })).json().requests[0]
  t.same([entry.path, entry.status, entry.fault_id], ['/api/v1/payments/refund', 503, faultId], 'the journal names the fault')
  const [fault] = (await app.inject({ url: '/__admin/faults' })).json().faults
  t.match(fault, { id: faultId, path: '/api/v1/payments/refund', hits: 1, remaining: 0 }, 'the fault was used once')
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified(null, null) }, 'and nothing was refunded')

  // A /v1 fault does not apply to /api/v1, and the other way round.
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { path: '/v1/payments/refund', status: 500 } })
  t.same(await refund(app, PATHS[0], { order_id: 'nope' }), { status: 500, json: failure(500, 'Internal server error') }, '/v1: its own fault')
  t.same(await refund(app, PATHS[1], { order_id: 'nope' }), { status: 404, json: NOT_FOUND }, '/api/v1: the /v1 fault does not apply (its own was used up)')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })

  // A fault with the route's own documented error answers its documented description.
  for (const [status, body] of [[404, NOT_FOUND], [422, ALREADY_REFUNDED]] as const) {
    await app.inject({ method: 'POST', url: '/__admin/faults', payload: { path: '/api/v1/payments/*', status, times: 1 } })
    t.same(await refund(app, PATHS[1], DEMO_PAYMENT), { status, json: body }, `fault ${status} on /api/v1/payments/*`)
  }
  for (const [code, body] of [[404, NOT_FOUND], [422, ALREADY_REFUNDED]] as const) {
    const res = await app.inject({ method: 'POST', url: PATHS[1], headers: { api_key: DEMO_KEY, prefer: `code=${code}` }, payload: DEMO_PAYMENT })
    t.same([res.statusCode, res.json()], [code, body], `Prefer: code=${code}`)
  }
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified(null, null) }, 'forced answers refunded nothing')
  refunded(t, await refund(app, PATHS[1], DEMO_PAYMENT), 'pending', 'without faults, the refund goes through')
})

t.test('reset removes refunds and returns the clock to real time (CONTRACT §5, §6.1)', async (t) => {
  const app = await build(t)
  await setClock(app, { now: '2027-07-07T07:07:07Z' })
  const first = refunded(t, await refund(app, PATHS[1], DEMO_PAYMENT), 'pending', 'refunded before the reset')
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200)
  t.same(await verify(app, DEMO_PAYMENT), { status: 200, json: demoVerified(null, null) }, 'after reset: not refunded')
  const before = Date.now()
  const second = refunded(t, await refund(app, PATHS[0], DEMO_PAYMENT), 'pending', 'refundable again')
  const after = Date.now()
  t.not(second, first)
  const refundDate = (await verify(app, DEMO_PAYMENT)).json.result.refund_details.refund_date as string
  t.ok(Date.parse(refundDate) >= Math.floor(before / 1000) * 1000 && Date.parse(refundDate) <= after, `refund_date ${refundDate} is the real time again`)
})
