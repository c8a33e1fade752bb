// An example integration-test suite, as it would run beside fatora-mock in docker-compose:
// it sets up its own state through the admin API, then checks the answers your Fatora client
// code would get. No dependencies: Node 20's fetch and assert. Exits 0 when all checks pass.
// It runs a subscription on a saved card (collect-payment, the mock's clock moved a month at a
// time, a declined renewal, a deactivated card) and refunds. With SHOP_URL (the example shop
// backend, examples/shop-backend.mjs) it also pays through the shop: checkout, the hosted page or
// the admin API, back to the shop, which verifies.
import assert from 'node:assert/strict'

const BASE = process.env.FATORA_BASE_URL ?? 'http://localhost:3000'
const ADMIN_TOKEN = process.env.ADMIN_TOKEN
// The mock's PUBLIC_URL (what checkout_url starts with: the host's browser address, CONTRACT §6.2).
const FATORA_PUBLIC_URL = process.env.FATORA_PUBLIC_URL
// The shop backend, as this suite reaches it and as a browser would (its success_url's origin).
const SHOP_URL = process.env.SHOP_URL
const SHOP_PUBLIC_URL = process.env.SHOP_PUBLIC_URL ?? SHOP_URL

/**
 * One request; the answer's status and its JSON body (undefined when empty).
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ status: number, body: any }>} any: the JSON of whatever the server answered
 */
async function call (method, path, { body, headers = {} } = {}) {
  const res = await fetch(BASE + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) }
}

/**
 * An admin call, with the admin token when ADMIN_TOKEN is set.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
const admin = (method, path, body) =>
  call(method, `/__admin${path}`, { body, headers: ADMIN_TOKEN ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {} })

let failures = 0
/**
 * @param {string} name
 * @param {() => Promise<void>} fn
 */
async function check (name, fn) {
  try {
    await fn()
    console.log(`ok - ${name}`)
  } catch (err) {
    failures++
    console.log(`not ok - ${name}\n  ${String(/** @type {Error} */ (err).message).split('\n').join('\n  ')}`)
  }
}

// Setup: our own merchant, the client our code will look up, a key that will be deactivated.
const merchant = await admin('POST', '/merchants', { name: 'Compose Integration Tests' })
assert.equal(merchant.status, 201, `creating a merchant: ${JSON.stringify(merchant.body)}`)
const apiKey = merchant.body.api_key
const created = await admin('POST', '/clients', { api_key: apiKey, name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'jane.doe@example.com', notes: 'created by the test suite' })
assert.equal(created.status, 201, `creating a client: ${JSON.stringify(created.body)}`)
const clientId = created.body.client.id
const spare = await admin('POST', '/api-keys', { merchant_id: merchant.body.merchant.id })

await check('GET /v1/clients/{id} with our key → 200 and the client we created', async () => {
  const res = await call('GET', `/v1/clients/${clientId}`, { headers: { api_key: apiKey, 'Content-Type': 'application/json' } })
  assert.equal(res.status, 200)
  assert.deepEqual(res.body, {
    status: 'SUCCESS',
    client: { id: clientId, name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'jane.doe@example.com', note: 'created by the test suite', notes: 'created by the test suite' },
  })
})

await check('without an api_key → 401 envelope', async () => {
  const res = await call('GET', `/v1/clients/${clientId}`)
  assert.equal(res.status, 401)
  assert.deepEqual(res.body, { status: 'FAILURE', error: { error_code: '401', description: 'Missing api_key header' } })
})

await check("another merchant's client (the docs' client 1024) → 404, as if it did not exist", async () => {
  const res = await call('GET', '/v1/clients/1024', { headers: { api_key: apiKey } })
  assert.equal(res.status, 404)
  assert.deepEqual(res.body, { status: 'FAILURE', error: { error_code: '404', description: 'Client not found' } })
})

await check('a deactivated key → 403 envelope', async () => {
  const patched = await admin('PATCH', `/api-keys/${spare.body.key}`, { status: 'inactive' })
  assert.equal(patched.status, 200)
  const res = await call('GET', `/v1/clients/${clientId}`, { headers: { api_key: spare.body.key } })
  assert.equal(res.status, 403)
  assert.deepEqual(res.body, { status: 'FAILURE', error: { error_code: '403', description: 'Merchant API key is inactive' } })
})

await check("the docs' own request still answers the documented client", async () => {
  const res = await call('GET', '/v1/clients/1024', { headers: { api_key: 'E4B73FEE-F492-4607-A38D-852B0EBC91C9', 'Content-Type': 'application/json' } })
  assert.equal(res.status, 200)
  assert.equal(res.body.client.name, 'Client Name')
})

// --- A subscription: saved card, collect-payment, the clock; refunds (CONTRACT §6.5–6.6) --------
// Our merchant's client pays once with save_token; then our billing code charges the saved card
// every month. The mock's clock moves a month in a call (and stands still there), so the dates are
// the same on every run; it is put back to real time before the shop's payments below.
/**
 * A payment API call with our merchant's key.
 * @param {string} route after /v1/payments/
 * @param {unknown} body
 */
const pay = (route, body) => call('POST', `/v1/payments/${route}`, { body, headers: { api_key: apiKey } })

/** @type {string | undefined} the saved card, once the first payment issued it */
let cardToken
/** @type {any} verify's result for the first payment */
let firstPayment
/** @type {any} collect-payment's result for the first renewal */
let renewal

await check('the first payment with save_token, paid through the admin API → verify: SUCCESS and a card_token with + / \\ |', async () => {
  const started = await pay('checkout', { amount: 49, currency: 'QAR', order_id: 'sub-1', client: { name: 'Jane Doe', email: 'jane.doe@example.com' }, save_token: true })
  assert.equal(started.status, 200, JSON.stringify(started.body))
  const paymentId = new URL(started.body.result.checkout_url).searchParams.get('paymentID')
  const done = await admin('POST', `/payments/${paymentId}/complete`, { card: '4111111111111111' })
  assert.equal(done.status, 200, JSON.stringify(done.body))
  const verified = await pay('verify', { order_id: 'sub-1' })
  assert.equal(verified.status, 200)
  firstPayment = verified.body.result
  assert.equal(firstPayment.payment_status, 'SUCCESS')
  assert.equal(firstPayment.type, 'checkout')
  const token = firstPayment.card_token
  assert.equal(typeof token, 'string', 'verify carries the card_token')
  assert.equal(token.length, 44)
  for (const c of ['+', '/', '\\', '|']) assert.ok(token.includes(c), `the token contains ${c}: ${token}`)
  assert.equal(done.body.payment.card_token, token, 'the admin API shows the same token')
  cardToken = token
})

await check('a month later (clock +30 days, frozen) collect-payment charges the saved card → SUCCESS, type collect-payment, dated by the clock', async () => {
  const moved = await admin('POST', '/clock', { advance_days: 30 })
  assert.equal(moved.status, 200, JSON.stringify(moved.body))
  assert.equal(moved.body.real, false)
  assert.equal(moved.body.frozen, true)
  const charged = await pay('collect-payment', { card_token: cardToken, order_id: 'sub-2', amount: 49 })
  assert.equal(charged.status, 200, JSON.stringify(charged.body))
  renewal = charged.body.result
  assert.deepEqual(
    { ...renewal, transaction_id: typeof renewal.transaction_id, auth_code: typeof renewal.auth_code },
    {
      order_id: 'sub-2',
      transaction_id: 'string',
      amount: 49,
      currency: 'QAR',
      client: { name: 'Jane Doe', email: 'jane.doe@example.com', phone: null, note: null },
      note: null,
      payment_date: moved.body.now.replace(/\.\d{3}Z$/, 'Z'),
      payment_status: 'SUCCESS',
      mode: 'test',
      auth_code: 'string',
      description: 'Transaction Successful - Approved',
      card_token: cardToken,
      card_type: 'VISA',
      last_4_digits: '1111',
      type: 'collect-payment',
      exchange_details: null,
      transfer_details: null,
      refund_details: null,
      refund_transaction_id: null,
    })
  assert.notEqual(renewal.transaction_id, firstPayment.transaction_id, 'a new transaction')
})

await check('the card runs out of funds (/__admin/tokens/card 4000000000009995): next month\'s renewal → 200, payment_status FAILURE, 051', async () => {
  const changed = await admin('POST', '/tokens/card', { card_token: cardToken, card: '4000000000009995' })
  assert.equal(changed.status, 200, JSON.stringify(changed.body))
  assert.equal(changed.body.charge_response_code, '051')
  assert.equal((await admin('POST', '/clock', { advance_days: 30 })).status, 200)
  const declined = await pay('collect-payment', { card_token: cardToken, order_id: 'sub-3', amount: 49 })
  assert.equal(declined.status, 200, 'a decline is a finished payment, not an error')
  assert.equal(declined.body.result.payment_status, 'FAILURE')
  assert.equal(declined.body.result.description, 'Transaction Declined - Insufficient funds')
  assert.equal(declined.body.result.auth_code, null)
  const listed = await admin('GET', '/payments?order_id=sub-3')
  assert.equal(listed.body.payments[0].response_code, '051')
})

await check('the subscriber removes the card: deactivate-token → inactive; collect-payment → 422; deactivating again → 422', async () => {
  const removed = await pay('deactivate-token', { card_token: cardToken })
  assert.equal(removed.status, 200, JSON.stringify(removed.body))
  assert.deepEqual(removed.body, { status: 'SUCCESS', result: { card_token: cardToken, token_status: 'inactive' } })
  const refused = await pay('collect-payment', { card_token: cardToken, order_id: 'sub-4', amount: 49 })
  assert.equal(refused.status, 422)
  assert.deepEqual(refused.body, { status: 'FAILURE', error: { error_code: '422', description: 'Card token is deactivated' } })
  const again = await pay('deactivate-token', { card_token: cardToken })
  assert.deepEqual(again.body, { status: 'FAILURE', error: { error_code: '422', description: 'Card token is already deactivated' } })
  const [token] = (await admin('GET', `/tokens?merchant_id=${merchant.body.merchant.id}`)).body.tokens
  assert.equal(token.status, 'inactive')
})

await check('DELETE /__admin/clock → real time again', async () => {
  const back = await admin('DELETE', '/clock')
  assert.equal(back.status, 200)
  assert.equal(back.body.real, true)
  assert.equal(back.body.frozen, false)
  assert.ok(Math.abs(Date.parse(back.body.now) - Date.now()) < 60_000, `the mock's clock is near this machine's: ${back.body.now}`)
})

await check('refunds: the first payment on its own day → completed, in verify; twice → 422; the renewal (paid on a later date) → pending', async () => {
  // Fatora's rule: same UTC day as the payment → completed. Asked of the mock's own clock, so a
  // run that straddles midnight still knows what to expect.
  const today = (await admin('GET', '/clock')).body.now.slice(0, 10)
  const expected = firstPayment.payment_date.slice(0, 10) === today ? 'completed' : 'pending'
  const refunded = await pay('refund', { transaction_id: firstPayment.transaction_id, order_id: 'sub-1' })
  assert.equal(refunded.status, 200, JSON.stringify(refunded.body))
  assert.equal(refunded.body.result.refund_status, expected)
  assert.match(refunded.body.result.refund_transaction_id, /^\d{12}$/)
  const verified = (await pay('verify', { order_id: 'sub-1' })).body.result
  assert.equal(verified.payment_status, 'SUCCESS', 'a refund does not change payment_status')
  assert.equal(verified.refund_transaction_id, refunded.body.result.refund_transaction_id)
  assert.equal(verified.refund_details.refund_status, expected)
  assert.equal(verified.refund_details.amount, 49)
  const twice = await pay('refund', { order_id: 'sub-1' })
  assert.deepEqual(twice.body, { status: 'FAILURE', error: { error_code: '422', description: 'The payment has already been refunded' } })
  // Fatora's samples call /api/v1/payments/refund: the same route.
  const later = await call('POST', '/api/v1/payments/refund', { body: { transaction_id: renewal.transaction_id }, headers: { api_key: apiKey } })
  assert.equal(later.status, 200, JSON.stringify(later.body))
  assert.equal(later.body.result.refund_status, 'pending', 'paid 30 days ahead of today: not the same day')
})

// --- Payments through the shop backend (CONTRACT §6.2–6.4) ------------------------------------
// The shop starts each payment (checkout) and verifies it when the browser comes back. This suite
// plays the card holder's browser: it gets URLs on the host's addresses (PUBLIC_URL,
// SHOP_PUBLIC_URL) and, inside the compose network, reaches them at the services' own names.
/**
 * The in-network address of a URL a browser on the host would open.
 * @param {string} url
 */
function inNetwork (url) {
  const u = new URL(url)
  /** @type {Array<[string | undefined, string | undefined]>} */
  const routes = [[FATORA_PUBLIC_URL, BASE], [SHOP_PUBLIC_URL, SHOP_URL]]
  for (const [pub, internal] of routes) {
    if (pub !== undefined && internal !== undefined && u.origin === new URL(pub).origin) return new URL(u.pathname + u.search, internal).href
  }
  return u.href
}

/**
 * One browser request, redirects not followed.
 * @param {string} url the URL as the browser has it (host addresses)
 * @param {RequestInit} [init]
 */
const browse = async (url, init = {}) => await fetch(inNetwork(url), { ...init, redirect: 'manual' })

/** @param {string} s an HTML attribute's value */
const unescapeHtml = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** @returns {Promise<{ order_id: string, checkout_url: string, paymentId: string }>} */
async function shopCheckout () {
  const res = await fetch(`${SHOP_URL}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  /** @type {any} the shop's JSON */
  const body = await res.json()
  assert.equal(res.status, 200, `the shop's checkout: ${JSON.stringify(body)}`)
  const paymentId = new URL(body.checkout_url).searchParams.get('paymentID') ?? ''
  return { ...body, paymentId }
}

/**
 * What the shop says on its success or failure page: the redirect it got, checked by verify.
 * @param {string} url the shop URL the mock sent the browser to
 * @param {'success' | 'failure'} outcome
 * @param {string} orderId
 */
async function shopResult (url, outcome, orderId) {
  assert.ok(url.startsWith(`${SHOP_PUBLIC_URL}/payment/${outcome}?`), `sent to the shop's ${outcome} page: ${url}`)
  const redirect = new URL(url).searchParams
  assert.equal(redirect.get('order_id'), orderId)
  assert.match(redirect.get('transaction_id') ?? '', /^\d{12}$/)
  const res = await browse(url)
  /** @type {any} the shop's JSON */
  const body = await res.json()
  assert.equal(res.status, 200, `the shop's ${outcome} page: ${JSON.stringify(body)}`)
  assert.equal(body.outcome, outcome)
  assert.equal(body.verify.status, 'SUCCESS')
  const result = body.verify.result
  assert.equal(result.order_id, orderId)
  assert.equal(result.transaction_id, redirect.get('transaction_id'))
  return result
}

if (SHOP_URL === undefined || FATORA_PUBLIC_URL === undefined) {
  console.log('# skip - payments through the shop backend: set SHOP_URL and FATORA_PUBLIC_URL (docker-compose.yml does)')
} else {
  await check("the shop's checkout → a checkout_url on the mock's PUBLIC_URL; verify by order_id says PENDING", async () => {
    const { checkout_url: url, order_id: orderId, paymentId } = await shopCheckout()
    assert.equal(new URL(url).origin, new URL(FATORA_PUBLIC_URL).origin, `checkout_url ${url}`)
    assert.equal(new URL(url).pathname, '/pay/MCPaymentPage')
    assert.match(paymentId, /^[A-Z0-9]{22}$/)
    const res = await call('POST', '/v1/payments/verify', { body: { order_id: orderId }, headers: { api_key: 'E4B73FEE-F492-4607-A38D-852B0EBC91C9' } })
    assert.equal(res.status, 200)
    assert.equal(res.body.result.payment_status, 'PENDING')
  })

  await check('paid through the admin API (4111…) → redirect_url is the shop\'s success_url → verify: SUCCESS', async () => {
    const { order_id: orderId, paymentId } = await shopCheckout()
    const done = await admin('POST', `/payments/${paymentId}/complete`, { card: '4111111111111111' })
    assert.equal(done.status, 200, JSON.stringify(done.body))
    assert.equal(done.body.payment.status, 'SUCCESS')
    const result = await shopResult(done.body.redirect_url, 'success', orderId)
    assert.equal(result.payment_status, 'SUCCESS')
    assert.equal(result.card_type, 'VISA')
    assert.equal(result.last_4_digits, '1111')
    assert.equal(result.amount, 25.5)
    assert.equal(result.currency, 'QAR')
  })

  await check('declined through the admin API (4000…0002) → the shop\'s failure_url → verify: FAILURE', async () => {
    const { order_id: orderId, paymentId } = await shopCheckout()
    const done = await admin('POST', `/payments/${paymentId}/complete`, { card: '4000000000000002' })
    assert.equal(done.status, 200, JSON.stringify(done.body))
    const result = await shopResult(done.body.redirect_url, 'failure', orderId)
    assert.equal(result.payment_status, 'FAILURE')
    assert.equal(result.description, 'Transaction Declined - Do not honour')
  })

  await check('paid on the hosted page over HTTP (form, 303s, /Pay/Success) → the shop\'s success_url → verify: SUCCESS', async () => {
    const { checkout_url: checkoutUrl, order_id: orderId } = await shopCheckout()
    const page = await browse(checkoutUrl)
    const html = await page.text()
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
    assert.ok(action !== undefined, 'the page has a card form')
    const form = new URLSearchParams({
      action: 'pay',
      card_number: '4111 1111 1111 1111',
      expiry: `12/${String((new Date().getUTCFullYear() + 5) % 100).padStart(2, '0')}`,
      cvv: '123',
      holder_name: 'Compose Shopper',
    })
    // A browser resolves the form's action and every Location against the address it is on.
    let url = new URL(unescapeHtml(action), checkoutUrl).href
    let res = await browse(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
    const visited = []
    for (let hops = 0; hops < 10 && !url.startsWith(`${SHOP_PUBLIC_URL}/`); hops++) {
      const location = res.headers.get('location')
      if (res.status === 303 && location !== null) {
        await res.arrayBuffer()
        url = new URL(location, url).href
      } else {
        // The /Pay/Success interstitial forwards by a meta refresh after SUCCESS_PAGE_MS; no need to wait it out.
        const body = await res.text()
        assert.equal(res.status, 200, `${url}: ${body.slice(0, 300)}`)
        const refresh = /<meta http-equiv="refresh" content="\d+;url=([^"]+)">/.exec(body)?.[1]
        assert.ok(refresh !== undefined, `${url} neither redirects nor refreshes`)
        url = new URL(unescapeHtml(refresh), url).href
      }
      visited.push(new URL(url).pathname)
      if (!url.startsWith(`${SHOP_PUBLIC_URL}/`)) res = await browse(url)
    }
    assert.ok(visited.includes('/Pay/Success'), `the browser saw Fatora's /Pay/Success page: ${visited.join(' → ')}`)
    const result = await shopResult(url, 'success', orderId)
    assert.equal(result.payment_status, 'SUCCESS')
    assert.equal(result.last_4_digits, '1111')
  })
}

console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`)
process.exit(failures === 0 ? 0 : 1)
