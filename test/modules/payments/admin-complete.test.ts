// POST /__admin/payments/{paymentID}/complete (CONTRACT §6.3): the hosted page's outcomes for
// tests without a browser, with full bodies and every refusal; and a finished payment surviving a
// restart (§6.1: payments live in SQLite).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, buildWithDb, failure, fixturesDb } from '../../helper.js'
import { adminPayment, card, checkout, type Checkout, FAILURE_URL, page, PAGE, pay, SUCCESS_URL, verify } from './pages-helper.js'

const complete = async (app: FastifyInstance, paymentId: string, body: unknown): Promise<{ status: number, json: any }> => {
  const res = await app.inject({ method: 'POST', url: `/__admin/payments/${paymentId}/complete`, payload: body as object })
  return { status: res.statusCode, json: res.json() }
}

/** The admin view of a payment checkout created with the helper's defaults, finished as given (FAILURE, no card, unless `finished` says otherwise). */
const finishedAs = (c: Checkout, got: any, finished: Record<string, unknown>): object => adminPayment(c, {
  status: 'FAILURE',
  transaction_id: got.transaction_id,
  response_code: null,
  description: null,
  payment_date: got.payment_date,
  card_type: null,
  last_4_digits: null,
  created_at: got.created_at,
  expires_at: got.expires_at,
  ...finished,
})

t.test('complete: a card, cancelled, expired, 3-D Secure fail and approve — full bodies', async (t) => {
  const app = await build(t)
  const cases: Array<[string, object, Record<string, unknown>]> = [
    ['insufficient funds card', { card: '4000000000009995' }, { response_code: '051', description: 'Transaction Declined - Insufficient funds', card_type: 'VISA', last_4_digits: '9995' }],
    ['approved Mastercard, with spaces', { card: '5555 5555 5555 4444' }, { status: 'SUCCESS', response_code: '000', description: 'Transaction Successful - Approved', card_type: 'MASTERCARD', last_4_digits: '4444' }],
    ['cancelled', { outcome: 'cancelled' }, { response_code: '100', description: 'Cancelled by the card holder' }],
    ['expired', { outcome: 'expired' }, { response_code: '102', description: 'Payment page expired' }],
    ['3-D Secure card, fail', { card: '4000000000003220', three_d_secure: 'fail' }, { response_code: '101', description: 'Authentication failed', card_type: 'VISA', last_4_digits: '3220' }],
    ['3-D Secure card, approved by default', { card: '4000000000003220' }, { status: 'SUCCESS', response_code: '000', description: 'Transaction Successful - Approved', card_type: 'VISA', last_4_digits: '3220' }],
  ]
  for (const [name, body, finished] of cases) {
    const c = await checkout(app)
    const res = await complete(app, c.paymentId, body)
    t.equal(res.status, 200, name)
    const got = res.json.payment
    t.match(got.transaction_id, /^[0-9]{12}$/, name)
    if (finished.status === 'SUCCESS') {
      t.match(got.auth_code, /^[A-Z0-9]{6}$/, name)
      finished.auth_code = got.auth_code
    }
    t.same(res.json, {
      payment: finishedAs(c, got, finished),
      redirect_url: `${finished.status === 'SUCCESS' ? SUCCESS_URL : FAILURE_URL}?transaction_id=${got.transaction_id as string}&order_id=${c.orderId}&mode=test` +
        `&response_code=${finished.response_code as string}&description=${encodeURIComponent(finished.description as string)}`,
    }, name)
    // The same as a browser doing it: verify and the page agree.
    const v = (await verify(app, { order_id: c.orderId })).json.result
    t.same([v.payment_status, v.transaction_id, v.description], [finished.status ?? 'FAILURE', got.transaction_id, finished.description], `${name}: verify`)
    // The page shows the result: the outcome's heading and its Status row, no form.
    const shown = (await page(app, PAGE, c.paymentId)).body
    const heading = finished.status === 'SUCCESS' ? '<h1 id="result-title" class="ok">Payment successful</h1>' : finished.response_code === '102' ? '<h1 id="result-title" class="ko">This payment page has expired</h1>' : '<h1 id="result-title" class="ko">Payment failed</h1>'
    t.match(shown, heading, `${name}: the page's heading`)
    t.match(shown, `<dt>Status</dt><dd><strong>${finished.status === 'SUCCESS' ? 'Paid' : 'Not paid'}</strong></dd><dt>Transaction</dt><dd><code>${got.transaction_id as string}</code></dd>`, `${name}: the page's Status row`)
    t.match(shown, `<dt>Response code</dt><dd><code>${finished.response_code as string}</code> ${finished.description as string}</dd></dl>`, `${name}: the page's response code`)
    t.notMatch(shown, '<form', `${name}: no form`)
  }
})

t.test('complete: no merchant URL → redirect_url null; a waiting 3-D Secure step; save_token', async (t) => {
  const app = await build(t)
  const bare = await checkout(app, { success_url: undefined, failure_url: undefined })
  const res = await complete(app, bare.paymentId, { outcome: 'cancelled' })
  t.equal(res.status, 200)
  t.equal(res.json.redirect_url, null)

  // A browser left the payment at its 3-D Secure page: only three_d_secure finishes it.
  const waiting = await checkout(app)
  t.equal((await pay(app, waiting.paymentId, card('4000000000003220'))).headers.location, `/pay/3ds?paymentID=${waiting.paymentId}`)
  t.same(await complete(app, waiting.paymentId, { card: '4111111111111111' }), { status: 400, json: failure(400, 'Invalid body: the payment is waiting for 3-D Secure; send three_d_secure (approve or fail)') })
  const approved = await complete(app, waiting.paymentId, { three_d_secure: 'approve' })
  t.equal(approved.status, 200)
  t.same([approved.json.payment.status, approved.json.payment.last_4_digits], ['SUCCESS', '3220'])

  const saved = await checkout(app, { save_token: true })
  const token = (await complete(app, saved.paymentId, { card: '4111111111111111' })).json
  t.equal(token.payment.card_token.length, 44)
  t.ok(String(token.redirect_url).endsWith(`&card_token=${encodeURIComponent(token.payment.card_token as string)}`))
})

t.test('complete: every refusal, as an envelope', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const cases: Array<[string, unknown, number, string]> = [
    ['both card and outcome', { card: '4111111111111111', outcome: 'cancelled' }, 400, 'Invalid body: send card or outcome (one of them), or three_d_secure for a payment waiting on its 3-D Secure page'],
    ['neither', {}, 400, 'Invalid body: send card or outcome (one of them), or three_d_secure for a payment waiting on its 3-D Secure page'],
    ['three_d_secure alone, nothing waiting', { three_d_secure: 'approve' }, 400, 'Invalid body: the payment is not waiting for 3-D Secure; send card or outcome'],
    ['Luhn-invalid card', { card: '4111111111111112' }, 400, 'Invalid body field card: This card number is not valid.'],
    ['empty card', { card: '' }, 400, 'Invalid body field card: Enter the card number.'],
    ['card as a number', { card: 4111111111111111 }, 400, 'Invalid body field card: must be string'],
    ['past expiry', { card: '4111111111111111', expiry: '01/20' }, 400, 'Invalid body field expiry: This card has expired.'],
    ['bad cvv', { card: '4111111111111111', cvv: '12' }, 400, 'Invalid body field cvv: The CVV is 3 or 4 digits.'],
    ['three_d_secure for another card', { card: '4111111111111111', three_d_secure: 'fail' }, 400, 'Invalid body field three_d_secure: only the 3-D Secure test card (4000000000003220) asks for it'],
    ['unknown field', { card: '4111111111111111', amount: 5 }, 400, 'Invalid body: unknown field amount'],
    ['unknown outcome', { outcome: 'paid' }, 400, 'Invalid body field outcome: must be one of cancelled, expired'],
    ['unknown three_d_secure', { card: '4000000000003220', three_d_secure: 'maybe' }, 400, 'Invalid body field three_d_secure: must be one of approve, fail'],
  ]
  for (const [name, body, status, description] of cases) {
    t.same(await complete(app, paymentId, body), { status, json: failure(status, description) }, name)
  }
  t.equal((await verify(app, { order_id: orderId })).json.result.payment_status, 'PENDING', 'no refusal changed the payment')
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200, 'after all that, still payable')

  for (const id of ['ZZZZZZZZZZZZZZZZZZZZZZ', paymentId.toLowerCase(), 'short']) {
    t.same(await complete(app, id, { outcome: 'cancelled' }), { status: 404, json: failure(404, `No payment has paymentID ${id}`) }, `unknown ${id}`)
  }
  t.equal((await complete(app, paymentId, { card: '4000000000000002' })).status, 200)
  for (const body of [{ outcome: 'cancelled' }, { card: '4111111111111111' }, { outcome: 'expired' }]) {
    t.same(await complete(app, paymentId, body), { status: 409, json: failure(409, 'The payment is already finished (FAILURE): it cannot be completed again') }, `again: ${JSON.stringify(body)}`)
  }
  const ok = await checkout(app)
  await pay(app, ok.paymentId, card('4111111111111111'))
  t.same(await complete(app, ok.paymentId, { outcome: 'cancelled' }), { status: 409, json: failure(409, 'The payment is already finished (SUCCESS): it cannot be completed again') }, 'paid in the browser first')
})

t.test('a payment finished on the page survives a restart (file database)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fatora-pages-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const file = join(dir, 'mock.db')

  const first = (await buildWithDb(t, { SUCCESS_PAGE_MS: 0 }, fixturesDb(file))).app
  const c = await checkout(first, { save_token: true, note: 'kept' })
  const pending = await checkout(first)
  const res = await pay(first, c.paymentId, card('4111111111111111'))
  const before = await verify(first, { order_id: c.orderId })
  t.equal(before.json.result.payment_status, 'SUCCESS')
  await first.close()

  const second = (await buildWithDb(t, { SUCCESS_PAGE_MS: 0 }, fixturesDb(file))).app
  t.same(await verify(second, { order_id: c.orderId }), before, 'verify by order_id answers the same')
  t.same(await verify(second, { transaction_id: before.json.result.transaction_id }), before, 'and by transaction_id')
  t.equal((await second.inject({ url: `/pay/return?paymentID=${c.paymentId}` })).headers.location, res.headers.location, 'the same redirect, card_token included')
  const shown = (await page(second, PAGE, c.paymentId)).body
  t.match(shown, `<h1 id="result-title" class="ok">Payment successful</h1>
<p>This payment is finished: it cannot be paid again.</p>`, 'the page shows the result after the restart')
  t.match(shown, `<dt>Note</dt><dd><bdi>kept</bdi></dd><dt>Status</dt><dd><strong>Paid</strong></dd><dt>Transaction</dt><dd><code>${before.json.result.transaction_id as string}</code></dd><dt>Authorisation code</dt><dd><code>${before.json.result.auth_code as string}</code></dd>`)

  // A payment left PENDING is still payable after the restart.
  t.equal((await page(second, PAGE, pending.paymentId)).statusCode, 200)
  t.match((await pay(second, pending.paymentId, card('4000000000000002'))).headers.location, `${FAILURE_URL}?transaction_id=`)
})
