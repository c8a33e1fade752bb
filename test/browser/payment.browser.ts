// The hosted payment pages in a real browser (CONTRACT §6.2–6.4): checkout, the card form filled by
// its labels, /Pay/Success and its meta refresh (once: the back button does not forward again), the
// redirect a merchant receives, verify. The mock is started as a suite would, with startMock. Debian's
// Chromium driven by playwright-core; `npm run test:browser`, never part of `npm test` (.taprc's
// include stops at *.test.ts). Every distinct page is saved as a full-page screenshot under
// test-results/screenshots/ for a person to look at.
import t from 'tap'
import type { Test } from 'tap'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMock, type MockServer } from '../../src/index.js'

const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))
// §6.3: "any future expiry date".
const EXPIRY = `12/${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`
// The interstitial's meta refresh counts whole seconds; the default (2 s) leaves time to look at it.
const SUCCESS_PAGE_MS = 2000
const APPROVED = 'Transaction Successful - Approved'

// ---- the merchant: success_url and failure_url, recording every query string it is sent ----

interface Hit { path: string, params: URLSearchParams }

function startReceiver (): Promise<{ server: Server, origin: string, hits: Hit[] }> {
  const hits: Hit[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver')
    if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return }
    hits.push({ path: url.pathname, params: url.searchParams })
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="en"><title>Merchant</title><h1>Merchant ${url.pathname === '/ok' ? 'success' : 'failure'} page</h1>`)
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits })
    })
  })
}

// ---- shared fixtures: one mock, one merchant, one browser ----

mkdirSync(SHOTS, { recursive: true })
// 127.0.0.1 (startMock's default host): checkout_url's origin is the one the browser uses.
const mock: MockServer = await startMock({ successPageMs: SUCCESS_PAGE_MS })
const MOCK = mock.url
const receiver = await startReceiver()
const browser: Browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
  headless: true,
})
t.teardown(async () => {
  await browser.close()
  await mock.close()
  await new Promise((resolve) => receiver.server.close(resolve))
})
t.comment(`mock ${MOCK}, merchant ${receiver.origin}, Chromium ${browser.version()}`)

/** Every console error, page error and CSP violation, with the page it came from (check h). */
const problems: string[] = []
const screenshots: string[] = []

/**
 * A fresh context (no cookies, no history) whose pages report their problems. CSP violations
 * reach the console too, but a listener added before any page script makes sure none is missed.
 */
async function newPage (t: Test): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } })
  t.teardown(() => context.close())
  // A string: it runs in the page (no DOM types here, and nothing of this file's transpiler).
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI))",
  })
  context.on('page', watch)
  const page = await context.newPage()
  return { context, page }
}

function watch (page: Page): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${page.url()}: console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => { problems.push(`${page.url()}: page error: ${error.message}`) })
}

async function shot (page: Page, name: string): Promise<void> {
  const path = join(SHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  screenshots.push(path)
}

// ---- the merchant's backend: checkout and verify over HTTP (§6.2, §6.4) ----

let orders = 0
async function checkout (extra: Record<string, unknown> = {}): Promise<{ checkoutUrl: string, orderId: string }> {
  const orderId = `browser-${process.pid}-${++orders}`
  const res = await fetch(`${MOCK}/v1/payments/checkout`, {
    method: 'POST',
    headers: { api_key: mock.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      amount: 123.1,
      currency: 'QAR',
      order_id: orderId,
      client: { name: 'Browser Test' },
      note: 'Two coffees, no sugar',
      success_url: `${receiver.origin}/ok?shop=1`,
      failure_url: `${receiver.origin}/ko`,
      ...extra,
    }),
  })
  const json = await res.json() as { status: string, result?: { checkout_url?: string } }
  if (res.status !== 200 || json.result?.checkout_url === undefined) throw new Error(`checkout answered ${res.status}: ${JSON.stringify(json)}`)
  return { checkoutUrl: json.result.checkout_url, orderId }
}

async function verify (body: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${MOCK}/v1/payments/verify`, {
    method: 'POST',
    headers: { api_key: mock.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = await res.json() as { result?: Record<string, unknown> }
  if (res.status !== 200 || json.result === undefined) throw new Error(`verify answered ${res.status}: ${JSON.stringify(json)}`)
  return json.result
}

/** The merchant's hits for one order (the redirect must reach it exactly once). */
const hitsFor = (orderId: string): Hit[] => receiver.hits.filter((h) => h.params.get('order_id') === orderId)

async function fillCard (page: Page, number: string, labels = { number: 'Card number', expiry: 'Expiry date', cvv: 'CVV', name: 'Name on card' }): Promise<void> {
  await page.getByLabel(labels.number).fill(number)
  await page.getByLabel(labels.expiry).fill(EXPIRY)
  await page.getByLabel(labels.cvv).fill('123')
  await page.getByLabel(labels.name).fill('Browser Test')
}

const atMerchant = (path: string) => (url: URL): boolean => url.origin === receiver.origin && url.pathname === path

/** The interstitial (§6.3): Pay/Success in the URL, its heading, then the meta refresh to success_url. */
async function throughSuccessPage (t: Test, page: Page, heading: string, screenshot?: string): Promise<URL> {
  await page.waitForURL(/\/Pay\/Success\?paymentID=[A-Z0-9]{22}$/)
  t.ok(page.url().includes('Pay/Success'), `the interstitial: ${page.url()}`)
  t.ok(await page.getByRole('heading', { name: heading, level: 1 }).isVisible(), `heading "${heading}"`)
  if (screenshot !== undefined) await shot(page, screenshot)
  const before = Date.now()
  await page.waitForURL(atMerchant('/ok'), { timeout: SUCCESS_PAGE_MS + 8000 })
  t.ok(Date.now() - before <= SUCCESS_PAGE_MS + 3000, 'forwarded about SUCCESS_PAGE_MS later')
  return new URL(page.url())
}

/** The success redirect's parameters (§6.3) as the merchant received them, then verify (§6.4). */
async function checkSuccess (t: Test, orderId: string, landed: URL): Promise<string> {
  const hits = hitsFor(orderId)
  t.equal(hits.length, 1, 'success_url was hit once')
  const params = hits[0]?.params ?? landed.searchParams
  t.equal(hits[0]?.path, '/ok', 'success_url, not failure_url')
  t.same(landed.searchParams.toString(), params.toString(), 'the browser and the merchant saw the same query')
  const transactionId = params.get('transaction_id') ?? ''
  t.match(transactionId, /^\d{12}$/, 'transaction_id: 12 digits')
  t.equal(params.get('order_id'), orderId)
  t.equal(params.get('mode'), 'test')
  t.equal(params.get('response_code'), '000')
  t.equal(params.get('description'), APPROVED)
  t.equal(params.get('shop'), '1', "the merchant's own query is kept")
  t.notOk(params.has('card_token'), 'no card_token without save_token')
  const result = await verify({ transaction_id: transactionId, order_id: orderId })
  t.equal(result.payment_status, 'SUCCESS', 'verify: SUCCESS')
  t.equal(result.transaction_id, transactionId, 'verify: the same transaction_id')
  t.equal(result.amount, 123.1)
  t.equal(result.currency, 'QAR')
  return transactionId
}

// ---- the flows ----

t.test('a. pay with a test card: the form by its labels, /Pay/Success, success_url, verify', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout()
  t.match(checkoutUrl, new RegExp(`^${MOCK}/pay/MCPaymentPage\\?paymentID=[A-Z0-9]{22}$`))
  const res = await page.goto(checkoutUrl)
  t.equal(res?.status(), 200)
  t.equal(await page.locator('html').getAttribute('dir'), 'ltr')
  t.equal(await page.locator('html').getAttribute('lang'), 'en')
  t.ok(await page.getByText('123.10 QAR').isVisible(), 'the amount and currency')
  t.ok(await page.getByText(orderId).isVisible(), 'the order id')
  t.ok(await page.getByText('Two coffees, no sugar').isVisible(), 'the note')
  t.ok(await page.getByRole('table').getByText('4111 1111 1111 1111').isVisible(), 'the test-card table')
  await shot(page, '01-form-en')
  await fillCard(page, '4111 1111 1111 1111')
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  const landed = await throughSuccessPage(t, page, 'Payment successful', '04-success-interstitial-en')
  t.ok(await page.getByRole('heading', { name: 'Merchant success page' }).isVisible(), "the merchant's page")
  await checkSuccess(t, orderId, landed)
})

t.test('b. a declined card goes straight to failure_url with 005', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout()
  await page.goto(checkoutUrl)
  await fillCard(page, '4000 0000 0000 0002')
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  await page.waitForURL(atMerchant('/ko'))
  const hits = hitsFor(orderId)
  t.equal(hits.length, 1, 'failure_url was hit once')
  const params = hits[0]?.params ?? new URLSearchParams()
  t.equal(hits[0]?.path, '/ko')
  t.equal(params.get('response_code'), '005')
  t.equal(params.get('description'), 'Transaction Declined - Do not honour')
  t.equal(params.get('mode'), 'test')
  t.match(params.get('transaction_id'), /^\d{12}$/)
  t.notOk(params.has('shop'), "success_url's query is not on failure_url")
  const result = await verify({ order_id: orderId })
  t.equal(result.payment_status, 'FAILURE')
  t.equal(result.transaction_id, params.get('transaction_id'))
})

t.test('c. 3-D Secure: the bank page, Approve, success', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout()
  await page.goto(checkoutUrl)
  await fillCard(page, '4000 0000 0000 3220')
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  await page.waitForURL(/\/pay\/3ds\?paymentID=/)
  t.ok(await page.getByRole('heading', { name: '3-D Secure', level: 1 }).isVisible(), 'the 3-D Secure page')
  t.ok(await page.getByRole('button', { name: 'Fail', exact: true }).isVisible(), 'a Fail button')
  t.ok(await page.getByText('VISA •••• 3220').isVisible(), 'the card, masked')
  await shot(page, '03-3ds')
  t.equal((await verify({ order_id: orderId })).payment_status, 'PENDING', 'still pending at the 3-D Secure step')
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  const landed = await throughSuccessPage(t, page, 'Payment successful')
  await checkSuccess(t, orderId, landed)
})

t.test('d. the Arabic page: rtl, Arabic labels and buttons, success', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout({ language: 'ar' })
  await page.goto(checkoutUrl)
  t.equal(await page.locator('html').getAttribute('dir'), 'rtl')
  t.equal(await page.locator('html').getAttribute('lang'), 'ar')
  t.ok(await page.getByRole('button', { name: 'ادفع', exact: true }).isVisible(), 'Pay: ادفع')
  t.ok(await page.getByRole('button', { name: 'إلغاء', exact: true }).isVisible(), 'Cancel: إلغاء')
  await shot(page, '05-form-ar')
  const labels = { number: 'رقم البطاقة', expiry: 'تاريخ الانتهاء', cvv: 'رمز التحقق', name: 'الاسم على البطاقة' }
  // An Arabic error first, to see the RTL error layout too.
  await page.getByLabel(labels.number).fill('1234')
  await page.getByLabel(labels.expiry).fill(EXPIRY)
  await page.getByLabel(labels.cvv).fill('123')
  await page.getByLabel(labels.name).fill('حامل البطاقة')
  await page.getByRole('button', { name: 'ادفع', exact: true }).click()
  await page.waitForLoadState()
  t.ok(await page.getByText('رقم البطاقة غير صالح.').isVisible(), 'the error, in Arabic')
  t.ok(await page.getByText('لأمانك، أدخل رمز التحقق مرة أخرى.').isVisible(), 'the CVV note, in Arabic')
  t.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'f-card_number', 'the first field in error has the focus')
  t.equal(await page.getByLabel(labels.name).inputValue(), 'حامل البطاقة', 'the Arabic name is kept')
  await shot(page, '06-form-ar-errors')
  await fillCard(page, '4111 1111 1111 1111', labels)
  await page.getByRole('button', { name: 'ادفع', exact: true }).click()
  const landed = await throughSuccessPage(t, page, 'تمت عملية الدفع بنجاح', '07-success-interstitial-ar')
  await checkSuccess(t, orderId, landed)
})

t.test('e. inline errors: a Luhn-invalid number re-renders the form with the error by the field', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout()
  await page.goto(checkoutUrl)
  await fillCard(page, '4111 1111 1111 1112')
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Pay', exact: true }).click(),
  ])
  t.equal(response.status(), 200, 'the form again, 200 (a typo is no HTTP error)')
  await page.waitForLoadState()
  t.equal(page.url(), checkoutUrl, 'the same page')
  const number = page.getByLabel('Card number')
  t.equal(await number.getAttribute('aria-invalid'), 'true', 'the field has aria-invalid')
  const errorId = await number.getAttribute('aria-describedby')
  t.ok(errorId, 'the field points at its error')
  const error = page.locator(`#${errorId ?? 'none'}`)
  t.ok(await error.isVisible(), 'the error is visible')
  t.equal((await error.textContent())?.trim(), 'This card number is not valid.')
  // Next to the field: just below it, not somewhere else on the page.
  const fieldBox = await number.boundingBox()
  const errorBox = await error.boundingBox()
  t.ok(fieldBox !== null && errorBox !== null && errorBox.y >= fieldBox.y + fieldBox.height && errorBox.y - (fieldBox.y + fieldBox.height) < 40, 'the error sits just below the field')
  t.ok(await page.getByRole('alert').isVisible(), 'a summary alert')
  for (const label of ['Expiry date', 'CVV', 'Name on card']) {
    t.equal(await page.getByLabel(label).getAttribute('aria-invalid'), null, `${label}: no error`)
  }
  t.equal(await page.getByLabel('Expiry date').inputValue(), EXPIRY, 'the expiry is kept')
  t.equal(await page.getByLabel('Name on card').inputValue(), 'Browser Test', 'the name is kept')
  t.equal(await page.getByLabel('CVV').inputValue(), '', 'the CVV is not echoed back')
  t.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'f-card_number', 'the field in error has the focus (autofocus, no JavaScript)')
  const cvvNote = page.locator(`#${await page.getByLabel('CVV').getAttribute('aria-describedby') ?? 'none'}`)
  t.equal((await cvvNote.textContent())?.trim(), 'For your security, enter the CVV again.', 'the CVV points at why it is empty')
  t.ok(await cvvNote.isVisible(), 'the CVV note is visible')
  await shot(page, '02-form-en-errors')
  t.equal((await verify({ order_id: orderId })).payment_status, 'PENDING', 'nothing changed')
  t.equal(hitsFor(orderId).length, 0, 'the merchant heard nothing')
  // Fixed, then Enter in a field: the form's default button is Pay.
  await number.fill('5555 5555 5555 4444')
  await page.getByLabel('CVV').fill('123')
  await page.getByLabel('Name on card').press('Enter')
  const landed = await throughSuccessPage(t, page, 'Payment successful')
  await checkSuccess(t, orderId, landed)
})

t.test('f. Cancel goes to failure_url with 100', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout()
  await page.goto(checkoutUrl)
  await page.getByRole('button', { name: 'Cancel', exact: true }).click()
  await page.waitForURL(atMerchant('/ko'))
  const hits = hitsFor(orderId)
  t.equal(hits.length, 1, 'failure_url was hit once')
  t.equal(hits[0]?.params.get('response_code'), '100')
  t.equal(hits[0]?.params.get('description'), 'Cancelled by the card holder')
  t.equal((await verify({ order_id: orderId })).payment_status, 'FAILURE')
})

t.test('g. no second charge: the back button and a second tab both see a finished payment', async (t) => {
  const { context, page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout()
  // A second tab with the form open and filled before the first one pays.
  const other = await context.newPage()
  await other.goto(checkoutUrl)
  await fillCard(other, '4000 0000 0000 0002')
  await page.goto(checkoutUrl)
  await fillCard(page, '4111 1111 1111 1111')
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  const landed = await throughSuccessPage(t, page, 'Payment successful')
  const transactionId = await checkSuccess(t, orderId, landed)

  // Back from the merchant's page: the interstitial again, now the result with a link and no
  // meta refresh: it forwarded once, so the merchant is not sent the success redirect again.
  await page.goBack()
  t.ok(page.url().includes('/Pay/Success'), `one back press from the merchant: ${page.url()}`)
  t.ok(await page.getByRole('heading', { name: 'Payment successful', level: 1 }).isVisible(), 'the result')
  t.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'no meta refresh')
  t.ok(await page.getByRole('link', { name: 'Return to the merchant' }).isVisible(), 'a link back instead')
  await shot(page, '11-success-returned-en')
  await page.waitForTimeout(SUCCESS_PAGE_MS + 1500)
  t.ok(page.url().includes('/Pay/Success'), `still there after SUCCESS_PAGE_MS and more: ${page.url()}`)
  t.equal(hitsFor(orderId).length, 1, 'the back button does not send the browser to success_url again: the merchant was hit once')
  // One more back: the payment page (no-store, so its current state, §6.3): the result, no form.
  await page.goBack()
  t.ok(page.url().includes('/pay/MCPaymentPage'), `back reaches the payment page: ${page.url()}`)
  t.ok(await page.getByRole('heading', { name: 'Payment successful', level: 1 }).isVisible(), "the outcome's heading")
  t.ok(await page.getByText('This payment is finished: it cannot be paid again.').isVisible(), 'it says it cannot be paid again')
  t.equal(await page.getByText('already finished').count(), 0, 'no "already finished" heading')
  t.ok(await page.getByRole('definition').filter({ hasText: /^Paid$/ }).isVisible(), 'Status: Paid')
  t.ok(await page.getByText(transactionId).isVisible(), 'the transaction')
  t.equal(await page.getByRole('button', { name: 'Pay', exact: true }).count(), 0, 'no form to pay again')
  await shot(page, '08-finished-en')

  // The other tab's stale form, submitted after the payment finished (a double submit).
  await other.getByRole('button', { name: 'Pay', exact: true }).click()
  await other.waitForLoadState()
  t.ok(other.url().startsWith(checkoutUrl), `the stale tab lands on the payment page: ${other.url()}`)
  t.ok(await other.getByRole('heading', { name: 'Payment successful', level: 1 }).isVisible(), 'the payment\'s result (successful), not declined')
  t.equal(hitsFor(orderId).length, 1, 'still one hit')

  const result = await verify({ order_id: orderId })
  t.equal(result.payment_status, 'SUCCESS', 'still SUCCESS')
  t.equal(result.transaction_id, transactionId, 'still the one transaction')
  const admin = await (await fetch(`${MOCK}/__admin/payments?order_id=${encodeURIComponent(orderId)}`)).json() as { payments: Array<{ transaction_id: string | null }> }
  t.equal(admin.payments.length, 1, 'one payment for the order')
  t.equal(admin.payments[0]?.transaction_id, transactionId)
  t.equal(hitsFor(orderId).filter((h) => h.path === '/ko').length, 0, 'failure_url never hit')
})

t.test('i. Arabic, no failure_url: a declined card shows the result in Arabic on the payment page', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout({ language: 'ar', failure_url: undefined })
  await page.goto(checkoutUrl)
  await fillCard(page, '4000 0000 0000 9995', { number: 'رقم البطاقة', expiry: 'تاريخ الانتهاء', cvv: 'رمز التحقق', name: 'الاسم على البطاقة' })
  await page.getByRole('button', { name: 'ادفع', exact: true }).click()
  await page.waitForLoadState()
  t.ok(page.url().startsWith(checkoutUrl), `back on the payment page: ${page.url()}`)
  t.ok(await page.getByRole('heading', { name: 'لم تتم عملية الدفع', level: 1 }).isVisible(), 'Payment failed, in Arabic')
  t.ok(await page.getByText('انتهت هذه العملية: لا يمكن الدفع مرة أخرى.').isVisible(), 'cannot be paid again, in Arabic')
  t.ok(await page.getByText('رُفضت العملية - رصيد غير كافٍ').isVisible(), 'the description, in Arabic')
  t.ok(await page.getByRole('definition').filter({ hasText: /^غير مدفوعة$/ }).isVisible(), 'Status: not paid')
  t.equal(await page.getByRole('link').count(), 0, 'no merchant to return to')
  await shot(page, '12-finished-ar-failed')
  const result = await verify({ order_id: orderId })
  t.equal(result.payment_status, 'FAILURE')
  t.equal(result.description, 'Transaction Declined - Insufficient funds', 'verify stays English')
  t.equal(hitsFor(orderId).length, 0, 'no merchant URL was hit')
})

t.test('j. save_token: the card_token reaches success_url intact (+ / \\ | URL-encoded), verify and collect-payment agree', async (t) => {
  const { page } = await newPage(t)
  const { checkoutUrl, orderId } = await checkout({ save_token: true })
  await page.goto(checkoutUrl)
  t.ok(await page.getByText('Demo Merchant will save this card for future payments (credit cards only).').isVisible(), 'the card holder is told the card will be saved')
  await fillCard(page, '5555 5555 5555 4444')
  await shot(page, '11-form-save-card-en')
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  const landed = await throughSuccessPage(t, page, 'Payment successful')
  const params = hitsFor(orderId)[0]?.params ?? landed.searchParams
  const token = params.get('card_token') ?? ''
  t.equal(token.length, 44, 'a 44-character card_token (CONTRACT §6.6)')
  t.ok(['+', '/', '\\', '|'].every((c) => token.includes(c)), 'with + / \\ and |, decoded back exactly by the merchant')
  const result = await verify({ transaction_id: params.get('transaction_id') ?? '', order_id: orderId })
  t.equal(result.card_token, token, 'verify names the same token')
  const res = await fetch(`${MOCK}/v1/payments/collect-payment`, {
    method: 'POST',
    headers: { api_key: mock.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ card_token: token, order_id: `${orderId}-renewal`, amount: 9.99 }),
  })
  const collected = await res.json() as { result?: Record<string, unknown> }
  t.same([res.status, collected.result?.payment_status, collected.result?.type, collected.result?.card_type, collected.result?.last_4_digits],
    [200, 'SUCCESS', 'collect-payment', 'MASTERCARD', '4444'], 'the saved card is charged again without a browser')
})

t.test('the 404 page for an unknown paymentID', async (t) => {
  const { page } = await newPage(t)
  const res = await page.goto(`${MOCK}/pay/MCPaymentPage?paymentID=ZZZZZZZZZZZZZZZZZZZZZZ`)
  t.equal(res?.status(), 404)
  t.ok(await page.getByRole('heading', { name: 'Payment not found' }).isVisible())
  t.ok(await page.getByRole('heading', { name: 'عملية الدفع غير موجودة' }).isVisible(), 'and in Arabic')
  await shot(page, '09-not-found')
})

t.test('a narrow phone screen (375 px): the English form', async (t) => {
  const { page } = await newPage(t)
  await page.setViewportSize({ width: 375, height: 700 })
  const { checkoutUrl } = await checkout()
  await page.goto(checkoutUrl)
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
  t.equal(overflow, 0, 'no horizontal scrolling')
  await shot(page, '10-form-en-375px')
})

t.test('h. no console errors, page errors or CSP violations on any page', async (t) => {
  // A 404 document is expected (the not-found page): Chromium logs its status as a resource
  // error, which says nothing wrong about the page itself. The form with errors is a 200.
  const expected = /console error: Failed to load resource: the server responded with a status of 404/
  const unexpected = problems.filter((p) => !expected.test(p))
  t.same(unexpected, [], 'none')
  for (const p of problems.filter((p) => expected.test(p))) t.comment(`expected: ${p}`)
  t.comment(`screenshots:\n${screenshots.map((s) => `  ${s}`).join('\n')}`)
})
