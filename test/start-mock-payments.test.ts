// startMock()'s payment helpers for refunds, saved cards and the clock (CONTRACT §6.5–6.6), used
// as a user's test suite would: refund, collectPayment, deactivateToken, tokens, issueToken,
// setTokenCard, clock, setClock, advanceClock, resetClock, and MockAdminError for what the routes
// refuse. The clock is frozen at fixed instants, so every date below is a literal.
import t from 'tap'
import type { Test } from 'tap'
import { MockAdminError, startMock, type MockServer } from '../src/index.js'
import { SECOND_KEY } from './helper.js'

/** A mock closed at teardown, however the test ends. */
async function start (t: Test): Promise<MockServer> {
  const mock = await startMock()
  t.teardown(() => mock.close())
  return mock
}

/** The rejection of `promise` (a MockAdminError is expected). */
const rejection = async (promise: Promise<unknown>): Promise<unknown> => await promise.then(() => undefined, (err: unknown) => err)

const TOKEN = /^[A-Za-z0-9+/\\|]{44}$/
const TRANSACTION_ID = /^[1-9]\d{11}$/
const AUTH_CODE = /^[A-Z0-9]{6}$/

t.test('the clock: clock(), setClock() frozen and running, advanceClock() in days and fractions, resetClock()', async (t) => {
  const mock = await start(t)
  const real = await mock.clock()
  t.same({ real: real.real, frozen: real.frozen }, { real: true, frozen: false }, 'real time at start')
  t.ok(Math.abs(Date.parse(real.now) - Date.now()) < 5000, `near this machine's time: ${real.now}`)

  t.same(await mock.setClock('2027-08-31T12:00:00Z'), { now: '2027-08-31T12:00:00.000Z', real: false, frozen: true }, 'an ISO string; frozen by default')
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(await mock.clock(), { now: '2027-08-31T12:00:00.000Z', real: false, frozen: true }, 'it stands still')
  t.same(await mock.advanceClock(30), { now: '2027-09-30T12:00:00.000Z', real: false, frozen: true })
  t.same(await mock.advanceClock(0.5), { now: '2027-10-01T00:00:00.000Z', real: false, frozen: true }, 'fractions of a day')
  t.same(await mock.advanceClock(-1), { now: '2027-09-30T00:00:00.000Z', real: false, frozen: true }, 'back a day')

  const running = await mock.setClock(new Date('2030-01-01T00:00:00Z'), { frozen: false })
  t.same({ real: running.real, frozen: running.frozen }, { real: false, frozen: false }, 'a Date; frozen: false runs on')
  t.ok(running.now >= '2030-01-01T00:00:00.000Z' && running.now < '2030-01-01T00:00:05.000Z', running.now)
  const advanced = await mock.advanceClock(1)
  t.equal(advanced.frozen, false, 'advancing a running clock keeps it running')
  t.ok(advanced.now >= '2030-01-02T00:00:00.000Z' && advanced.now < '2030-01-02T00:00:05.000Z', advanced.now)

  const back = await mock.resetClock()
  t.same({ real: back.real, frozen: back.frozen }, { real: true, frozen: false })
  t.ok(Math.abs(Date.parse(back.now) - Date.now()) < 5000, `real time again: ${back.now}`)

  const bad = await rejection(mock.setClock('2027-06-01'))
  t.ok(bad instanceof MockAdminError)
  t.match(bad, {
    statusCode: 400,
    description: 'Invalid body field now: must be an ISO 8601 date-time with a time zone (2027-06-01T00:00:00Z), from 2000-01-01 to 9998-12-31',
    message: 'fatora-mock /__admin answered 400: Invalid body field now: must be an ISO 8601 date-time with a time zone (2027-06-01T00:00:00Z), from 2000-01-01 to 9998-12-31',
  })
  t.match(await rejection(mock.advanceClock(0)), { name: 'MockAdminError', statusCode: 400, description: 'Invalid body field advance_days: must be a number other than 0' })
})

t.test('a subscription: save_token, collectPayment() a month on, setTokenCard() to a declining card, deactivateToken(), tokens()', async (t) => {
  const mock = await start(t)
  await mock.setClock('2027-08-31T12:00:00Z')

  const { paymentId } = await mock.checkout({ amount: 49, currency: 'QAR', order_id: 'sub-1', client: { name: 'Jane Doe', email: 'jane@example.com' }, save_token: true })
  const { payment } = await mock.completePayment(paymentId, { card: '4111111111111111' })
  const first = await mock.verify({ order_id: 'sub-1' })
  const token = first.card_token as string
  t.match(token, TOKEN, '44 characters of letters, digits and + / \\ |')
  for (const c of ['+', '/', '\\', '|']) t.ok(token.includes(c), `the token contains ${c}`)
  t.equal(payment.card_token, token)
  t.equal(first.payment_date, '2027-08-31T12:00:00Z', 'dated by the clock')

  // Issued on 31 August: six calendar months end on the last day of February (2028 is a leap year).
  const [saved] = await mock.tokens({ client_email: 'jane@example.com' })
  t.same(saved, {
    card_token: token,
    merchant_id: 1,
    client: { name: 'Jane Doe', email: 'jane@example.com', phone: null },
    status: 'active',
    currency: 'QAR',
    card_type: 'VISA',
    last_4_digits: '1111',
    card_expiry: '12/32',
    charge_response_code: '000',
    payment_id: paymentId,
    created_at: '2027-08-31T12:00:00.000Z',
    expires_at: '2028-02-29T12:00:00.000Z',
    deactivated_at: null,
    last_used_at: null,
  })

  t.same(await mock.advanceClock(30), { now: '2027-09-30T12:00:00.000Z', real: false, frozen: true })
  const renewal = await mock.collectPayment({ card_token: token, order_id: 'sub-2', amount: 49 })
  const { transaction_id: renewalId, auth_code: renewalAuth, ...renewalRest } = renewal
  t.match(renewalId, TRANSACTION_ID)
  t.not(renewalId, first.transaction_id, 'a new transaction')
  t.match(renewalAuth, AUTH_CODE)
  t.same(renewalRest, {
    order_id: 'sub-2',
    amount: 49,
    currency: 'QAR',
    client: { name: 'Jane Doe', email: 'jane@example.com', phone: null, note: null },
    note: null,
    payment_date: '2027-09-30T12:00:00Z',
    payment_status: 'SUCCESS',
    mode: 'test',
    description: 'Transaction Successful - Approved',
    card_token: token,
    card_type: 'VISA',
    last_4_digits: '1111',
    type: 'collect-payment',
    exchange_details: null,
    transfer_details: null,
    refund_details: null,
    refund_transaction_id: null,
  })
  t.same(await mock.verify({ transaction_id: renewalId as string }), renewal, 'verify finds the collected payment')

  const changed = await mock.setTokenCard({ card_token: token, card: '4000000000009995' })
  t.same(changed, {
    ...saved,
    last_4_digits: '9995',
    charge_response_code: '051',
    last_used_at: '2027-09-30T12:00:00.000Z',
  }, 'the card behind it declines from now on; the token is the same')

  await mock.advanceClock(30)
  const declined = await mock.collectPayment({ card_token: token, order_id: 'sub-3', amount: 49.5, currency: 'USD', note: 'October' })
  const { transaction_id: declinedId, ...declinedRest } = declined
  t.match(declinedId, TRANSACTION_ID)
  t.same(declinedRest, {
    order_id: 'sub-3',
    amount: 49.5,
    currency: 'USD',
    client: { name: 'Jane Doe', email: 'jane@example.com', phone: null, note: null },
    note: 'October',
    payment_date: '2027-10-30T12:00:00Z',
    payment_status: 'FAILURE',
    mode: 'test',
    auth_code: null,
    description: 'Transaction Declined - Insufficient funds',
    card_token: token,
    card_type: 'VISA',
    last_4_digits: '9995',
    type: 'collect-payment',
    exchange_details: null,
    transfer_details: null,
    refund_details: null,
    refund_transaction_id: null,
  }, 'a decline resolves: a finished payment with payment_status FAILURE')
  t.match(await mock.payments({ order_id: 'sub-3' }), [{ status: 'FAILURE', response_code: '051', type: 'collect-payment' }])

  t.equal(await mock.deactivateToken(token), undefined)
  t.same(await mock.tokens({ status: 'inactive' }), [{
    ...changed,
    status: 'inactive',
    deactivated_at: '2027-10-30T12:00:00.000Z',
    last_used_at: '2027-10-30T12:00:00.000Z',
  }])
  t.same(await mock.tokens({ client_email: 'jane@example.com', status: 'active' }), [])

  const refused = await rejection(mock.collectPayment({ card_token: token, order_id: 'sub-4', amount: 49 }))
  t.ok(refused instanceof MockAdminError, 'a MockAdminError')
  t.match(refused, {
    name: 'MockAdminError',
    statusCode: 422,
    description: 'Card token is deactivated',
    message: 'fatora-mock POST /v1/payments/collect-payment answered 422: Card token is deactivated',
  })
  t.match(await rejection(mock.deactivateToken(token)), {
    name: 'MockAdminError',
    statusCode: 422,
    description: 'Card token is already deactivated',
    message: 'fatora-mock POST /v1/payments/deactivate-token answered 422: Card token is already deactivated',
  })
})

t.test('issueToken(): defaults, month-end clamping, the card\'s expiry month, expiry on the clock; refusals', async (t) => {
  const mock = await start(t)
  await mock.setClock('2027-08-31T12:00:00Z')

  const issued = await mock.issueToken({ client: { name: 'Ann' } })
  const { card_token: token, ...rest } = issued
  t.match(token, TOKEN)
  t.same(rest, {
    merchant_id: 1,
    client: { name: 'Ann', email: null, phone: null },
    status: 'active',
    currency: 'QAR',
    card_type: 'VISA',
    last_4_digits: '1111',
    card_expiry: '12/32',
    charge_response_code: '000',
    payment_id: null,
    created_at: '2027-08-31T12:00:00.000Z',
    expires_at: '2028-02-29T12:00:00.000Z',
    deactivated_at: null,
    last_used_at: null,
  }, 'merchant 1, 4111…, December five years on, QAR; 31 August + 6 months = 29 February')

  // A card expiring in January 2028 works through 31 January: the token ends with it.
  const shortCard = await mock.issueToken({ merchant_id: 2, client: { name: 'Bo', email: 'bo@example.com', phone: '+974 5555 0000' }, card: '5555555555554444', expiry: '01/28', currency: 'USD' })
  t.match(shortCard, {
    merchant_id: 2,
    client: { name: 'Bo', email: 'bo@example.com', phone: '+974 5555 0000' },
    currency: 'USD',
    card_type: 'MASTERCARD',
    last_4_digits: '4444',
    card_expiry: '01/28',
    expires_at: '2028-02-01T00:00:00.000Z',
  })
  t.same((await mock.tokens({ merchant_id: 2 })).map((x) => x.card_token), [shortCard.card_token, 'SECOND+MERCHANT/SAVED\\CARD|2048'], 'newest first')

  // Merchant 2's token, with merchant 2's key: currency defaults to the token's.
  const charged = await mock.collectPayment({ card_token: shortCard.card_token, order_id: 'm2-1', amount: 10 }, SECOND_KEY)
  t.match(charged, { currency: 'USD', payment_status: 'SUCCESS', card_type: 'MASTERCARD', type: 'collect-payment' })
  t.match(await rejection(mock.collectPayment({ card_token: shortCard.card_token, order_id: 'm1-1', amount: 10 })), {
    statusCode: 404,
    description: 'The requested card token was not found',
  }, "another merchant's token is the same 404 as a missing one")

  await mock.advanceClock(154)   // 2028-02-01T12:00:00Z: past the card's month
  // The fixture tokens may be expired too (issued at start, in real time): only these two count.
  const expired = (await mock.tokens({ status: 'expired' })).map((x) => x.card_token)
  t.ok(expired.includes(shortCard.card_token), 'the short card\'s token has expired')
  t.notOk(expired.includes(token), 'the six-month token has not (until 29 February)')
  t.match(await rejection(mock.collectPayment({ card_token: shortCard.card_token, order_id: 'm2-2', amount: 10 }, SECOND_KEY)), {
    name: 'MockAdminError',
    statusCode: 422,
    description: 'Card token has expired',
  })
  await mock.setClock('2027-09-01T00:00:00Z')
  t.equal((await mock.tokens({ merchant_id: 2 }))[0]?.status, 'active', 'the status follows the clock: back in time, active again')

  t.match(await rejection(mock.issueToken({ client: { name: 'Ann' }, card: '4000056655665556' })), {
    statusCode: 400,
    description: 'Invalid body field card: a debit card is never saved (only credit cards issue a card_token)',
  })
  t.match(await rejection(mock.issueToken({ merchant_id: 99, client: { name: 'Ann' } })), {
    statusCode: 422,
    description: 'Unknown merchant_id: no merchant 99',
    message: 'fatora-mock /__admin answered 422: Unknown merchant_id: no merchant 99',
  })
  const missing = await rejection(mock.setTokenCard({ card_token: 'no-such-token', card: '4000000000009995' }))
  t.ok(missing instanceof MockAdminError)
  t.match(missing, {
    statusCode: 404,
    description: 'No card token matches card_token',
    message: 'fatora-mock /__admin answered 404: No card token matches card_token',
  })
  t.match(await rejection(mock.setTokenCard({ card_token: token })), { statusCode: 400, description: 'Invalid body: send card, expiry or both' })
})

t.test('refund(): completed on the payment\'s day, pending later, in verify; 422 and 404 as MockAdminError', async (t) => {
  const mock = await start(t)
  await mock.setClock('2027-03-10T09:15:00Z')
  const paid = async (orderId: string): Promise<string> => {
    const { paymentId } = await mock.checkout({ amount: 123.1, currency: 'QAR', order_id: orderId, client: { name: 'client' } })
    return (await mock.completePayment(paymentId, { card: '4111111111111111' })).payment.transaction_id as string
  }

  const sameDay = await paid('r-1')
  await mock.advanceClock(0.5)   // 21:15, still 10 March (UTC)
  const completed = await mock.refund({ transaction_id: sameDay, order_id: 'r-1' })
  t.same(Object.keys(completed), ['refund_status', 'refund_transaction_id'])
  t.equal(completed.refund_status, 'completed')
  t.match(completed.refund_transaction_id, TRANSACTION_ID)
  const verified = await mock.verify({ transaction_id: sameDay })
  t.same({ status: verified.payment_status, details: verified.refund_details, id: verified.refund_transaction_id }, {
    status: 'SUCCESS',
    details: { refund_status: 'completed', refund_date: '2027-03-10T21:15:00Z', amount: 123.1 },
    id: completed.refund_transaction_id,
  }, 'verify shows the refund; payment_status stays SUCCESS')

  const twice = await rejection(mock.refund({ transaction_id: sameDay }))
  t.ok(twice instanceof MockAdminError)
  t.match(twice, {
    name: 'MockAdminError',
    statusCode: 422,
    description: 'The payment has already been refunded',
    message: 'fatora-mock POST /v1/payments/refund answered 422: The payment has already been refunded',
  })

  await paid('r-2')
  await mock.advanceClock(1)
  t.match(await mock.refund({ order_id: 'r-2' }), { refund_status: 'pending' }, 'a day later: pending (order_id alone: the latest payment)')
  t.match(await mock.verify({ order_id: 'r-2' }), { refund_details: { refund_status: 'pending', refund_date: '2027-03-11T21:15:00Z', amount: 123.1 } })

  const { paymentId } = await mock.checkout({ amount: 5, currency: 'QAR', order_id: 'r-3', client: { name: 'client' } })
  await mock.completePayment(paymentId, { card: '4000000000000002' })
  t.match(await rejection(mock.refund({ order_id: 'r-3' })), {
    statusCode: 422,
    description: 'The payment did not succeed (FAILURE): only a successful payment can be refunded',
  })

  const unknown = await rejection(mock.refund({ transaction_id: '999999999999' }))
  t.ok(unknown instanceof MockAdminError)
  t.match(unknown, {
    statusCode: 404,
    description: 'The requested payment was not found',
    message: 'fatora-mock POST /v1/payments/refund answered 404: The requested payment was not found',
  })
  t.match(await rejection(mock.refund({ transaction_id: '123456789' }, SECOND_KEY)), { statusCode: 404 }, "another merchant's payment: 404")
})

t.test("Fatora's samples with the default data: collect-payment with token 123456789, refund of payment 123456789; reset() brings both back", async (t) => {
  const mock = await start(t)
  const sample = await mock.collectPayment({ card_token: '123456789', order_id: '123456789', amount: 123.45 })
  const { transaction_id: id, auth_code: auth, payment_date: date, ...rest } = sample
  t.match(id, TRANSACTION_ID)
  t.match(auth, AUTH_CODE)
  t.match(date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  t.same(rest, {
    order_id: '123456789',
    amount: 123.45,
    currency: 'QAR',
    client: { name: 'client', email: 'client@example.com', phone: '+974 77777777', note: null },
    note: null,
    payment_status: 'SUCCESS',
    mode: 'test',
    description: 'Transaction Successful - Approved',
    card_token: '123456789',
    card_type: 'VISA',
    last_4_digits: '1111',
    type: 'collect-payment',
    exchange_details: null,
    transfer_details: null,
    refund_details: null,
    refund_transaction_id: null,
  })
  // Paid on 2025-01-01: refunded on a later day.
  t.match(await mock.refund({ transaction_id: '123456789', order_id: '123456789' }), { refund_status: 'pending' })
  await mock.deactivateToken('123456789')
  const second = await mock.tokens({ merchant_id: 2 })
  t.same(second.map((x) => [x.card_token, x.status]), [['SECOND+MERCHANT/SAVED\\CARD|2048', 'active']])
  t.match(await mock.collectPayment({ card_token: 'SECOND+MERCHANT/SAVED\\CARD|2048', order_id: 'ORDER-2049', amount: 1 }, SECOND_KEY), { card_type: 'MASTERCARD', payment_status: 'SUCCESS' })

  await mock.setClock('2027-01-01T00:00:00Z')
  await mock.reset()
  t.same(await mock.clock().then(({ real, frozen }) => ({ real, frozen })), { real: true, frozen: false }, 'reset() returns the clock to real time')
  t.same((await mock.tokens()).map((x) => [x.card_token, x.status, x.last_used_at]), [
    ['SECOND+MERCHANT/SAVED\\CARD|2048', 'active', null],
    ['123456789', 'active', null],
  ], 'the fixture tokens, issued afresh')
  t.equal((await mock.verify({ transaction_id: '123456789' })).refund_details, null, 'the fixture payment, unrefunded')
})
