// Edges of saved cards and the clock (CONTRACT §6.6, §6.7): the notification log's times follow
// the mock's clock, a collect-payment has no page, the card behind a token changes only in what
// is sent, and the fixtures' tokens and dates load or are refused by name.
import t from 'tap'
import { parseFixtures, loadFixtures } from '../../../src/seed/fixtures.js'
import { build, DEMO_KEY, failure } from '../../helper.js'
import { checkout, page, PAGE } from './pages-helper.js'

const json = { 'content-type': 'application/json' }

t.test('pushes and webhook attempts are dated by the mock\'s clock, like payment_date', async (t) => {
  const app = await build(t, { WEBHOOK_URL: 'http://127.0.0.1:9/unreachable', WEBHOOK_RETRY_MS: '60000' })
  t.equal((await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2030-01-15T08:00:00Z' } })).statusCode, 200)
  const token = (await app.inject({ method: 'POST', url: '/__admin/tokens', payload: { client: { name: 'Dated' } } })).json().card_token as string
  const res = await app.inject({ method: 'POST', url: '/v1/payments/collect-payment', headers: { api_key: DEMO_KEY, ...json }, payload: { card_token: token, order_id: 'dated', amount: 5, fcm_token: 'fcm-dated' } })
  t.equal(res.json().result.payment_date, '2030-01-15T08:00:00Z')
  const pushes = (await app.inject({ url: '/__admin/push' })).json().pushes as Array<{ time: string }>
  t.same(pushes.map((p) => p.time), ['2030-01-15T08:00:00.000Z'], 'the push')
  // The first attempt fails at once (nothing listens on port 9); its retry is a minute later on the clock.
  for (let i = 0; i < 200 && (await app.inject({ url: '/__admin/webhooks' })).json().deliveries.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  const [attempt] = (await app.inject({ url: '/__admin/webhooks' })).json().deliveries as Array<{ time: string, next_retry_at: string | null }>
  t.same([attempt?.time, attempt?.next_retry_at], ['2030-01-15T08:00:00.000Z', '2030-01-15T08:01:00.000Z'], 'the webhook attempt and its retry')
})

t.test('a collect-payment has no hosted page: 404 there, and nothing for /__admin to complete', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/payments/collect-payment', headers: { api_key: DEMO_KEY, ...json }, payload: { card_token: '123456789', order_id: 'no-page', amount: 5 } })
  t.equal(res.statusCode, 200)
  const [payment] = (await app.inject({ url: '/__admin/payments?order_id=no-page' })).json().payments as Array<{ payment_id: string, checkout_url: string | null, type: string }>
  t.same([payment?.type, payment?.checkout_url], ['collect-payment', null])
  const id = payment?.payment_id ?? ''
  for (const path of [PAGE, '/Pay/Success', '/pay/3ds']) t.equal((await page(app, path, id)).statusCode, 404, path)
  const done = await app.inject({ method: 'POST', url: `/__admin/payments/${id}/complete`, payload: { card: '4111111111111111' } })
  t.same([done.statusCode, done.json()], [404, failure(404, `No payment has paymentID ${id}`)])
  // A checkout's page is still there.
  const { paymentId } = await checkout(app)
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200)
})

t.test('/__admin/tokens/card changes only what is sent: a new number keeps an expiry now past; a past expiry sent is refused', async (t) => {
  const app = await build(t)
  await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2027-01-10T00:00:00Z' } })
  const issued = (await app.inject({ method: 'POST', url: '/__admin/tokens', payload: { client: { name: 'Edge' }, expiry: '01/27' } })).json()
  t.same([issued.card_expiry, issued.expires_at], ['01/27', '2027-02-01T00:00:00.000Z'])
  await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2027-03-01T00:00:00Z' } })
  const changed = await app.inject({ method: 'POST', url: '/__admin/tokens/card', payload: { card_token: issued.card_token, card: '4000000000009995' } })
  t.same([changed.statusCode, changed.json().card_expiry, changed.json().charge_response_code, changed.json().status, changed.json().expires_at],
    [200, '01/27', '051', 'expired', '2027-02-01T00:00:00.000Z'], 'the number changed; the expiry, and so the token\'s, kept')
  const past = await app.inject({ method: 'POST', url: '/__admin/tokens/card', payload: { card_token: issued.card_token, expiry: '02/27' } })
  t.same([past.statusCode, past.json()], [400, failure(400, 'Invalid body field expiry: must be MM/YY and not in the past')])
  const renewed = await app.inject({ method: 'POST', url: '/__admin/tokens/card', payload: { card_token: issued.card_token, expiry: '12/29' } })
  t.same([renewed.json().card_expiry, renewed.json().charge_response_code, renewed.json().expires_at, renewed.json().status],
    ['12/29', '051', '2027-07-10T00:00:00.000Z', 'active'], 'a renewed card: what it does kept, six months from issue again')
})

t.test('fixtures: a saved card already past its expiry loads as an expired token; dates Date cannot read are refused by name', async (t) => {
  const good = loadFixtures()
  const clone = (): any => JSON.parse(JSON.stringify(good))
  const expired = clone()
  expired.merchants[0].card_tokens[0].expiry = '01/20'
  t.doesNotThrow(() => parseFixtures(expired, 'x.json'), 'a past card expiry is data, not an error')
  const cases: Array<[string, (f: any) => void, string]> = [
    ['leap-second payment_date', (f) => { f.merchants[0].payments[0].payment_date = '2016-12-31T23:59:60Z' }, 'x.json: /merchants/0/payments/0/payment_date is not a date-time JavaScript can read'],
    ['leap-second token created_at', (f) => { f.merchants[0].card_tokens[0].created_at = '2016-12-31T23:59:60Z' }, 'x.json: /merchants/0/card_tokens/0/created_at is not a date-time JavaScript can read'],
    ['debit card saved', (f) => { f.merchants[0].card_tokens[0].card = '4000056655665556' }, 'x.json: /merchants/0/card_tokens/0: card: a debit card is never saved (only credit cards issue a card_token)'],
    ['Luhn-invalid card', (f) => { f.merchants[0].card_tokens[0].card = '4111111111111112' }, 'x.json: /merchants/0/card_tokens/0: card: must be a Luhn-valid card number of 12 to 19 digits'],
    ['a token twice', (f) => { f.merchants[1].card_tokens[0].card_token = '123456789' }, 'x.json: /merchants/1/card_tokens/0/card_token appears twice'],
  ]
  for (const [name, mutate, message] of cases) {
    const f = clone()
    mutate(f)
    t.throws(() => parseFixtures(f, 'x.json'), { name: 'FixtureError', message }, name)
  }
})

t.test('a fixtures file whose token has expired starts the mock; the token is listed expired and refuses a charge', async (t) => {
  const f = JSON.parse(JSON.stringify(loadFixtures()))
  f.merchants[0].card_tokens[0].expiry = '01/20'
  const dir = t.testdir({ 'default.json': JSON.stringify(f) })
  const app = await build(t, { FIXTURES_DIR: dir })
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200, 'reset loads it')
  const [token] = (await app.inject({ url: '/__admin/tokens?card_token=123456789' })).json().tokens as Array<{ status: string, card_expiry: string }>
  t.same([token?.status, token?.card_expiry], ['expired', '01/20'])
  const res = await app.inject({ method: 'POST', url: '/v1/payments/collect-payment', headers: { api_key: DEMO_KEY, ...json }, payload: { card_token: '123456789', order_id: 'x', amount: 1 } })
  t.same([res.statusCode, res.json()], [422, failure(422, 'Card token has expired')])
})
