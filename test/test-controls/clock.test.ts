// The mock's clock, /__admin/clock (CONTRACT §6.6 last bullet, §5): real time by default; POST
// moves it to an instant or by an amount and it stands still there (or runs on with
// frozen:false); DELETE and reset return it to real time; every refusal is a literal 400/415; the
// admin token guards it; and it drives checkout page expiry (§6.2) and every date the payment
// routes write (§6.3–6.5). Bounds on the real time are taken around each request, so no assertion
// depends on how fast the machine is.
import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, DEMO_KEY, failure } from '../helper.js'
import { adminPayment, checkout, page, PAGE, paymentResult, verify } from '../modules/payments/pages-helper.js'

interface Answer { status: number, json: any }

const DAY = 86_400_000
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

async function getClock (app: FastifyInstance, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ url: '/__admin/clock', headers })
  return { status: res.statusCode, json: res.json() }
}

async function postClock (app: FastifyInstance, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url: '/__admin/clock', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) })
  return { status: res.statusCode, json: res.json() }
}

async function deleteClock (app: FastifyInstance, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.inject({ method: 'DELETE', url: '/__admin/clock', headers })
  return { status: res.statusCode, json: res.json() }
}

/** A 200 state whose `now` is some instant in [from, to] (ms): checked, and that instant returned. */
function stateWithin (t: Test, res: Answer, from: number, to: number, real: boolean, frozen: boolean, name: string): number {
  const now = res.json?.now as string
  t.match(now, ISO_MS, `${name}: now is ISO 8601 UTC with milliseconds`)
  const at = Date.parse(now)
  t.ok(at >= from && at <= to, `${name}: now ${now} is within ${new Date(from).toISOString()} … ${new Date(to).toISOString()}`)
  t.same(res, { status: 200, json: { now, real, frozen } }, `${name}: full body`)
  return at
}

/** The admin view of a payment (CONTRACT §6.3). */
async function adminRow (app: FastifyInstance, orderId: string): Promise<any> {
  const list = (await app.inject({ url: `/__admin/payments?order_id=${orderId}` })).json().payments
  return list[0]
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('GET: real time by default', async (t) => {
  const app = await build(t)
  const before = Date.now()
  const res = await app.inject({ url: '/__admin/clock' })
  const after = Date.now()
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(Object.keys(res.json()), ['now', 'real', 'frozen'], 'exactly these fields, in this order')
  stateWithin(t, { status: res.statusCode, json: res.json() }, before, after, true, false, 'a fresh app')
})

t.test('POST now: the clock stands there (full bodies); every accepted form', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string]> = [
    ['2027-06-01T00:00:00Z', '2027-06-01T00:00:00.000Z'],
    ['2027-06-01T03:00:00+03:00', '2027-06-01T00:00:00.000Z'],
    ['2027-06-01T00:00:00-05:30', '2027-06-01T05:30:00.000Z'],
    ['2027-06-01T12:34Z', '2027-06-01T12:34:00.000Z'],
    ['2027-06-01T12:34:56.5Z', '2027-06-01T12:34:56.500Z'],
    ['2027-06-01T12:34:56.123456Z', '2027-06-01T12:34:56.123Z'],
    ['2027-06-01t12:00:00z', '2027-06-01T12:00:00.000Z'],
    ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
    ['9998-12-31T23:59:59.999Z', '9998-12-31T23:59:59.999Z'],
  ]
  for (const [now, expected] of cases) {
    const state = { now: expected, real: false, frozen: true }
    t.same(await postClock(app, { now }), { status: 200, json: state }, `POST ${now}`)
    t.same(await getClock(app), { status: 200, json: state }, `GET after ${now}: standing still`)
  }
  t.same(await postClock(app, { now: '2027-06-01T00:00:00Z', frozen: true }), { status: 200, json: { now: '2027-06-01T00:00:00.000Z', real: false, frozen: true } }, 'frozen: true, explicitly')
})

t.test('POST advance_days / advance_seconds from a set clock: full bodies', async (t) => {
  const app = await build(t)
  t.equal((await postClock(app, { now: '2027-06-01T00:00:00Z' })).status, 200)
  const steps: Array<[object, string]> = [
    [{ advance_days: 30 }, '2027-07-01T00:00:00.000Z'],
    [{ advance_days: -1.5 }, '2027-06-29T12:00:00.000Z'],
    [{ advance_seconds: 1800 }, '2027-06-29T12:30:00.000Z'],
    [{ advance_seconds: -0.25 }, '2027-06-29T12:29:59.750Z'],
    [{ advance_days: 190 }, '2028-01-05T12:29:59.750Z'],
    [{ advance_seconds: 86_400 * 366 }, '2029-01-05T12:29:59.750Z'],
  ]
  for (const [body, now] of steps) {
    const state = { now, real: false, frozen: true }
    t.same(await postClock(app, body), { status: 200, json: state }, JSON.stringify(body))
    t.same(await getClock(app), { status: 200, json: state }, `GET after ${JSON.stringify(body)}`)
  }
})

t.test('POST advance from real time: the clock stands still at the new instant', async (t) => {
  for (const [body, ms] of [[{ advance_days: 1 }, DAY], [{ advance_seconds: -60 }, -60_000]] as const) {
    const app = await build(t)
    const before = Date.now()
    const res = await postClock(app, body)
    const after = Date.now()
    const at = stateWithin(t, res, before + ms, after + ms, false, true, JSON.stringify(body))
    t.same(await getClock(app), { status: 200, json: { now: new Date(at).toISOString(), real: false, frozen: true } }, `${JSON.stringify(body)}: GET, standing still`)
  }
})

t.test('frozen:false: the clock runs on from the instant set; advancing keeps it running', async (t) => {
  const app = await build(t)
  const set = Date.parse('2030-01-01T00:00:00Z')
  const before = Date.now()
  const res = await postClock(app, { now: '2030-01-01T00:00:00Z', frozen: false })
  const afterSet = Date.now()
  stateWithin(t, res, set, set + (afterSet - before), false, false, 'set running')
  // Real time passes: so does the mock's, from where it was set.
  await sleep(25)
  const mid = Date.now()
  t.ok(mid > afterSet, 'real time has passed')
  const later = await getClock(app)
  stateWithin(t, later, set + (mid - afterSet), set + (Date.now() - before), false, false, 'later, it has run on')

  // Without frozen, advancing a running clock keeps it running.
  const advanced = await postClock(app, { advance_days: 1 })
  stateWithin(t, advanced, set + DAY + (mid - afterSet), set + DAY + (Date.now() - before), false, false, 'advance_days 1, still running')
  // frozen:true with an advance stops it at the new instant.
  const stopped = await postClock(app, { advance_seconds: 60, frozen: true })
  const at = stateWithin(t, stopped, set + DAY + 60_000 + (mid - afterSet), set + DAY + 60_000 + (Date.now() - before), false, true, 'advance_seconds 60, frozen')
  await sleep(5)
  t.same(await getClock(app), { status: 200, json: { now: new Date(at).toISOString(), real: false, frozen: true } }, 'standing still again')
  // frozen:false with an advance starts a frozen clock running from the new instant.
  const restarted = await postClock(app, { advance_seconds: 10, frozen: false })
  stateWithin(t, restarted, at + 10_000, at + 10_000 + (Date.now() - before), false, false, 'advance_seconds 10, running again')
})

t.test('DELETE and reset return the clock to real time', async (t) => {
  const app = await build(t)
  t.equal((await postClock(app, { now: '2027-06-01T00:00:00Z' })).status, 200)
  let before = Date.now()
  stateWithin(t, await deleteClock(app), before, Date.now(), true, false, 'DELETE')
  before = Date.now()
  stateWithin(t, await getClock(app), before, Date.now(), true, false, 'GET after DELETE')
  before = Date.now()
  stateWithin(t, await deleteClock(app), before, Date.now(), true, false, 'DELETE of a real clock: still real')

  for (const body of [{ now: '2027-06-01T00:00:00Z' }, { now: '2031-01-01T00:00:00Z', frozen: false }, { advance_days: 3 }]) {
    t.equal((await postClock(app, body)).status, 200, `moved: ${JSON.stringify(body)}`)
    const reset = await app.inject({ method: 'POST', url: '/__admin/reset' })
    t.equal(reset.statusCode, 200, 'POST /__admin/reset')
    before = Date.now()
    stateWithin(t, await getClock(app), before, Date.now(), true, false, `after reset (${JSON.stringify(body)})`)
  }
})

t.test('bad bodies: a 400 with its description, and the clock does not move', async (t) => {
  const app = await build(t)
  const set = { now: '2027-06-01T00:00:00.000Z', real: false, frozen: true }
  t.same(await postClock(app, { now: '2027-06-01T00:00:00Z' }), { status: 200, json: set })
  const needsOne = 'Invalid body: send now, advance_days or advance_seconds (one of them)'
  const nowInvalid = 'Invalid body field now: must be an ISO 8601 date-time with a time zone (2027-06-01T00:00:00Z), from 2000-01-01 to 9998-12-31'
  const days = 'Invalid body field advance_days: must be a number other than 0 (at least a millisecond)'
  const seconds = 'Invalid body field advance_seconds: must be a number other than 0 (at least a millisecond)'
  const outOfRange = 'Invalid body: the clock would leave 2000-01-01T00:00:00Z to 9998-12-31T23:59:59Z'
  // [name, raw JSON text (undefined: no body), description]
  const cases: Array<[string, string | undefined, string]> = [
    ['no body', undefined, 'Invalid body: expected a JSON object'],
    ['an array', '[]', 'Invalid body: expected a JSON object'],
    ['a JSON string', '"2027-06-01T00:00:00Z"', 'Invalid body: expected a JSON object'],
    ['not JSON', '{"now": ', 'Invalid JSON body'],
    ['none of the three', '{}', needsOne],
    ['frozen alone', '{"frozen": false}', needsOne],
    ['now and advance_days', '{"now": "2027-06-01T00:00:00Z", "advance_days": 1}', needsOne],
    ['now and advance_seconds', '{"now": "2027-06-01T00:00:00Z", "advance_seconds": 1}', needsOne],
    ['advance_days and advance_seconds', '{"advance_days": 1, "advance_seconds": 1}', needsOne],
    ['all three', '{"now": "2027-06-01T00:00:00Z", "advance_days": 1, "advance_seconds": 1}', needsOne],
    ['an unknown field', '{"advance_days": 1, "days": 1}', 'Invalid body: unknown field days'],
    ['an unknown field alone', '{"at": "2027-06-01T00:00:00Z"}', 'Invalid body: unknown field at'],
    ['now: a date without a time', '{"now": "2027-06-01"}', nowInvalid],
    ['now: no time zone', '{"now": "2027-06-01T00:00:00"}', nowInvalid],
    ['now: a space for T', '{"now": "2027-06-01 00:00:00Z"}', nowInvalid],
    ['now: before 2000', '{"now": "1999-12-31T00:00:00Z"}', nowInvalid],
    ['now: in 9999 (past the range)', '{"now": "9999-01-01T00:00:00Z"}', nowInvalid],
    ['now: a millisecond past the range', '{"now": "9998-12-31T23:59:59.999-00:01"}', nowInvalid],
    ['now: just before 2000 in UTC', '{"now": "2000-01-01T00:30:00+01:00"}', nowInvalid],
    ['now: a word', '{"now": "yesterday"}', nowInvalid],
    ['now: a date in words', '{"now": "June 1, 2027 00:00:00 GMT"}', nowInvalid],
    ['now: a timestamp as a string', '{"now": "1811808000000"}', nowInvalid],
    ['now: a six-digit year', '{"now": "+002027-06-01T00:00:00Z"}', nowInvalid],
    ['now: month 13', '{"now": "2027-13-01T00:00:00Z"}', nowInvalid],
    ['now: day 0', '{"now": "2027-06-00T00:00:00Z"}', nowInvalid],
    ['now: February 30', '{"now": "2027-02-30T00:00:00Z"}', nowInvalid],
    ['now: February 29 of a common year', '{"now": "2027-02-29T00:00:00Z"}', nowInvalid],
    ['now: June 31', '{"now": "2027-06-31T00:00:00Z"}', nowInvalid],
    ['now: hour 25', '{"now": "2027-06-01T25:00:00Z"}', nowInvalid],
    ['now: minute 60', '{"now": "2027-06-01T00:60:00Z"}', nowInvalid],
    ['now: leading space', '{"now": " 2027-06-01T00:00:00Z"}', nowInvalid],
    ['now: empty', '{"now": ""}', nowInvalid],
    ['now: a number', '{"now": 1811808000000}', nowInvalid],
    ['now: null', '{"now": null}', nowInvalid],
    ['now: 41 characters', JSON.stringify({ now: `2027-06-01T00:00:00.${'0'.repeat(20)}Z` }), nowInvalid],
    ['advance_days 0', '{"advance_days": 0}', days],
    ['advance_days -0', '{"advance_days": -0}', days],
    ['advance_seconds 0', '{"advance_seconds": 0}', seconds],
    ['advance_days a string', '{"advance_days": "1"}', days],
    ['advance_days null', '{"advance_days": null}', days],
    ['advance_days true', '{"advance_days": true}', days],
    ['advance_seconds an array', '{"advance_seconds": [60]}', seconds],
    ['advance_days past 9998', '{"advance_days": 3000000}', outOfRange],
    ['advance_days before 2000', '{"advance_days": -11000}', outOfRange],
    ['advance_days 1e9', '{"advance_days": 1e9}', outOfRange],
    ['advance_seconds past 9998', '{"advance_seconds": 300000000000}', outOfRange],
    ['advance_seconds 1e300', '{"advance_seconds": 1e300}', outOfRange],
    ['advance_seconds -1e300', '{"advance_seconds": -1e300}', outOfRange],
    ['frozen a string', '{"advance_days": 1, "frozen": "false"}', 'Invalid body field frozen: must be true or false'],
    ['frozen a number', '{"now": "2027-06-01T00:00:00Z", "frozen": 0}', 'Invalid body field frozen: must be true or false'],
  ]
  for (const [name, payload, description] of cases) {
    const res = await app.inject({ method: 'POST', url: '/__admin/clock', headers: { 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) })
    t.same([res.statusCode, res.json()], [400, failure(400, description)], name)
  }
  for (const [name, type, payload] of [['text/plain', 'text/plain', 'advance_days=1'], ['a form', 'application/x-www-form-urlencoded', 'advance_days=1'], ['XML', 'application/xml', '<clock advance_days="1"/>']] as const) {
    const res = await app.inject({ method: 'POST', url: '/__admin/clock', headers: { 'content-type': type }, payload })
    t.same([res.statusCode, res.json()], [415, failure(415, 'Unsupported Content-Type: send application/json or no Content-Type header')], `415: ${name}`)
  }
  for (const method of ['PUT', 'PATCH'] as const) {
    const res = await app.inject({ method, url: '/__admin/clock', payload: { advance_days: 1 } })
    t.same([res.statusCode, res.headers.allow, res.json()], [405, 'GET, HEAD, POST, DELETE', failure(405, `Method ${method} not allowed; this route allows GET, HEAD, POST, DELETE`)], `405: ${method}`)
  }
  t.same(await getClock(app), { status: 200, json: set }, 'after every refusal, the clock has not moved')

  // The range is checked against the clock's own time: from 9998-12-31 one more day is too far.
  t.equal((await postClock(app, { now: '9998-12-31T00:00:00Z' })).status, 200)
  t.same(await postClock(app, { advance_days: 1 }), { status: 400, json: failure(400, outOfRange) }, 'a day past 9998-12-31T00:00:00Z')
  t.same(await postClock(app, { advance_seconds: 86_399 }), { status: 200, json: { now: '9998-12-31T23:59:59.000Z', real: false, frozen: true } }, 'up to the last second is fine')
  t.equal((await postClock(app, { now: '2000-01-01T00:00:00Z' })).status, 200)
  t.same(await postClock(app, { advance_seconds: -0.001 }), { status: 400, json: failure(400, outOfRange) }, 'a millisecond before 2000-01-01')
})

t.test('ADMIN_TOKEN guards the clock like every admin route (CONTRACT §5)', async (t) => {
  const TOKEN = 'Clock-Admin-Token-2027'
  const app = await build(t, { ADMIN_TOKEN: TOKEN })
  const authorized = { authorization: `Bearer ${TOKEN}` }
  const set = { now: '2027-06-01T00:00:00.000Z', real: false, frozen: true }
  t.same(await postClock(app, { now: '2027-06-01T00:00:00Z' }, authorized), { status: 200, json: set }, 'with the token: moved')
  const missing = failure(401, 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>')
  const invalid = failure(401, 'Invalid admin token')
  for (const [name, headers, body] of [['no token', {}, missing], ['a wrong token', { authorization: 'Bearer wrong' }, invalid], ['the API key as a token', { authorization: `Bearer ${DEMO_KEY}` }, invalid]] as const) {
    t.same(await getClock(app, headers), { status: 401, json: body }, `GET, ${name}`)
    t.same(await postClock(app, { advance_days: 1 }, headers), { status: 401, json: body }, `POST, ${name}`)
    // The token is checked before the body (CONTRACT §5): a bad body without it is still 401.
    t.same(await postClock(app, { now: 'yesterday' }, headers), { status: 401, json: body }, `POST with a bad body, ${name}`)
    t.same(await deleteClock(app, headers), { status: 401, json: body }, `DELETE, ${name}`)
  }
  t.same(await getClock(app, authorized), { status: 200, json: set }, 'the refused requests moved nothing')
  t.same(await postClock(app, { advance_days: 1 }, authorized), { status: 200, json: { now: '2027-06-02T00:00:00.000Z', real: false, frozen: true } }, 'POST with the token')
  const before = Date.now()
  stateWithin(t, await deleteClock(app, authorized), before, Date.now(), true, false, 'DELETE with the token')
})

t.test('the clock drives checkout page expiry (CHECKOUT_TTL, CONTRACT §6.2)', async (t) => {
  const app = await build(t)
  t.equal((await postClock(app, { now: '2027-06-01T10:00:00Z' })).status, 200)
  const c = await checkout(app)
  const pending = await adminRow(app, c.orderId)
  t.same([pending.status, pending.created_at, pending.expires_at], ['PENDING', '2027-06-01T10:00:00.000Z', '2027-06-01T10:30:00.000Z'], 'created at the clock, expires CHECKOUT_TTL (1800 s) later')

  t.same(await postClock(app, { advance_seconds: 1800 }), { status: 200, json: { now: '2027-06-01T10:30:00.000Z', real: false, frozen: true } })
  const v = await verify(app, { order_id: c.orderId })
  const transactionId = v.json?.result?.transaction_id as string
  t.match(transactionId, /^[0-9]{12}$/, 'the expired payment has a transaction_id (CONTRACT §6.3)')
  t.same(v, {
    status: 200,
    json: {
      status: 'SUCCESS',
      result: paymentResult({
        order_id: c.orderId,
        transaction_id: transactionId,
        payment_date: '2027-06-01T10:30:00Z',
        payment_status: 'FAILURE',
        description: 'Payment page expired',
        card_type: null,
        last_4_digits: null,
      }),
    },
  }, 'verify by order_id: FAILURE "Payment page expired" at the expiry instant')
  const shown = await page(app, PAGE, c.paymentId)
  t.match(shown.body, '<h1 id="result-title" class="ko">This payment page has expired</h1>', 'the hosted page says so')
  t.same(await adminRow(app, c.orderId), adminPayment(c, {
    status: 'FAILURE',
    transaction_id: transactionId,
    response_code: '102',
    description: 'Payment page expired',
    payment_date: '2027-06-01T10:30:00Z',
    card_type: null,
    last_4_digits: null,
    created_at: '2027-06-01T10:00:00.000Z',
    expires_at: '2027-06-01T10:30:00.000Z',
  }), 'GET /__admin/payments: every date the clock\'s')

  // Either side of the expiry instant: a second short of it is still PENDING.
  const next = await checkout(app)
  t.same(await postClock(app, { advance_seconds: 1799 }), { status: 200, json: { now: '2027-06-01T10:59:59.000Z', real: false, frozen: true } })
  const before = (await verify(app, { order_id: next.orderId })).json.result
  t.same([before.payment_status, before.payment_date, before.transaction_id], ['PENDING', null, null], '1799 s: still PENDING')
  t.equal((await page(app, PAGE, next.paymentId)).body.includes('<form'), true, '1799 s: the page still takes a card')
  // Moving the clock back un-expires nothing, and a PENDING page stays payable when time goes back.
  t.same(await postClock(app, { advance_days: -1 }), { status: 200, json: { now: '2027-05-31T10:59:59.000Z', real: false, frozen: true } })
  t.equal((await verify(app, { order_id: next.orderId })).json.result.payment_status, 'PENDING', 'the clock moved back: still PENDING')
  t.equal((await verify(app, { order_id: c.orderId })).json.result.payment_status, 'FAILURE', 'an expired payment stays expired')
  t.same(await postClock(app, { now: '2027-06-01T11:00:00Z' }), { status: 200, json: { now: '2027-06-01T11:00:00.000Z', real: false, frozen: true } })
  const after = (await verify(app, { order_id: next.orderId })).json.result
  t.same([after.payment_status, after.description, after.payment_date], ['FAILURE', 'Payment page expired', '2027-06-01T11:00:00Z'], '1800 s: FAILURE at its expiry instant')
})

t.test('every date the payment routes write follows the clock (CONTRACT §6.6): set, running, real again', async (t) => {
  const app = await build(t)
  t.equal((await postClock(app, { now: '2027-08-08T08:08:08Z' })).status, 200)
  const c = await checkout(app)
  const done = await app.inject({ method: 'POST', url: `/__admin/payments/${c.paymentId}/complete`, payload: { card: '4111111111111111' } })
  const paid = done.json().payment
  t.same([paid.created_at, paid.expires_at, paid.payment_date], ['2027-08-08T08:08:08.000Z', '2027-08-08T08:38:08.000Z', '2027-08-08T08:08:08Z'], 'checkout and payment: the set clock')
  t.equal((await verify(app, { order_id: c.orderId })).json.result.payment_date, '2027-08-08T08:08:08Z', 'verify: payment_date the set clock')
  t.equal((await postClock(app, { advance_days: 2 })).status, 200)
  const refunded = await app.inject({ method: 'POST', url: '/v1/payments/refund', headers: { api_key: DEMO_KEY }, payload: { order_id: c.orderId } })
  t.equal(refunded.json().result.refund_status, 'pending', 'refunded two days later: pending')
  t.same((await verify(app, { order_id: c.orderId })).json.result.refund_details, { refund_status: 'pending', refund_date: '2027-08-10T08:08:08Z', amount: 123.1 }, 'refund_date: the advanced clock')

  // Running from a set instant: dates are at or after it, and no later than real time allows.
  const start = Date.parse('2031-01-01T00:00:00Z')
  const before = Date.now()
  t.equal((await postClock(app, { now: '2031-01-01T00:00:00Z', frozen: false })).status, 200)
  const running = await checkout(app)
  const runningPaid = (await app.inject({ method: 'POST', url: `/__admin/payments/${running.paymentId}/complete`, payload: { card: '4111111111111111' } })).json().payment
  const elapsed = Date.now() - before
  const created = Date.parse(runningPaid.created_at as string)
  t.ok(created >= start && created <= start + elapsed, `running clock: created_at ${runningPaid.created_at as string}`)
  t.equal(Date.parse(runningPaid.expires_at as string) - created, 1_800_000, 'running clock: expires_at is CHECKOUT_TTL after created_at')
  const paidAt = Date.parse(runningPaid.payment_date as string)
  t.ok(paidAt >= start && paidAt <= start + elapsed, `running clock: payment_date ${runningPaid.payment_date as string}`)

  // Back to real time: dates are the real time again.
  t.equal((await deleteClock(app)).status, 200)
  const realBefore = Date.now()
  const real = await checkout(app)
  const realAfter = Date.now()
  const realRow = await adminRow(app, real.orderId)
  const realCreated = Date.parse(realRow.created_at as string)
  t.ok(realCreated >= realBefore && realCreated <= realAfter, `real clock: created_at ${realRow.created_at as string}`)
})
