// Saved cards (CONTRACT §6.6): which checkouts issue a card_token and where it travels (redirect
// §6.3, verify §6.4, webhook §6.7, /__admin/tokens); collect-payment and deactivate-token with
// full bodies, every refusal and tenancy (§6.1); expiry on the mock's clock (six calendar months,
// or the card's own expiry if sooner); tokens with + / \ | in bodies, URLs and the journal (§5);
// Fatora's collect-payment sample as pasted; reset (§5).
import t, { type Test } from 'tap'
import { execFile, spawnSync } from 'node:child_process'
import { connect } from 'node:net'
import { promisify } from 'node:util'
import { build, DEMO_KEY, failure, INACTIVE_KEY, listen, SECOND_KEY } from '../../helper.js'
import { card, checkout, page, pay, paymentResult, SUCCESS_URL, submit, verify } from './pages-helper.js'
import {
  collect, complete, deactivate, get, issue, percentEncoded, post, postRaw, receiver, setCard, setClock, tokens, waitFor,
} from './saved-cards-helper.js'

const APPROVED = 'Transaction Successful - Approved'
const FIXTURE_TOKEN = '123456789'
const SECOND_TOKEN = 'SECOND+MERCHANT/SAVED\\CARD|2048'

/** The checkout client of the tests that follow one token through the API. */
const HOLDER = { name: 'Saved Card Holder', email: 'saved.holder@example.com', phone: '+974 5555 0101' }
/** A client whose card the /__admin tools saved (a subscription test's set-up). */
const SUBSCRIBER = { name: 'Subscriber', email: 'subscriber@example.com', phone: '+974 3333 4444' }

/**
 * A card token as /__admin/tokens shows it (CONTRACT §6.6): every key, with the literal values of
 * an active merchant-1 Visa 1111 token saved by /__admin/tokens and never used; `fields` name the
 * token, its client and dates, and replace any other value.
 */
const tokenView = ({ card_token: cardToken, client, created_at: createdAt, expires_at: expiresAt, ...fields }: { card_token: unknown, client: unknown, created_at: string, expires_at: string } & Record<string, unknown>): object => ({
  card_token: cardToken,
  merchant_id: 1,
  client,
  status: 'active',
  currency: 'QAR',
  card_type: 'VISA',
  last_4_digits: '1111',
  card_expiry: '12/32',
  charge_response_code: '000',
  payment_id: null,
  created_at: createdAt,
  expires_at: expiresAt,
  deactivated_at: null,
  last_used_at: null,
  ...fields,
})

/** CONTRACT §6.6 Decision: 44 characters, each of + / \ | among them (Fatora warns of them). */
function checkToken (t: Test, token: unknown, name = 'card_token'): string {
  t.type(token, 'string', `${name}: a string`)
  const text = String(token)
  t.equal(text.length, 44, `${name}: 44 characters`)
  t.match(text, /^[A-Za-z0-9+/\\|]{44}$/, `${name}: letters, digits and + / \\ | only`)
  for (const c of ['+', '/', '\\', '|']) t.ok(text.includes(c), `${name} holds ${c}`)
  return text
}

/** verify's full result (CONTRACT §6.4) for a checkout by the pages helper with HOLDER as client, paid with 4111 1111 1111 1111. */
const checkoutResult = (orderId: string, fields: Record<string, unknown>): object =>
  paymentResult({ order_id: orderId, client: { ...HOLDER, note: null }, ...fields })

/** The redirect's query (CONTRACT §6.3) for a successful payment that issued `token`. */
const successQuery = (transactionId: string, orderId: string, token: string): string =>
  `transaction_id=${transactionId}&order_id=${orderId}&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved&card_token=${percentEncoded(token)}`

/** A body whose schema failure names `field` (CONTRACT §6.1), as the API answers it. */
const bad = (description: string): { status: number, json: object } => ({ status: 400, json: failure(400, description) })

t.test('save_token + 4111 1111 1111 1111 via /__admin/…/complete: the token in the redirect, verify, the webhook and /__admin/tokens', async (t) => {
  const hook = await receiver(t)
  const app = await build(t, { WEBHOOK_URL: `${hook.url}/hook?shop=1`, WEBHOOK_RETRY_MS: '20,40,80' })
  // A stopped clock (CONTRACT §6.6 Decision) makes created_at, expires_at and payment_date literal.
  await setClock(app, '2027-03-10T08:00:00.000Z')
  const c = await checkout(app, { save_token: true, client: HOLDER, success_url: 'https://merchant.example/success?cart=7' })
  const res = await complete(app, c.paymentId, { card: '4111111111111111', expiry: '11/29' })
  t.equal(res.status, 200)
  const token = checkToken(t, res.json.payment.card_token)
  const transactionId = res.json.payment.transaction_id as string
  t.match(transactionId, /^[0-9]{12}$/)
  t.match(res.json.payment.auth_code, /^[A-Z0-9]{6}$/)

  // CONTRACT §6.3: appended after the merchant's own query, every value percent-encoded.
  const query = successQuery(transactionId, c.orderId, token)
  t.equal(res.json.redirect_url, `https://merchant.example/success?cart=7&${query}`)
  const params = new URL(res.json.redirect_url as string).searchParams
  t.equal(params.get('card_token'), token, 'URLSearchParams reads the token back exactly (no + turned into a space)')
  t.equal(params.get('cart'), '7', "the merchant's own parameter kept")

  const expected = {
    status: 'SUCCESS',
    result: checkoutResult(c.orderId, { transaction_id: transactionId, payment_date: '2027-03-10T08:00:00Z', auth_code: res.json.payment.auth_code, card_token: token }),
  }
  t.same(await verify(app, { transaction_id: transactionId }), { status: 200, json: expected }, 'verify by transaction_id carries the token')
  t.same(await verify(app, { order_id: c.orderId }), { status: 200, json: expected }, 'and by order_id')

  // CONTRACT §6.7: the redirect's parameters as the webhook's query, verify's answer as its body.
  await waitFor('the webhook', () => hook.received.length === 1)
  const got = hook.received[0]
  t.equal(got?.method, 'POST')
  t.equal(got?.url, `/hook?shop=1&${query}`)
  t.equal(new URL(`http://x${got?.url ?? ''}`).searchParams.get('card_token'), token, "the webhook's query decodes to the token")
  t.same(JSON.parse(got?.body ?? ''), expected, "the webhook's body is verify's answer")

  t.same(await tokens(app, '?client_email=saved.holder%40example.com'), [tokenView({
    card_token: token,
    client: HOLDER,
    card_expiry: '11/29',
    payment_id: c.paymentId,
    created_at: '2027-03-10T08:00:00.000Z',
    expires_at: '2027-09-10T08:00:00.000Z',
  })], '/__admin/tokens: active, issued by this checkout, six months')
  const listed = (await get(app, `/__admin/payments?order_id=${c.orderId}`)).json.payments
  t.same(listed.map((p: any) => [p.payment_id, p.save_token, p.card_token]), [[c.paymentId, true, token]], '/__admin/payments shows it too')
})

t.test('save_token through the page form, as a browser: /Pay/Success, /pay/return, then success_url with the token', async (t) => {
  const app = await build(t)
  await setClock(app, '2027-03-10T08:00:00.000Z')
  const c = await checkout(app, { save_token: true, client: HOLDER })
  const posted = await pay(app, c.paymentId, card('4111 1111 1111 1111', { expiry: '10/29' }))
  t.equal(posted.statusCode, 303)
  t.equal(posted.headers.location, `/Pay/Success?paymentID=${c.paymentId}`, 'CONTRACT §6.3: the interstitial first')
  const interstitial = await page(app, '/Pay/Success', c.paymentId)
  t.equal(interstitial.statusCode, 200)
  t.match(interstitial.body, `<meta http-equiv="refresh" content="2;url=/pay/return?paymentID=${c.paymentId}">`)
  const back = await page(app, '/pay/return', c.paymentId)
  t.equal(back.statusCode, 303)

  const v = (await verify(app, { order_id: c.orderId })).json.result
  const token = checkToken(t, v.card_token)
  t.equal(back.headers.location, `${SUCCESS_URL}?${successQuery(v.transaction_id as string, c.orderId, token)}`)
  t.equal(new URL(String(back.headers.location)).searchParams.get('card_token'), token, 'the Location decodes back to the token')
  t.same(v, checkoutResult(c.orderId, { transaction_id: v.transaction_id, payment_date: '2027-03-10T08:00:00Z', auth_code: v.auth_code, card_token: token }))
  t.same(await tokens(app, '?client_email=saved.holder%40example.com'), [tokenView({
    card_token: token,
    client: HOLDER,
    card_expiry: '10/29',
    payment_id: c.paymentId,
    created_at: '2027-03-10T08:00:00.000Z',
    expires_at: '2027-09-10T08:00:00.000Z',
  })], "the card form's expiry is the token's card_expiry")

  // SUCCESS_PAGE_MS 0 skips the interstitial: the form's 303 goes to success_url with the token.
  const direct = await build(t, { SUCCESS_PAGE_MS: 0 })
  const d = await checkout(direct, { save_token: true, client: HOLDER })
  const res = await pay(direct, d.paymentId, card('4111111111111111'))
  const dv = (await verify(direct, { order_id: d.orderId })).json.result
  const dToken = checkToken(t, dv.card_token)
  t.equal(res.headers.location, `${SUCCESS_URL}?${successQuery(dv.transaction_id as string, d.orderId, dToken)}`)

  // The 3-D Secure card on the bank page: Approve issues a token, Fail none.
  for (const [action, issued] of [['approve', true], ['fail', false]] as const) {
    const s = await checkout(direct, { save_token: true, client: HOLDER })
    t.equal((await pay(direct, s.paymentId, card('4000000000003220'))).headers.location, `/pay/3ds?paymentID=${s.paymentId}`, `${action}: the bank page`)
    const done = await submit(direct, '/pay/3ds', s.paymentId, { action })
    const sv = (await verify(direct, { order_id: s.orderId })).json.result
    if (issued) {
      const sToken = checkToken(t, sv.card_token, '3-D Secure approved')
      t.same([sv.payment_status, sv.card_type, sv.last_4_digits], ['SUCCESS', 'VISA', '3220'])
      t.equal(done.headers.location, `${SUCCESS_URL}?${successQuery(sv.transaction_id as string, s.orderId, sToken)}`)
    } else {
      t.same([sv.payment_status, sv.description, sv.card_token], ['FAILURE', 'Authentication failed', null], '3-D Secure failed: no token')
      t.notMatch(String(done.headers.location), 'card_token', 'and none in the redirect')
    }
  }
  t.equal((await tokens(direct, '?client_email=saved.holder%40example.com')).length, 2, 'two tokens: the 4111 card and the approved 3-D Secure card')
})

t.test('which checkouts issue a token: a successful credit card with save_token true, nothing else', async (t) => {
  const app = await build(t)
  await setClock(app, '2027-05-05T05:05:05.005Z')
  // [name, save_token, complete body, payment_status, card_type, last 4, a token?]
  const cases: Array<[string, boolean | null | undefined, object, 'SUCCESS' | 'FAILURE', string | null, string | null, boolean]> = [
    ['Visa credit', true, { card: '4111111111111111' }, 'SUCCESS', 'VISA', '1111', true],
    ['Mastercard credit', true, { card: '5555555555554444' }, 'SUCCESS', 'MASTERCARD', '4444', true],
    ['debit card (Fatora: only credit cards tokenise)', true, { card: '4000056655665556' }, 'SUCCESS', 'VISA', '5556', false],
    ['3-D Secure approved', true, { card: '4000000000003220', three_d_secure: 'approve' }, 'SUCCESS', 'VISA', '3220', true],
    ['3-D Secure failed', true, { card: '4000000000003220', three_d_secure: 'fail' }, 'FAILURE', 'VISA', '3220', false],
    ['declined: do not honour', true, { card: '4000000000000002' }, 'FAILURE', 'VISA', '0002', false],
    ['declined: insufficient funds', true, { card: '4000000000009995' }, 'FAILURE', 'VISA', '9995', false],
    ['declined: expired card', true, { card: '4000000000000069' }, 'FAILURE', 'VISA', '0069', false],
    ['cancelled', true, { outcome: 'cancelled' }, 'FAILURE', null, null, false],
    ['page expired', true, { outcome: 'expired' }, 'FAILURE', null, null, false],
    ['save_token false', false, { card: '4111111111111111' }, 'SUCCESS', 'VISA', '1111', false],
    ['save_token null', null, { card: '4111111111111111' }, 'SUCCESS', 'VISA', '1111', false],
    ['save_token not sent', undefined, { card: '4111111111111111' }, 'SUCCESS', 'VISA', '1111', false],
  ]
  const client = { name: 'Which Cards', email: 'which.cards@example.com', phone: null }
  const issued: Array<{ token: string, paymentId: string, cardType: string, last4: string }> = []
  for (const [name, saveToken, body, status, cardType, last4, tokenised] of cases) {
    const c = await checkout(app, { save_token: saveToken, client })
    const res = await complete(app, c.paymentId, body)
    t.equal(res.status, 200, name)
    const v = (await verify(app, { order_id: c.orderId })).json.result
    t.same([v.payment_status, v.card_type, v.last_4_digits], [status, cardType, last4], `${name}: the outcome`)
    t.equal(res.json.redirect_url.includes('card_token='), tokenised, `${name}: card_token in the redirect only when issued`)
    if (tokenised) {
      const token = checkToken(t, v.card_token, name)
      t.equal(res.json.payment.card_token, token, `${name}: the same token in /__admin/payments`)
      issued.unshift({ token, paymentId: c.paymentId, cardType: cardType ?? '', last4: last4 ?? '' })
    } else {
      t.equal(v.card_token, null, `${name}: verify's card_token is null`)
      t.equal(res.json.payment.card_token, null, `${name}: none stored`)
    }
  }
  // Newest first; the 3-D Secure card charges later without its step (merchant-initiated): 000.
  t.same(await tokens(app, '?client_email=which.cards%40example.com'), issued.map((i) => tokenView({
    card_token: i.token,
    client,
    card_type: i.cardType,
    last_4_digits: i.last4,
    payment_id: i.paymentId,
    created_at: '2027-05-05T05:05:05.005Z',
    expires_at: '2027-11-05T05:05:05.005Z',
  })), 'three tokens, each from its own checkout')
  t.same(issued.map((i) => i.cardType + i.last4), ['VISA3220', 'MASTERCARD4444', 'VISA1111'])
  t.equal(new Set(issued.map((i) => i.token)).size, 3, 'each token is new')
})

t.test('collect-payment: the full body, a new transaction, verify answers the same, webhook and push', async (t) => {
  const hook = await receiver(t)
  const app = await build(t, { WEBHOOK_URL: `${hook.url}/hook`, WEBHOOK_RETRY_MS: '20,40,80' })
  await setClock(app, '2027-02-10T09:30:15.250Z')
  const saved = await issue(app, { client: SUBSCRIBER, card: '5555555555554444', expiry: '08/29', currency: 'USD' })
  const token = checkToken(t, saved.card_token)
  t.same(saved, tokenView({
    card_token: token,
    client: SUBSCRIBER,
    currency: 'USD',
    card_type: 'MASTERCARD',
    last_4_digits: '4444',
    card_expiry: '08/29',
    created_at: '2027-02-10T09:30:15.250Z',
    expires_at: '2027-08-10T09:30:15.250Z',
  }), 'POST /__admin/tokens: 201 with the token')

  await setClock(app, '2027-03-10T10:00:00.500Z')
  const res = await collect(app, { card_token: token, order_id: 'renewal-2027-03', amount: 49.99, note: 'March renewal', fcm_token: 'fcm-subscriber-1' })
  t.equal(res.status, 200)
  const transactionId = res.json.result.transaction_id as string
  t.match(transactionId, /^[0-9]{12}$/, 'a new 12-digit transaction_id')
  t.match(res.json.result.auth_code, /^[A-Z0-9]{6}$/)
  // CONTRACT §6.6: answered like verify; the client, the card and the default currency are the token's.
  const expected = {
    status: 'SUCCESS',
    result: paymentResult({
      order_id: 'renewal-2027-03',
      transaction_id: transactionId,
      amount: 49.99,
      currency: 'USD',
      client: { ...SUBSCRIBER, note: null },
      note: 'March renewal',
      payment_date: '2027-03-10T10:00:00Z',
      auth_code: res.json.result.auth_code,
      card_token: token,
      card_type: 'MASTERCARD',
      last_4_digits: '4444',
      type: 'collect-payment',
    }),
  }
  t.same(res.json, expected, 'collect-payment: the full body')
  t.same(await verify(app, { transaction_id: transactionId }), { status: 200, json: expected }, 'verify by transaction_id answers the same')
  t.same(await verify(app, { order_id: 'renewal-2027-03' }), { status: 200, json: expected }, 'by order_id')
  t.same(await verify(app, { transaction_id: transactionId, order_id: 'renewal-2027-03' }), { status: 200, json: expected }, 'by both')

  // CONTRACT §6.7: a finished collect-payment notifies like a checkout, the token in the query.
  await waitFor('the webhook', () => hook.received.length === 1)
  t.equal(hook.received[0]?.url, `/hook?transaction_id=${transactionId}&order_id=renewal-2027-03&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved&card_token=${percentEncoded(token)}`)
  t.same(JSON.parse(hook.received[0]?.body ?? ''), expected, "the webhook's body is verify's answer")
  const pushes = (await get(app, '/__admin/push')).json.pushes
  t.match(pushes[0]?.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.same(pushes, [{
    id: 1,
    time: pushes[0]?.time,
    fcm_token: 'fcm-subscriber-1',
    merchant_id: 1,
    payment_id: pushes[0]?.payment_id,
    notification: { title: 'Payment successful', body: '49.99 USD for order renewal-2027-03: Transaction Successful - Approved' },
    data: { transaction_id: transactionId, order_id: 'renewal-2027-03', mode: 'test', response_code: '000', description: APPROVED, card_token: token },
  }], 'fcm_token: the push the app would get (CONTRACT §6.7)')
  const stored = (await get(app, '/__admin/payments?order_id=renewal-2027-03')).json.payments
  t.same(stored.map((p: any) => [p.payment_id, p.type, p.status, p.save_token, p.card_token, p.fcm_token]), [[pushes[0]?.payment_id, 'collect-payment', 'SUCCESS', false, token, 'fcm-subscriber-1']])

  t.same((await tokens(app, '?client_email=subscriber%40example.com')).map((x) => [x.status, x.last_used_at]), [['active', '2027-03-10T10:00:00.500Z']], 'last_used_at: the collect')

  // Again, in another currency: a new transaction each time; currency null means the token's.
  const again = await collect(app, { card_token: token, order_id: 'renewal-2027-03-extra', amount: 0.001, currency: 'EUR' })
  t.same([again.status, again.json.result.currency, again.json.result.amount, again.json.result.note], [200, 'EUR', 0.001, null])
  t.not(again.json.result.transaction_id, transactionId, 'a new transaction_id')
  const defaulted = await collect(app, { card_token: token, order_id: 'renewal-null-currency', amount: 123.100, currency: null, note: null, fcm_token: null })
  t.same([defaulted.status, defaulted.json.result.currency, defaulted.json.result.amount], [200, 'USD', 123.1])
  await waitFor('three webhooks', () => hook.received.length === 3)

  // A token from a checkout: the checkout's client, card and currency.
  const c = await checkout(app, { save_token: true, client: HOLDER, currency: 'QAR' })
  const checkoutToken = checkToken(t, (await complete(app, c.paymentId, { card: '4111111111111111' })).json.payment.card_token)
  const fromCheckout = await collect(app, { card_token: checkoutToken, order_id: 'after-checkout', amount: 5 })
  t.same(fromCheckout, {
    status: 200,
    json: {
      status: 'SUCCESS',
      result: paymentResult({
        order_id: 'after-checkout',
        transaction_id: fromCheckout.json.result.transaction_id,
        amount: 5,
        client: { ...HOLDER, note: null },
        payment_date: '2027-03-10T10:00:00Z',
        auth_code: fromCheckout.json.result.auth_code,
        card_token: checkoutToken,
        type: 'collect-payment',
      }),
    },
  })
  const checkoutTx = (await verify(app, { order_id: c.orderId })).json.result.transaction_id
  t.not(fromCheckout.json.result.transaction_id, checkoutTx, "not the checkout's transaction_id")
})

t.test('collect-payment: the card behind the token decides — a declining card answers 200 FAILURE', async (t) => {
  const hook = await receiver(t)
  const app = await build(t, { WEBHOOK_URL: hook.url, WEBHOOK_RETRY_MS: '20,40,80' })
  await setClock(app, '2027-02-10T09:30:15.250Z')
  const saved = await issue(app, { client: SUBSCRIBER })
  const token = checkToken(t, saved.card_token)

  const changed = await setCard(app, { card_token: token, card: '4000000000009995' })
  t.same(changed, {
    status: 200,
    json: tokenView({
      card_token: token,
      client: SUBSCRIBER,
      last_4_digits: '9995',
      charge_response_code: '051',
      created_at: '2027-02-10T09:30:15.250Z',
      expires_at: '2027-08-10T09:30:15.250Z',
    }),
  }, '/__admin/tokens/card: the new card, the same token and expiry')

  const res = await collect(app, { card_token: token, order_id: 'declined-1', amount: 20 })
  t.match(res.json.result?.transaction_id, /^[0-9]{12}$/)
  const expected = {
    status: 'SUCCESS',
    result: paymentResult({
      order_id: 'declined-1',
      transaction_id: res.json.result?.transaction_id,
      amount: 20,
      client: { ...SUBSCRIBER, note: null },
      payment_date: '2027-02-10T09:30:15Z',
      payment_status: 'FAILURE',
      description: 'Transaction Declined - Insufficient funds',
      card_token: token,
      last_4_digits: '9995',
      type: 'collect-payment',
    }),
  }
  t.same(res, { status: 200, json: expected }, 'CONTRACT §6.6: 200, payment_status FAILURE, no auth_code')
  t.same(await verify(app, { transaction_id: res.json.result.transaction_id }), { status: 200, json: expected }, 'verify answers the same')
  await waitFor('the webhook', () => hook.received.length === 1)
  t.equal(hook.received[0]?.url, `/?transaction_id=${res.json.result.transaction_id as string}&order_id=declined-1&mode=test&response_code=051&description=Transaction%20Declined%20-%20Insufficient%20funds&card_token=${percentEncoded(token)}`)
  t.same(JSON.parse(hook.received[0]?.body ?? ''), expected)

  // The other declining cards, then an approving one again (CONTRACT §6.3's table).
  const cards: Array<[string, string, string, string | null, string, string]> = [
    ['4000000000000002', '005', 'FAILURE', 'Transaction Declined - Do not honour', 'VISA', '0002'],
    ['4000000000000069', '054', 'FAILURE', 'Transaction Declined - Expired card', 'VISA', '0069'],
    ['5555555555554444', '000', 'SUCCESS', APPROVED, 'MASTERCARD', '4444'],
  ]
  for (const [number, code, status, description, cardType, last4] of cards) {
    t.equal((await setCard(app, { card_token: token, card: number })).json.charge_response_code, code, `${number}: charge_response_code`)
    const r = (await collect(app, { card_token: token, order_id: `card-${number}`, amount: 1 })).json.result
    t.same([r.payment_status, r.description, r.card_type, r.last_4_digits, r.auth_code === null], [status, description, cardType, last4, status === 'FAILURE'], number)
  }
  t.same((await tokens(app, '?client_email=subscriber%40example.com')).map((x) => [x.status, x.last_used_at]), [['active', '2027-02-10T09:30:15.250Z']], 'a decline leaves the token active')

  // The admin tool's own refusals.
  const cases: Array<[string, object, number, string]> = [
    ['unknown token', { card_token: 'no-such-token', card: '4000000000009995' }, 404, 'No card token matches card_token'],
    ['neither card nor expiry', { card_token: token }, 400, 'Invalid body: send card, expiry or both'],
    ['a Luhn-invalid number', { card_token: token, card: '4111111111111112' }, 400, 'Invalid body field card: must be a Luhn-valid card number of 12 to 19 digits'],
    ['a debit card', { card_token: token, card: '4000056655665556' }, 400, 'Invalid body field card: a debit card is never saved (only credit cards issue a card_token)'],
    ['an expiry already past', { card_token: token, expiry: '01/27' }, 400, 'Invalid body field expiry: must be MM/YY and not in the past'],
    ['month 13', { card_token: token, expiry: '13/30' }, 400, 'Invalid body field expiry: must be MM/YY and not in the past'],
  ]
  for (const [name, body, status, description] of cases) {
    t.same(await setCard(app, body), { status, json: failure(status, description) }, name)
  }
  t.equal((await tokens(app, '?client_email=subscriber%40example.com'))[0]?.last_4_digits, '4444', 'no refusal changed the card')
})

t.test("tenancy (CONTRACT §6.1): another merchant's token is 404 like an unknown one, both ways, for collect and deactivate", async (t) => {
  const app = await build(t)
  const notFound = { status: 404, json: failure(404, 'The requested card token was not found') }
  const cases: Array<[string, string, string]> = [
    ["merchant 2's token with the demo key", SECOND_TOKEN, DEMO_KEY],
    ["merchant 1's token (Fatora's sample) with merchant 2's key", FIXTURE_TOKEN, SECOND_KEY],
    ['an unknown token', 'no-such-token', DEMO_KEY],
    ['an unknown token, merchant 2', 'no-such-token', SECOND_KEY],
    // Compared exactly: no trimming, no case folding, no decoding.
    ['the token with a trailing space', `${FIXTURE_TOKEN} `, DEMO_KEY],
    ["merchant 2's token in lower case, merchant 2", SECOND_TOKEN.toLowerCase(), SECOND_KEY],
    ["merchant 2's token URL-encoded, merchant 2", percentEncoded(SECOND_TOKEN), SECOND_KEY],
    ["merchant 2's token with + read as a space, merchant 2", SECOND_TOKEN.replace('+', ' '), SECOND_KEY],
  ]
  for (const [name, token, key] of cases) {
    t.same(await collect(app, { card_token: token, order_id: 'tenancy', amount: 10 }, key), notFound, `collect: ${name}`)
    t.same(await deactivate(app, token, key), notFound, `deactivate: ${name}`)
  }
  // Nothing was charged or deactivated by those.
  t.same((await tokens(app)).map((x) => [x.card_token, x.status, x.last_used_at]), [[SECOND_TOKEN, 'active', null], [FIXTURE_TOKEN, 'active', null]])
  t.same((await get(app, '/__admin/payments?order_id=tenancy')).json.payments, [])

  // Each merchant charges its own.
  const own = await collect(app, { card_token: SECOND_TOKEN, order_id: 'tenancy-own', amount: 10 }, SECOND_KEY)
  t.same([own.status, own.json.result.client, own.json.result.card_type, own.json.result.last_4_digits, own.json.result.card_token],
    [200, { name: 'Second Merchant Client', email: 'second.client@example.com', phone: '+974 4000 2048', note: null }, 'MASTERCARD', '4444', SECOND_TOKEN])
  t.same(await verify(app, { transaction_id: own.json.result.transaction_id }), { status: 404, json: failure(404, 'The requested payment was not found') }, "merchant 2's collect is not the demo key's payment")
  // Deactivated by its owner, it is still a 404 (not a 422) to anyone else: no existence leak.
  t.same(await deactivate(app, SECOND_TOKEN, SECOND_KEY), { status: 200, json: { status: 'SUCCESS', result: { card_token: SECOND_TOKEN, token_status: 'inactive' } } })
  t.same(await collect(app, { card_token: SECOND_TOKEN, order_id: 'tenancy', amount: 10 }, DEMO_KEY), notFound, 'collect: inactive and foreign')
  t.same(await deactivate(app, SECOND_TOKEN, DEMO_KEY), notFound, 'deactivate: inactive and foreign')
  t.same(await collect(app, { card_token: SECOND_TOKEN, order_id: 'tenancy', amount: 10 }, SECOND_KEY), { status: 422, json: failure(422, 'Card token is deactivated') }, 'its owner hears why')
})

t.test('deactivate-token: 200, then 422 already deactivated; collect refuses it; /__admin/tokens shows when', async (t) => {
  const app = await build(t)
  await setClock(app, '2027-02-10T09:30:15.250Z')
  const token = checkToken(t, (await issue(app, { client: SUBSCRIBER })).card_token)
  t.equal((await collect(app, { card_token: token, order_id: 'before', amount: 10 })).status, 200, 'active: collect works')

  await setClock(app, '2027-02-11T12:00:00.000Z')
  t.same(await deactivate(app, token), { status: 200, json: { status: 'SUCCESS', result: { card_token: token, token_status: 'inactive' } } }, 'CONTRACT §6.6: 200')
  t.same(await deactivate(app, token), { status: 422, json: failure(422, 'Card token is already deactivated') }, 'a second time: 422')
  t.same(await collect(app, { card_token: token, order_id: 'after', amount: 10 }), { status: 422, json: failure(422, 'Card token is deactivated') }, 'collect: 422')
  t.same(await get(app, '/__admin/payments?order_id=after'), { status: 200, json: { payments: [] } }, 'nothing charged')
  t.same(await tokens(app, '?status=inactive'), [tokenView({
    card_token: token,
    client: SUBSCRIBER,
    status: 'inactive',
    created_at: '2027-02-10T09:30:15.250Z',
    expires_at: '2027-08-10T09:30:15.250Z',
    deactivated_at: '2027-02-11T12:00:00.000Z',
    last_used_at: '2027-02-10T09:30:15.250Z',
  })])
  // Deactivated stays deactivated after its expiry too: that is what collect and deactivate say.
  await setClock(app, '2027-09-01T00:00:00.000Z')
  t.same(await collect(app, { card_token: token, order_id: 'much-later', amount: 10 }), { status: 422, json: failure(422, 'Card token is deactivated') })
  t.same(await deactivate(app, token), { status: 422, json: failure(422, 'Card token is already deactivated') })
  t.same((await tokens(app, '?client_email=subscriber%40example.com')).map((x) => x.status), ['inactive'])
})

t.test('expiry at exactly six months: active 1 ms before, expired at the instant (collect, deactivate, the list)', async (t) => {
  const app = await build(t)
  // Set before the checkout, so created_at is exactly this instant.
  await setClock(app, '2027-01-20T10:15:30.123Z')
  const c = await checkout(app, { save_token: true, client: HOLDER })
  const token = checkToken(t, (await complete(app, c.paymentId, { card: '4111111111111111' })).json.payment.card_token)
  const [listed] = await tokens(app, '?client_email=saved.holder%40example.com')
  t.same([listed.created_at, listed.expires_at, listed.card_expiry], ['2027-01-20T10:15:30.123Z', '2027-07-20T10:15:30.123Z', '12/32'])

  await setClock(app, '2027-07-20T10:15:30.122Z')
  t.same((await tokens(app, '?client_email=saved.holder%40example.com')).map((x) => x.status), ['active'], '1 ms before: active')
  const last = await collect(app, { card_token: token, order_id: 'last-ms', amount: 10 })
  t.same([last.status, last.json.result.payment_status, last.json.result.payment_date], [200, 'SUCCESS', '2027-07-20T10:15:30Z'], '1 ms before: collect works')

  await setClock(app, '2027-07-20T10:15:30.123Z')
  const expired = { status: 422, json: failure(422, 'Card token has expired') }
  t.same(await collect(app, { card_token: token, order_id: 'too-late', amount: 10 }), expired, 'at the instant: collect 422')
  t.same(await deactivate(app, token), expired, 'deactivate: 422 expired')
  t.same((await tokens(app, '?client_email=saved.holder%40example.com')).map((x) => [x.status, x.deactivated_at, x.last_used_at]), [['expired', null, '2027-07-20T10:15:30.122Z']])
  t.same(await get(app, '/__admin/payments?order_id=too-late'), { status: 200, json: { payments: [] } }, 'nothing charged')

  // The clock moved back: the same token is active again (expiry is the clock past expires_at, not stored).
  await setClock(app, '2027-07-20T10:15:30.000Z')
  t.equal((await collect(app, { card_token: token, order_id: 'back-in-time', amount: 10 })).status, 200)
})

t.test('six calendar months, a missing day clamped to the month end (2027-08-31 → 2028-02-29)', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, string]> = [
    ['2027-08-31T12:00:00Z', '2027-08-31T12:00:00.000Z', '2028-02-29T12:00:00.000Z'],
    ['2028-08-31T12:00:00Z', '2028-08-31T12:00:00.000Z', '2029-02-28T12:00:00.000Z'],
    ['2027-03-31T23:59:59.999Z', '2027-03-31T23:59:59.999Z', '2027-09-30T23:59:59.999Z'],
    ['2027-12-31T00:00:00Z', '2027-12-31T00:00:00.000Z', '2028-06-30T00:00:00.000Z'],
    ['2027-07-15T06:07:08.009Z', '2027-07-15T06:07:08.009Z', '2028-01-15T06:07:08.009Z'],
    // A time zone offset is read as the instant it names.
    ['2027-08-31T14:00:00+02:00', '2027-08-31T12:00:00.000Z', '2028-02-29T12:00:00.000Z'],
  ]
  const issued: string[] = []
  for (const [now, createdAt, expiresAt] of cases) {
    await setClock(app, now)
    const x = await issue(app, { client: { name: 'Month End', email: 'month.end@example.com' } })
    t.same([x.created_at, x.expires_at], [createdAt, expiresAt], `issued ${now}`)
    issued.push(x.card_token as string)
  }
  // The one issued through a checkout is clamped the same way.
  await setClock(app, '2027-08-31T12:00:00Z')
  const c = await checkout(app, { save_token: true, client: HOLDER })
  const token = checkToken(t, (await complete(app, c.paymentId, { card: '4111111111111111' })).json.payment.card_token)
  t.same((await tokens(app, '?client_email=saved.holder%40example.com')).map((x) => [x.created_at, x.expires_at]), [['2027-08-31T12:00:00.000Z', '2028-02-29T12:00:00.000Z']])

  await setClock(app, '2028-02-29T11:59:59.999Z')
  t.equal((await collect(app, { card_token: token, order_id: 'leap-day', amount: 10 })).status, 200, 'the leap day, 1 ms before: works')
  await setClock(app, '2028-02-29T12:00:00.000Z')
  t.same(await collect(app, { card_token: token, order_id: 'leap-day-late', amount: 10 }), { status: 422, json: failure(422, 'Card token has expired') })
  t.same(await collect(app, { card_token: issued[0], order_id: 'leap-day-late', amount: 10 }), { status: 422, json: failure(422, 'Card token has expired') }, 'the admin-issued one too')
})

t.test("the card's expiry comes first: card 03/27, issued 2027-01-15 → expires 2027-04-01T00:00:00.000Z", async (t) => {
  const app = await build(t)
  await setClock(app, '2027-01-15T09:00:00Z')
  const c = await checkout(app, { save_token: true, client: HOLDER })
  const fromCheckout = checkToken(t, (await complete(app, c.paymentId, { card: '4111111111111111', expiry: '03/27' })).json.payment.card_token)
  const fromAdmin = (await issue(app, { client: SUBSCRIBER, expiry: '03/27' })).card_token as string
  const viewOf = async (email: string): Promise<unknown[]> => (await tokens(app, `?client_email=${encodeURIComponent(email)}`)).map((x) => [x.card_expiry, x.created_at, x.expires_at, x.status])
  const listed = ['03/27', '2027-01-15T09:00:00.000Z', '2027-04-01T00:00:00.000Z']
  t.same(await viewOf(HOLDER.email), [[...listed, 'active']], 'a checkout: valid through the last day of March')
  t.same(await viewOf(SUBSCRIBER.email), [[...listed, 'active']], '/__admin/tokens: the same')

  await setClock(app, '2027-03-31T23:59:59.999Z')
  for (const token of [fromCheckout, fromAdmin]) {
    t.equal((await collect(app, { card_token: token, order_id: 'march-31', amount: 10 })).status, 200, 'the last millisecond of March: works')
  }
  await setClock(app, '2027-04-01T00:00:00.000Z')
  for (const token of [fromCheckout, fromAdmin]) {
    t.same(await collect(app, { card_token: token, order_id: 'april-1', amount: 10 }), { status: 422, json: failure(422, 'Card token has expired') }, 'April 1st: expired')
  }
  t.same(await viewOf(HOLDER.email), [[...listed, 'expired']])

  // Which comes first, for other expiries of a card saved on 2027-01-15T09:00:00Z.
  await setClock(app, '2027-01-15T09:00:00Z')
  const expiries: Array<[string, string]> = [
    ['01/27', '2027-02-01T00:00:00.000Z'],
    ['06/27', '2027-07-01T00:00:00.000Z'],
    ['07/27', '2027-07-15T09:00:00.000Z'],
    ['12/30', '2027-07-15T09:00:00.000Z'],
  ]
  for (const [expiry, expiresAt] of expiries) {
    t.equal((await issue(app, { client: { name: 'Expiry' }, expiry })).expires_at, expiresAt, `card ${expiry}`)
  }
  // Changing the card's expiry through /__admin moves the token's: earlier, then back.
  const moved = (await issue(app, { client: { name: 'Moved' } })).card_token as string
  t.same((await setCard(app, { card_token: moved, expiry: '02/27' })).json, tokenView({
    card_token: moved,
    client: { name: 'Moved', email: null, phone: null },
    card_expiry: '02/27',
    created_at: '2027-01-15T09:00:00.000Z',
    expires_at: '2027-03-01T00:00:00.000Z',
  }), 'expiry 02/27: the token ends with February')
  await setClock(app, '2027-03-01T00:00:00.000Z')
  t.same(await collect(app, { card_token: moved, order_id: 'moved', amount: 10 }), { status: 422, json: failure(422, 'Card token has expired') })
  await setClock(app, '2027-02-20T00:00:00.000Z')
  t.equal((await setCard(app, { card_token: moved, expiry: '12/30' })).json.expires_at, '2027-07-15T09:00:00.000Z', 'a renewed card: six months from issue again')
  await setClock(app, '2027-03-01T00:00:00.000Z')
  t.equal((await collect(app, { card_token: moved, order_id: 'moved', amount: 10 })).status, 200)
})

t.test('GET /__admin/tokens?status=active|inactive|expired filters, with merchant_id, client_email and limit', async (t) => {
  const app = await build(t)
  await setClock(app, '2027-01-15T09:00:00Z')
  const client = { name: 'Filters', email: 'filters@example.com' }
  const active = (await issue(app, { client })).card_token
  const inactive = (await issue(app, { client })).card_token
  const expired = (await issue(app, { client, expiry: '02/27' })).card_token
  const inactiveThenPastExpiry = (await issue(app, { client, expiry: '02/27' })).card_token
  t.equal((await deactivate(app, inactive)).status, 200)
  t.equal((await deactivate(app, inactiveThenPastExpiry)).status, 200)
  await setClock(app, '2027-03-01T00:00:00.000Z')

  const q = '?client_email=filters%40example.com'
  const cases: Array<[string, Array<[string, string]>]> = [
    ['', [[inactiveThenPastExpiry, 'inactive'], [expired, 'expired'], [inactive, 'inactive'], [active, 'active']]],
    ['&status=active', [[active, 'active']]],
    // Deactivated comes first: a deactivated token past its expiry is inactive, not expired.
    ['&status=inactive', [[inactiveThenPastExpiry, 'inactive'], [inactive, 'inactive']]],
    ['&status=expired', [[expired, 'expired']]],
    ['&merchant_id=1', [[inactiveThenPastExpiry, 'inactive'], [expired, 'expired'], [inactive, 'inactive'], [active, 'active']]],
    ['&merchant_id=2', []],
    ['&limit=2', [[inactiveThenPastExpiry, 'inactive'], [expired, 'expired']]],
    ['&status=inactive&limit=1', [[inactiveThenPastExpiry, 'inactive']]],
  ]
  for (const [extra, expected] of cases) {
    t.same((await tokens(app, q + extra)).map((x) => [x.card_token, x.status]), expected, `?client_email=…${extra}`)
  }
  t.same(await tokens(app, '?client_email=nobody%40example.com'), [])
  t.same((await tokens(app, '?merchant_id=2')).map((x) => x.card_token), [SECOND_TOKEN], "merchant_id=2: merchant 2's fixture token only")

  const refusals: Array<[string, string]> = [
    ['?status=bogus', 'Invalid query field status: must be one of active, inactive, expired'],
    ['?status=ACTIVE', 'Invalid query field status: must be one of active, inactive, expired'],
  ]
  for (const [query, description] of refusals) {
    t.same(await get(app, `/__admin/tokens${query}`), { status: 400, json: failure(400, description) }, query)
  }
  for (const query of ['?limit=0', '?limit=1001', '?merchant_id=0', '?merchant_id=x', '?unknown=1']) {
    const res = await get(app, `/__admin/tokens${query}`)
    t.equal(res.status, 400, `${query}: 400`)
    t.same(Object.keys(res.json), ['status', 'error'], `${query}: the envelope`)
  }
})

t.test('tokens with + / \\ | survive JSON bodies, escapes, query strings and the request journal (CONTRACT §5)', async (t) => {
  const app = await build(t)
  await setClock(app, '2027-02-10T09:30:15.250Z')
  const token = checkToken(t, (await issue(app, { client: { name: 'Ann', email: 'ann+cards@example.com' } })).card_token)

  // The same token as other JSON encoders write it: PHP's json_encode escapes / as \/; others use \u escapes.
  const json = JSON.stringify(token)
  const spellings: Array<[string, string]> = [
    ['plain JSON', json],
    ['\\/ for /', json.replace(/\//g, '\\/')],
    ['\\u escapes for + \\ |', json.replace(/\\\\/g, '\\u005C').replace(/\+/g, '\\u002b').replace(/\|/g, '\\u007c')],
  ]
  for (const [name, spelled] of spellings) {
    const res = await postRaw(app, '/v1/payments/collect-payment', `{"card_token":${spelled},"order_id":"spelled","amount":1}`)
    t.same([res.status, res.json.result?.card_token], [200, token], name)
  }

  // The query string: %2B is a +; a raw + is a space (application/x-www-form-urlencoded).
  t.same((await tokens(app, '?client_email=ann%2Bcards%40example.com')).map((x) => x.card_token), [token], 'client_email with %2B')
  t.same(await tokens(app, '?client_email=ann+cards@example.com'), [], 'a raw + reads as a space')

  // The journal keeps the request exactly, card_token included (a test card's token, not a credential);
  // fcm_token and api_key stay masked.
  t.equal((await app.inject({ method: 'DELETE', url: '/__admin/requests' })).statusCode, 204, 'the journal emptied')
  const body = { card_token: token, order_id: 'sub+2027/03\\renewal|1', amount: 10, note: 'plan a+b/c\\d|e', fcm_token: 'fcm+/\\|' }
  const res = await collect(app, body)
  t.same([res.status, res.json.result.order_id, res.json.result.note, res.json.result.card_token], [200, 'sub+2027/03\\renewal|1', 'plan a+b/c\\d|e', token], 'the response: exact')
  t.equal((await deactivate(app, token)).status, 200)
  const journal = (await get(app, '/__admin/requests')).json
  t.same(journal.requests.map((r: any) => ({ method: r.method, url: r.url, path: r.path, status: r.status, merchant_id: r.merchant_id, auth: r.auth, api_key: r.api_key, body: r.body, body_truncated: r.body_truncated })), [
    { method: 'POST', url: '/v1/payments/deactivate-token', path: '/v1/payments/deactivate-token', status: 200, merchant_id: 1, auth: 'api_key', api_key: '****91C9', body: { card_token: token }, body_truncated: false },
    {
      method: 'POST',
      url: '/v1/payments/collect-payment',
      path: '/v1/payments/collect-payment',
      status: 200,
      merchant_id: 1,
      auth: 'api_key',
      api_key: '****91C9',
      body: { card_token: token, order_id: 'sub+2027/03\\renewal|1', amount: 10, note: 'plan a+b/c\\d|e', fcm_token: '****' },
      body_truncated: false,
    },
  ], 'the journal: both requests, newest first; card_token, order_id and note exact, fcm_token masked')
  // The journal's JSON spells it with its \\ escaped, and it parses back to the exact token.
  const text = JSON.stringify(journal)
  t.ok(text.includes(JSON.stringify(token).slice(1, -1)), 'the token, JSON-escaped, in the journal')
  t.same(JSON.parse(text).requests.map((r: any) => r.body.card_token), [token, token], 'and parsed back exactly')
  // The webhook query is covered above; the order_id with + / \ | is encoded in the redirect too.
  const c = await checkout(app, { save_token: true, client: HOLDER, order_id: 'o+1/2\\3|4' })
  const done = await complete(app, c.paymentId, { card: '4111111111111111' })
  const params = new URL(done.json.redirect_url as string).searchParams
  t.same([params.get('order_id'), params.get('card_token')], ['o+1/2\\3|4', done.json.payment.card_token], 'order_id and card_token decode back exactly')
})

/** One HTTP/1.1 request written byte for byte on a socket; the raw answer. */
async function rawHttp (port: number, request: string): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(request) })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { text += chunk })
    socket.on('end', () => { resolve(text) })
    socket.on('error', reject)
  })
}

// Fatora's collect-payment sample, as its page reads: two spaces after "api_key:", its spacing.
const SAMPLE_BODY = '{\n    "card_token" : "123456789",\n    "order_id" : "123456789",\n    "amount" : 123.45\n}'

/** The answer to Fatora's sample: the fixtures' token 123456789 (merchant 1's Visa 1111). */
function sampleAnswer (t: Test, json: any): void {
  t.match(json.result?.transaction_id, /^[0-9]{12}$/)
  t.match(json.result?.auth_code, /^[A-Z0-9]{6}$/)
  t.match(json.result?.payment_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  t.same(json, {
    status: 'SUCCESS',
    result: paymentResult({
      order_id: '123456789',
      transaction_id: json.result?.transaction_id,
      amount: 123.45,
      payment_date: json.result?.payment_date,
      auth_code: json.result?.auth_code,
      card_token: '123456789',
      type: 'collect-payment',
    }),
  })
}

t.test("collect-payment: Fatora's sample, pasted over a real socket, answers 200 SUCCESS", async (t) => {
  const { port } = await listen(t)
  const request = `POST /v1/payments/collect-payment HTTP/1.1\r\nHost: localhost:${port}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n` +
    `api_key:  E4B73FEE-F492-4607-A38D-852B0EBC91C9\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(SAMPLE_BODY)}\r\nConnection: close\r\n\r\n${SAMPLE_BODY}`
  const raw = await rawHttp(port, request)
  t.match(raw, /^HTTP\/1\.1 200 OK\r\n/)
  t.match(raw, /\r\ncontent-type: application\/json; charset=utf-8\r\n/i)
  sampleAnswer(t, JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)))

  // The same with curl itself, as the docs' sample runs it (when curl is installed).
  const hasCurl = spawnSync('curl', ['--version']).status === 0
  await t.test('curl', { skip: hasCurl ? false : 'curl is not installed' }, async (t) => {
    const { stdout } = await promisify(execFile)('curl', [
      '-sS', '-i', '--location', '--request', 'POST', `http://127.0.0.1:${port}/v1/payments/collect-payment`,
      '--header', 'api_key:  E4B73FEE-F492-4607-A38D-852B0EBC91C9',
      '--header', 'Content-Type: application/json',
      '--data', SAMPLE_BODY,
    ])
    t.match(stdout, /^HTTP\/1\.1 200 OK\r\n/)
    sampleAnswer(t, JSON.parse(stdout.slice(stdout.indexOf('\r\n\r\n') + 4)))
  })
})

t.test('collect-payment and deactivate-token: bad bodies are a 400 naming the field; auth as CONTRACT §6.1', async (t) => {
  const app = await build(t)
  const AMOUNT = 'Invalid body field amount: must be a number greater than 0 with at most 3 decimals, up to 999999999.999'
  const CARD_TOKEN = 'Invalid body field card_token: must be a non-empty string of at most 200 characters'
  const ORDER_ID = 'Invalid body field order_id: must be a non-empty string of at most 100 characters'
  const CURRENCY = 'Invalid body field currency: must be one of QAR, USD, EUR, GBP, SAR, AED, KWD, BHD, OMR, JOD, EGP'
  const CURRENCY_TYPE = 'Invalid body field currency: must be a three-letter code (default: the currency of the payment that saved the card)'
  const NOTE = 'Invalid body field note: must be a string of at most 2000 characters'
  const FCM = 'Invalid body field fcm_token: must be a non-empty string of at most 4096 characters'
  const NOT_OBJECT = 'Invalid body: expected a JSON object'
  const GOOD = { card_token: FIXTURE_TOKEN, order_id: 'bad-body', amount: 10 }
  const cases: Array<[string, unknown, string]> = [
    ['an array', [], NOT_OBJECT],
    ['a string', 'card', NOT_OBJECT],
    ['null', null, NOT_OBJECT],
    ['card_token missing', { ...GOOD, card_token: undefined }, 'Invalid body: card_token is required'],
    ['card_token empty', { ...GOOD, card_token: '' }, CARD_TOKEN],
    ['card_token null', { ...GOOD, card_token: null }, CARD_TOKEN],
    ['card_token a number', { ...GOOD, card_token: 123456789 }, CARD_TOKEN],
    ['card_token an object', { ...GOOD, card_token: { token: FIXTURE_TOKEN } }, CARD_TOKEN],
    ['card_token 201 characters', { ...GOOD, card_token: 'x'.repeat(201) }, CARD_TOKEN],
    ['order_id missing', { ...GOOD, order_id: undefined }, 'Invalid body: order_id is required'],
    ['order_id empty', { ...GOOD, order_id: '' }, ORDER_ID],
    ['order_id null', { ...GOOD, order_id: null }, ORDER_ID],
    ['order_id a number', { ...GOOD, order_id: 123456789 }, ORDER_ID],
    ['order_id 101 characters', { ...GOOD, order_id: 'o'.repeat(101) }, ORDER_ID],
    ['amount missing', { ...GOOD, amount: undefined }, 'Invalid body: amount is required'],
    // 0.30000000000000004 on the wire: refused, never rounded silently (CONTRACT §6.1).
    ['amount 0.1 + 0.2', { ...GOOD, amount: 0.1 + 0.2 }, AMOUNT],
    ['amount 4 decimals', { ...GOOD, amount: 123.4567 }, AMOUNT],
    ['amount 4 decimals, tiny', { ...GOOD, amount: 0.0001 }, AMOUNT],
    ['amount 0', { ...GOOD, amount: 0 }, AMOUNT],
    ['amount negative', { ...GOOD, amount: -10 }, AMOUNT],
    ['amount too large', { ...GOOD, amount: 1000000000 }, AMOUNT],
    ['amount 1e-7', { ...GOOD, amount: 1e-7 }, AMOUNT],
    ['amount a string', { ...GOOD, amount: '123.45' }, AMOUNT],
    ['amount null', { ...GOOD, amount: null }, AMOUNT],
    ['amount true', { ...GOOD, amount: true }, AMOUNT],
    ['currency not in the list', { ...GOOD, currency: 'XYZ' }, CURRENCY],
    ['currency lower-case', { ...GOOD, currency: 'qar' }, CURRENCY],
    ['currency empty', { ...GOOD, currency: '' }, CURRENCY],
    ['currency a number', { ...GOOD, currency: 634 }, CURRENCY_TYPE],
    ['note 2001 characters', { ...GOOD, note: 'n'.repeat(2001) }, NOTE],
    ['note a number', { ...GOOD, note: 5 }, NOTE],
    ['fcm_token empty', { ...GOOD, fcm_token: '' }, FCM],
  ]
  for (const [name, body, description] of cases) {
    t.same(await collect(app, body), bad(description), `collect: ${name}`)
  }
  const noBody = await app.inject({ method: 'POST', url: '/v1/payments/collect-payment', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' } })
  t.same([noBody.statusCode, noBody.json()], [400, failure(400, NOT_OBJECT)], 'collect: no body')
  t.same(await collect(app, { ...GOOD, card_token: 'no-such-token', amount: 0.1 + 0.2 }), bad(AMOUNT), 'a bad amount is named before the token is looked up')
  t.same((await get(app, '/__admin/payments')).json.payments.filter((p: any) => p.type === 'collect-payment'), [], 'no bad body charged anything')
  t.same((await tokens(app, '?merchant_id=1')).map((x) => [x.card_token, x.last_used_at]), [[FIXTURE_TOKEN, null]])

  // The limits themselves are accepted.
  const edges: Array<[string, object, number]> = [
    ['note 2000 characters', { ...GOOD, note: 'n'.repeat(2000) }, 10],
    ['order_id 100 characters', { ...GOOD, order_id: 'o'.repeat(100) }, 10],
    ['amount 999999999.999', { ...GOOD, amount: 999999999.999 }, 999999999.999],
    ['amount 0.001', { ...GOOD, amount: 0.001 }, 0.001],
    ['amount 3 decimals', { ...GOOD, amount: 12.345 }, 12.345],
    ['unknown fields ignored', { ...GOOD, unknown: { x: 1 }, save_token: 'whatever' }, 10],
  ]
  for (const [name, body, amount] of edges) {
    const res = await collect(app, body)
    t.same([res.status, res.json.result?.amount, res.json.result?.payment_status], [200, amount, 'SUCCESS'], name)
  }
  t.same(await collect(app, { ...GOOD, card_token: 'x'.repeat(200) }), { status: 404, json: failure(404, 'The requested card token was not found') }, 'card_token 200 characters: looked up')

  const deactivateCases: Array<[string, unknown, string]> = [
    ['an array', [], NOT_OBJECT],
    ['card_token missing', {}, 'Invalid body: card_token is required'],
    ['card_token empty', { card_token: '' }, CARD_TOKEN],
    ['card_token null', { card_token: null }, CARD_TOKEN],
    ['card_token a number', { card_token: 123456789 }, CARD_TOKEN],
    ['card_token 201 characters', { card_token: 'x'.repeat(201) }, CARD_TOKEN],
  ]
  for (const [name, body, description] of deactivateCases) {
    t.same(await post(app, '/v1/payments/deactivate-token', body), bad(description), `deactivate: ${name}`)
  }

  // CONTRACT §6.1: api_key only. A bearer token (valid for the client API) is a 401 saying so.
  const bearer = (await app.inject({ method: 'POST', url: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY } })).json().bearer_token as string
  const auth: Array<[string, Record<string, string>, number, string]> = [
    ['no api_key', {}, 401, 'Missing api_key header'],
    ['an unknown key', { api_key: 'nope' }, 401, "Merchant API key isn't valid"],
    ['an inactive key', { api_key: INACTIVE_KEY }, 403, 'Merchant API key is inactive'],
    ['a valid bearer token alone', { authorization: `Bearer ${bearer}` }, 401, 'Payment routes take the api_key header, not a bearer token'],
  ]
  for (const [name, headers, status, description] of auth) {
    t.same(await post(app, '/v1/payments/collect-payment', GOOD, headers), { status, json: failure(status, description) }, `collect: ${name}`)
    t.same(await post(app, '/v1/payments/deactivate-token', { card_token: FIXTURE_TOKEN }, headers), { status, json: failure(status, description) }, `deactivate: ${name}`)
  }
  t.same((await tokens(app, '?merchant_id=1')).map((x) => x.status), ['active'], 'no refused deactivate took effect')
  const text = await app.inject({ method: 'POST', url: '/v1/payments/collect-payment', headers: { api_key: DEMO_KEY, 'content-type': 'text/plain' }, payload: 'card_token=123456789' })
  t.same([text.statusCode, text.json()], [415, failure(415, 'Unsupported Content-Type: send application/json or no Content-Type header')], 'a form body: 415')
})

t.test('reset (CONTRACT §5) restores the fixture tokens and real time', async (t) => {
  const app = await build(t)
  const fixtureView = (x: any): unknown[] => [x.card_token, x.merchant_id, x.client, x.status, x.currency, x.card_type, x.last_4_digits, x.card_expiry, x.charge_response_code, x.payment_id, x.deactivated_at, x.last_used_at]
  const fixtures = [
    [SECOND_TOKEN, 2, { name: 'Second Merchant Client', email: 'second.client@example.com', phone: '+974 4000 2048' }, 'active', 'QAR', 'MASTERCARD', '4444', '12/49', '000', null, null, null],
    [FIXTURE_TOKEN, 1, { name: 'client', email: 'client@example.com', phone: '+974 77777777' }, 'active', 'QAR', 'VISA', '1111', '12/49', '000', null, null, null],
  ]
  const before = await tokens(app)
  t.same(before.map(fixtureView), fixtures, 'the fixtures: Fatora\'s sample token and merchant 2\'s')
  for (const x of before) {
    // Loaded now (start or reset), so six calendar months from the load.
    const created = new Date(x.created_at as string)
    const expires = new Date(x.expires_at as string)
    t.equal(expires.getUTCFullYear() * 12 + expires.getUTCMonth() - (created.getUTCFullYear() * 12 + created.getUTCMonth()), 6, `${x.card_token as string}: six months`)
  }

  // Change everything: deactivate, another card, a new token, a moved clock.
  t.equal((await deactivate(app, FIXTURE_TOKEN)).status, 200)
  t.equal((await setCard(app, { card_token: SECOND_TOKEN, card: '4000000000000002' })).status, 200)
  t.equal((await collect(app, { card_token: SECOND_TOKEN, order_id: 'before-reset', amount: 1 }, SECOND_KEY)).json.result.payment_status, 'FAILURE')
  const extra = (await issue(app, { client: SUBSCRIBER })).card_token as string
  await setClock(app, '2030-01-01T00:00:00Z')
  t.equal((await tokens(app)).length, 3)

  const reset = await post(app, '/__admin/reset', {}, {})
  t.equal(reset.status, 200)
  t.match(reset.json, { card_tokens: 2 }, 'reset counts the fixture tokens')
  const clock = (await get(app, '/__admin/clock')).json
  t.same([clock.real, clock.frozen], [true, false], 'the clock is real time again')
  t.same((await tokens(app)).map(fixtureView), fixtures, 'the fixture tokens as loaded: active, unused, their own cards')
  t.same(await collect(app, { card_token: extra, order_id: 'after-reset', amount: 1 }), { status: 404, json: failure(404, 'The requested card token was not found') }, 'the issued token is gone')
  t.equal((await collect(app, { card_token: FIXTURE_TOKEN, order_id: 'after-reset', amount: 1 })).json.result.payment_status, 'SUCCESS', "Fatora's sample token works again")
  const second = (await collect(app, { card_token: SECOND_TOKEN, order_id: 'after-reset', amount: 1 }, SECOND_KEY)).json.result
  t.same([second.payment_status, second.card_type, second.last_4_digits], ['SUCCESS', 'MASTERCARD', '4444'], "merchant 2's card is its own again")
})
