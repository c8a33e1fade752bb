// What the hosted page leads to (CONTRACT §6.3): each test card's outcome, seen through the
// redirect's Location and through verify (§6.4); 3-D Secure; card tokens (§6.6); the /Pay/Success
// interstitial; the redirect parameters, default and legacy, and their encoding.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build } from '../../helper.js'
import { card, checkout, defaultParams, FAILURE_URL, FORM, page, PAGE, pay, paymentResult, rawParams, submit, SUCCESS_URL, verify } from './pages-helper.js'

const APPROVED = 'Transaction Successful - Approved'

// CONTRACT §6.3's table: card → status, response_code, description, card_type, last 4.
const OUTCOMES: Array<[string, 'SUCCESS' | 'FAILURE', string, string, string]> = [
  ['4111111111111111', 'SUCCESS', '000', APPROVED, 'VISA'],
  ['5555555555554444', 'SUCCESS', '000', APPROVED, 'MASTERCARD'],
  ['4000000000000002', 'FAILURE', '005', 'Transaction Declined - Do not honour', 'VISA'],
  ['4000000000009995', 'FAILURE', '051', 'Transaction Declined - Insufficient funds', 'VISA'],
  ['4000000000000069', 'FAILURE', '054', 'Transaction Declined - Expired card', 'VISA'],
  ['4000056655665556', 'SUCCESS', '000', APPROVED, 'VISA'],
  // Any other Luhn-valid number is approved (both Mastercard ranges); other schemes report their own card_type.
  ['4242424242424242', 'SUCCESS', '000', APPROVED, 'VISA'],
  ['4012888888881881', 'SUCCESS', '000', APPROVED, 'VISA'],
  ['5105105105105100', 'SUCCESS', '000', APPROVED, 'MASTERCARD'],
  ['2223003122003222', 'SUCCESS', '000', APPROVED, 'MASTERCARD'],
  ['4222222222222', 'SUCCESS', '000', APPROVED, 'VISA'],
  ['378282246310005', 'SUCCESS', '000', APPROVED, 'AMEX'],
  ['6011111111111117', 'SUCCESS', '000', APPROVED, 'DISCOVER'],
  ['3530111333300000', 'SUCCESS', '000', APPROVED, 'JCB'],
  ['6200000000000005', 'SUCCESS', '000', APPROVED, 'UNIONPAY'],
]

/** verify's full result for a payment the page finished (CONTRACT §6.4): every field, literal. */
function expectedResult (orderId: string, v: any, status: string, description: string, cardType: string | null, last4: string | null): object {
  return paymentResult({
    order_id: orderId,
    transaction_id: v.transaction_id,
    payment_date: v.payment_date,
    payment_status: status,
    auth_code: status === 'SUCCESS' ? v.auth_code : null,
    description,
    card_type: cardType,
    last_4_digits: last4,
  })
}

function checkIds (t: Test, v: any, success: boolean): void {
  t.match(v.transaction_id, /^[0-9]{12}$/, 'transaction_id: 12 digits')
  t.match(v.payment_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'payment_date: ISO 8601 UTC')
  t.ok(Math.abs(Date.parse(v.payment_date) - Date.now()) < 5000, 'payment_date is now')
  if (success) t.match(v.auth_code, /^[A-Z0-9]{6}$/, 'auth_code: 6 characters')
}

t.test('every test card → its outcome, through the redirect and through verify', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  for (const [number, status, code, description, cardType] of OUTCOMES) {
    const { paymentId, orderId } = await checkout(app)
    const res = await pay(app, paymentId, card(number))
    t.equal(res.statusCode, 303, number)
    t.equal(res.headers['cache-control'], 'no-store', number)
    const v = await verify(app, { order_id: orderId })
    t.equal(v.status, 200, number)
    checkIds(t, v.json.result, status === 'SUCCESS')
    t.same(v.json, { status: 'SUCCESS', result: expectedResult(orderId, v.json.result, status, description, cardType, number.slice(-4)) }, number)
    const tx = v.json.result.transaction_id as string
    const base = status === 'SUCCESS' ? SUCCESS_URL : FAILURE_URL
    t.equal(res.headers.location, `${base}?transaction_id=${tx}&order_id=${orderId}&mode=test&response_code=${code}&description=${encodeURIComponent(description)}`, `${number}: Location`)
    t.same(await verify(app, { transaction_id: tx }), v, `${number}: verify by transaction_id agrees`)
  }
})

t.test('3-D Secure (4000 0000 0000 3220): the bank page, then Approve or Fail', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  for (const [action, status, code, description] of [['approve', 'SUCCESS', '000', APPROVED], ['fail', 'FAILURE', '101', 'Authentication failed']] as const) {
    const { paymentId, orderId } = await checkout(app)
    const res = await pay(app, paymentId, card('4000 0000 0000 3220'))
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, `/pay/3ds?paymentID=${paymentId}`)
    const bank = await page(app, '/pay/3ds', paymentId)
    t.equal(bank.statusCode, 200)
    t.equal(bank.headers['content-type'], 'text/html; charset=utf-8')
    t.match(bank.body, /<button type="submit" name="action" value="approve"[^>]*>Approve<\/button>/)
    t.match(bank.body, /<button type="submit" name="action" value="fail"[^>]*>Fail<\/button>/)
    t.match(bank.body, '<code>VISA •••• 3220</code>')
    t.match(bank.body, `<form method="post" action="/pay/3ds?paymentID=${paymentId}">`)

    // While the bank waits: still PENDING, and the card page sends the browser back to the bank.
    t.equal((await verify(app, { order_id: orderId })).json.result.payment_status, 'PENDING')
    const back = await page(app, PAGE, paymentId)
    t.equal(back.statusCode, 303)
    t.equal(back.headers.location, `/pay/3ds?paymentID=${paymentId}`)
    const another = await pay(app, paymentId, card('4111111111111111'))
    t.equal(another.headers.location, `/pay/3ds?paymentID=${paymentId}`, 'a second card while waiting goes back to the bank')
    // Anything but Approve or Fail (another action, a body that is not a form): back to the bank page.
    const odd: Array<[string, string, string]> = [
      ['no action', FORM, ''],
      ['action=pay', FORM, 'action=pay'],
      ['action=cancel', FORM, 'action=cancel'],
      ['action=APPROVE', FORM, 'action=APPROVE'],
      ['an empty action', FORM, 'action='],
      ['approve as text/plain', 'text/plain', 'action=approve'],
      ['JSON with another action', 'application/json', JSON.stringify({ action: 'pay' })],
    ]
    for (const [name, type, payload] of odd) {
      const res = await app.inject({ method: 'POST', url: `/pay/3ds?paymentID=${paymentId}`, headers: { 'content-type': type }, payload })
      t.equal(res.statusCode, 303, `${action}: ${name}`)
      t.equal(res.headers.location, `/pay/3ds?paymentID=${paymentId}`, `${action}: ${name}`)
      t.equal(res.body, '', `${action}: ${name}: no JSON error`)
    }
    t.equal((await verify(app, { order_id: orderId })).json.result.payment_status, 'PENDING', 'still waiting for the bank')
    t.equal((await page(app, '/pay/3ds', paymentId)).statusCode, 200, 'the bank page is still there')

    const done = await submit(app, '/pay/3ds', paymentId, { action })
    t.equal(done.statusCode, 303, action)
    const v = (await verify(app, { order_id: orderId })).json.result
    t.same(v, expectedResult(orderId, v, status, description, 'VISA', '3220'), action)
    t.same(rawParams(String(done.headers.location)), defaultParams(v.transaction_id, orderId, code, description), action)
    t.match(done.headers.location, status === 'SUCCESS' ? SUCCESS_URL : FAILURE_URL)
    const after = await page(app, '/pay/3ds', paymentId)
    t.equal(after.statusCode, 303, 'the bank page of a finished payment sends to the payment page')
    t.equal(after.headers.location, `${PAGE}?paymentID=${paymentId}`)
  }
  // The 3-D Secure page of a payment that is not waiting for it.
  const { paymentId, orderId } = await checkout(app)
  const idle = await page(app, '/pay/3ds', paymentId)
  t.equal(idle.headers.location, `${PAGE}?paymentID=${paymentId}`)
  for (const action of ['approve', 'fail']) {
    const early = await submit(app, '/pay/3ds', paymentId, { action })
    t.equal(early.statusCode, 303, `${action} with no step waiting: to the payment page`)
    t.equal(early.headers.location, `${PAGE}?paymentID=${paymentId}`, action)
    t.equal(early.body, '', action)
  }
  const still = await page(app, PAGE, paymentId)
  t.equal(still.statusCode, 200, 'still payable')
  t.notMatch(still.body, 'role="alert"', 'the form, without errors')
  t.equal((await verify(app, { order_id: orderId })).json.result.payment_status, 'PENDING')
  // Once finished, an approve is no second outcome either.
  await pay(app, paymentId, card('4000000000000002'))
  const late = await submit(app, '/pay/3ds', paymentId, { action: 'approve' })
  t.equal(late.headers.location, `${PAGE}?paymentID=${paymentId}`)
  t.equal((await verify(app, { order_id: orderId })).json.result.payment_status, 'FAILURE')
})

t.test('save_token (CONTRACT §6.6): a credit card gets a 44-character token, URL-encoded in the redirect', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  for (let i = 0; i < 5; i++) {
    const { paymentId, orderId } = await checkout(app, { save_token: true })
    const res = await pay(app, paymentId, card('4111111111111111'))
    const location = String(res.headers.location)
    const params = rawParams(location)
    const v = (await verify(app, { order_id: orderId })).json.result
    t.equal(params.length, 6)
    t.same(params.slice(0, 5), defaultParams(v.transaction_id, orderId, '000', APPROVED))
    const [name, token] = params[5] ?? []
    t.equal(name, 'card_token')
    t.equal(token?.length, 44)
    for (const c of ['+', '/', '\\', '|']) t.ok(token?.includes(c), `the token has ${c}`)
    t.equal(v.card_token, token, 'verify carries the same token')
    // Raw in the URL, + would read as a space and / \ | are not safe: each is percent-encoded.
    t.ok(location.endsWith(`&card_token=${encodeURIComponent(token ?? '')}`))
    const rawToken = location.slice(location.indexOf('card_token=') + 11)
    t.notMatch(rawToken, /[+/\\|]/)
    t.match(rawToken, /%2B/)
    t.match(rawToken, /%2F/)
    t.match(rawToken, /%5C/)
    t.match(rawToken, /%7C/)
  }
  // A debit card, a decline and a Mastercard credit card.
  const cases: Array<[string, boolean]> = [['4000056655665556', false], ['4000000000000002', false], ['5555555555554444', true]]
  for (const [number, tokenised] of cases) {
    const { paymentId, orderId } = await checkout(app, { save_token: true })
    const res = await pay(app, paymentId, card(number))
    const v = (await verify(app, { order_id: orderId })).json.result
    t.equal(v.card_token === null, !tokenised, `${number}: card_token ${tokenised ? 'issued' : 'null'}`)
    t.equal(String(res.headers.location).includes('card_token='), tokenised, `${number}: in the redirect only when issued`)
  }
  // Without save_token, no token even for a credit card.
  const plain = await checkout(app)
  await pay(app, plain.paymentId, card('4111111111111111'))
  t.equal((await verify(app, { order_id: plain.orderId })).json.result.card_token, null)
})

t.test('Cancel → 303 to failure_url with response_code 100, whatever the card fields hold', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const res = await pay(app, paymentId, { action: 'cancel', card_number: 'not a card', cvv: 'x' })
  t.equal(res.statusCode, 303)
  const v = (await verify(app, { order_id: orderId })).json.result
  t.same(v, expectedResult(orderId, v, 'FAILURE', 'Cancelled by the card holder', null, null))
  t.equal(res.headers.location, `${FAILURE_URL}?transaction_id=${v.transaction_id as string}&order_id=${orderId}&mode=test&response_code=100&description=Cancelled%20by%20the%20card%20holder`)
})

t.test('no failure_url: a failure lands on the payment page, which shows the result (EN and AR)', async (t) => {
  const app = await build(t)
  for (const [language, fields, code, description, shownDescription] of [
    ['en', { action: 'cancel' }, '100', 'Cancelled by the card holder', 'Cancelled by the card holder'],
    ['en', card('4000000000009995'), '051', 'Transaction Declined - Insufficient funds', 'Transaction Declined - Insufficient funds'],
    ['ar', { action: 'cancel' }, '100', 'Cancelled by the card holder', 'ألغاها حامل البطاقة'],
    ['ar', card('4000000000009995'), '051', 'Transaction Declined - Insufficient funds', 'رُفضت العملية - رصيد غير كافٍ'],
  ] as const) {
    const name = `${language} ${code}`
    const { paymentId, orderId } = await checkout(app, { failure_url: undefined, language })
    const res = await pay(app, paymentId, fields)
    t.equal(res.statusCode, 303, name)
    t.equal(res.headers.location, `${PAGE}?paymentID=${paymentId}`, name)
    const shown = await page(app, PAGE, paymentId)
    t.equal(shown.statusCode, 200, name)
    const v = (await verify(app, { order_id: orderId })).json.result
    t.equal(v.description, description, `${name}: the API's description stays English`)
    const tx = v.transaction_id as string
    // The result, not "already finished": the outcome's heading, then one list with the Status row.
    t.match(shown.body, language === 'en'
      ? `<h1 id="result-title" class="ko">Payment failed</h1>
<p>This payment is finished: it cannot be paid again.</p>
<p class="merchant">Merchant: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Status</dt><dd><strong>Not paid</strong></dd><dt>Transaction</dt><dd><code>${tx}</code></dd><dt>Response code</dt><dd><code>${code}</code> ${shownDescription}</dd></dl>

</section>`
      : `<h1 id="result-title" class="ko">لم تتم عملية الدفع</h1>
<p>انتهت هذه العملية: لا يمكن الدفع مرة أخرى.</p>
<p class="merchant">التاجر: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>الطلب</dt><dd><bdi>${orderId}</bdi></dd><dt>الحالة</dt><dd><strong>غير مدفوعة</strong></dd><dt>رقم العملية</dt><dd><code>${tx}</code></dd><dt>رمز الاستجابة</dt><dd><code>${code}</code> ${shownDescription}</dd></dl>

</section>`, name)
    t.notMatch(shown.body, 'already finished', name)
    t.notMatch(shown.body, language === 'en' ? 'Return to the merchant' : 'العودة إلى التاجر', `${name}: no merchant to return to`)
    t.notMatch(shown.body, '<form', name)
    // /pay/return has nowhere to go either.
    t.equal((await page(app, '/pay/return', paymentId)).headers.location, `${PAGE}?paymentID=${paymentId}`)
  }
})

t.test('a failure with a failure_url: the finished page links back to it', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const res = await pay(app, paymentId, card('4000000000000069'))
  const shown = await page(app, PAGE, paymentId)
  t.match(shown.body, `<a class="button secondary" href="/pay/return?paymentID=${paymentId}">Return to the merchant</a>`)
  const back = await page(app, '/pay/return', paymentId)
  t.equal(back.statusCode, 303)
  t.equal(back.headers.location, res.headers.location, '/pay/return repeats the same redirect')
  t.equal((await verify(app, { order_id: orderId })).json.result.description, 'Transaction Declined - Expired card')
})

t.test('success with SUCCESS_PAGE_MS default: /Pay/Success, a meta refresh, then /pay/return → success_url, once', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const res = await pay(app, paymentId, card('4111111111111111'))
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/Pay/Success?paymentID=${paymentId}`)
  const v = (await verify(app, { order_id: orderId })).json.result

  const success = await page(app, '/Pay/Success', paymentId)
  t.equal(success.statusCode, 200)
  t.equal(success.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(success.headers['cache-control'], 'no-store')
  t.match(success.body, `<meta http-equiv="refresh" content="2;url=/pay/return?paymentID=${paymentId}">`)
  const result = `<h1 id="result-title" class="ok">Payment successful</h1>
<p class="merchant">Merchant: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Status</dt><dd><strong>Paid</strong></dd><dt>Transaction</dt><dd><code>${v.transaction_id as string}</code></dd><dt>Authorisation code</dt><dd><code>${v.auth_code as string}</code></dd><dt>Response code</dt><dd><code>000</code> Transaction Successful - Approved</dd></dl>`
  t.match(success.body, `${result}
<p>You will be returned to the merchant in 2 seconds.</p>
<div class="buttons"><a class="button primary" href="/pay/return?paymentID=${paymentId}">Continue</a></div>
</section>`)
  t.notMatch(success.body, '<script', 'no JavaScript')
  // Reloaded before it forwards (nobody went back yet): it still forwards.
  t.match((await page(app, '/Pay/Success', paymentId)).body, 'http-equiv="refresh"')

  const merchant = `${SUCCESS_URL}?transaction_id=${v.transaction_id as string}&order_id=${orderId}&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved`
  const back = await page(app, '/pay/return', paymentId)
  t.equal(back.statusCode, 303)
  t.equal(back.headers['cache-control'], 'no-store')
  t.equal(back.headers.location, merchant)

  // Forwards once: back from the merchant (the back button), the result with a link, no refresh.
  for (const visit of [1, 2]) {
    const again = await page(app, '/Pay/Success', paymentId)
    t.equal(again.statusCode, 200, `visit ${visit} after returning`)
    t.notMatch(again.body, 'http-equiv="refresh"', `visit ${visit}: no meta refresh, the merchant is not sent the redirect again`)
    t.match(again.body, `${result}
<div class="buttons"><a class="button primary" href="/pay/return?paymentID=${paymentId}">Return to the merchant</a></div>
</section>`, `visit ${visit}`)
    t.notMatch(again.body, 'You will be returned', `visit ${visit}`)
  }
  // The link still works, when the holder asks for it.
  t.equal((await page(app, '/pay/return', paymentId)).headers.location, merchant, 'the same redirect on request')
})

t.test('Arabic /Pay/Success: the words, the Arabic description, and forwarding once', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app, { language: 'ar' })
  await pay(app, paymentId, card('4111111111111111'))
  const v = (await verify(app, { order_id: orderId })).json.result
  t.equal(v.description, 'Transaction Successful - Approved', 'the API stays English')
  const result = `<h1 id="result-title" class="ok">تمت عملية الدفع بنجاح</h1>
<p class="merchant">التاجر: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>الطلب</dt><dd><bdi>${orderId}</bdi></dd><dt>الحالة</dt><dd><strong>مدفوعة</strong></dd><dt>رقم العملية</dt><dd><code>${v.transaction_id as string}</code></dd><dt>رمز التفويض</dt><dd><code>${v.auth_code as string}</code></dd><dt>رمز الاستجابة</dt><dd><code>000</code> تمت العملية بنجاح - مقبولة</dd></dl>`
  const first = await page(app, '/Pay/Success', paymentId)
  t.match(first.body, /^<!doctype html>\n<html lang="ar" dir="rtl">/)
  t.match(first.body, `${result}
<p>ستعود إلى التاجر خلال ثانيتين.</p>
<div class="buttons"><a class="button primary" href="/pay/return?paymentID=${paymentId}">متابعة</a></div>`)
  t.match((await page(app, '/pay/return', paymentId)).headers.location, `${SUCCESS_URL}?transaction_id=${v.transaction_id as string}&order_id=${orderId}&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved`, 'the redirect stays English')
  const after = await page(app, '/Pay/Success', paymentId)
  t.notMatch(after.body, 'http-equiv="refresh"')
  t.match(after.body, `${result}
<div class="buttons"><a class="button primary" href="/pay/return?paymentID=${paymentId}">العودة إلى التاجر</a></div>`)
})

t.test('SUCCESS_PAGE_MS: rounded up to whole seconds, in English and in Arabic (number agreement); 0 goes straight to success_url', async (t) => {
  // [SUCCESS_PAGE_MS, refresh seconds, English sentence, Arabic sentence]
  const cases: Array<[number, number, string, string]> = [
    [1, 1, 'You will be returned to the merchant in 1 second.', 'ستعود إلى التاجر خلال ثانية واحدة.'],
    [1000, 1, 'You will be returned to the merchant in 1 second.', 'ستعود إلى التاجر خلال ثانية واحدة.'],
    [1001, 2, 'You will be returned to the merchant in 2 seconds.', 'ستعود إلى التاجر خلال ثانيتين.'],
    [1500, 2, 'You will be returned to the merchant in 2 seconds.', 'ستعود إلى التاجر خلال ثانيتين.'],
    [3000, 3, 'You will be returned to the merchant in 3 seconds.', 'ستعود إلى التاجر خلال 3 ثوانٍ.'],
    [10000, 10, 'You will be returned to the merchant in 10 seconds.', 'ستعود إلى التاجر خلال 10 ثوانٍ.'],
    [10001, 11, 'You will be returned to the merchant in 11 seconds.', 'ستعود إلى التاجر خلال 11 ثانية.'],
    [25000, 25, 'You will be returned to the merchant in 25 seconds.', 'ستعود إلى التاجر خلال 25 ثانية.'],
  ]
  for (const [ms, seconds, english, arabic] of cases) {
    const app = await build(t, { SUCCESS_PAGE_MS: ms })
    for (const [language, sentence] of [['en', english], ['ar', arabic]] as const) {
      const { paymentId } = await checkout(app, { language })
      await pay(app, paymentId, card('4111111111111111'))
      const body = (await page(app, '/Pay/Success', paymentId)).body
      t.match(body, `<meta http-equiv="refresh" content="${seconds};url=/pay/return?paymentID=${paymentId}">`, `${ms} ms ${language}`)
      t.match(body, `<p>${sentence}</p>`, `${ms} ms ${language}`)
    }
  }

  const none = await build(t, { SUCCESS_PAGE_MS: 0 })
  const three = await checkout(none)
  const res = await pay(none, three.paymentId, card('4111111111111111'))
  t.match(res.headers.location, `${SUCCESS_URL}?transaction_id=`)
  // The browser was sent back already: /Pay/Success opened afterwards (a WebView reloading it) only links there.
  const after = (await page(none, '/Pay/Success', three.paymentId)).body
  t.notMatch(after, 'http-equiv="refresh"', 'no second forward')
  t.match(after, `<a class="button primary" href="/pay/return?paymentID=${three.paymentId}">Return to the merchant</a>`)
  // Finished without a browser (/__admin): /Pay/Success forwards at once, saying so.
  for (const [language, sentence] of [['en', 'You are being returned to the merchant.'], ['ar', 'تجري إعادتك إلى التاجر.']] as const) {
    const direct = await checkout(none, { language })
    const done = await none.inject({ method: 'POST', url: `/__admin/payments/${direct.paymentId}/complete`, payload: { card: '4111111111111111' } })
    t.equal(done.statusCode, 200)
    const body = (await page(none, '/Pay/Success', direct.paymentId)).body
    t.match(body, `<meta http-equiv="refresh" content="0;url=/pay/return?paymentID=${direct.paymentId}">`, language)
    t.match(body, `<p>${sentence}</p>`, language)
  }
})

t.test('no success_url: /Pay/Success shows the result and stays (no refresh)', async (t) => {
  for (const ms of [2000, 0]) {
    const app = await build(t, { SUCCESS_PAGE_MS: ms })
    const { paymentId } = await checkout(app, { success_url: undefined })
    const res = await pay(app, paymentId, card('4111111111111111'))
    t.equal(res.headers.location, `/Pay/Success?paymentID=${paymentId}`, `SUCCESS_PAGE_MS=${ms}`)
    const success = await page(app, '/Pay/Success', paymentId)
    t.equal(success.statusCode, 200)
    t.notMatch(success.body, 'http-equiv="refresh"')
    t.match(success.body, /<dt>Response code<\/dt><dd><code>000<\/code> Transaction Successful - Approved<\/dd><\/dl>\n<p>You can close this page.<\/p>\n<\/section>/)
    t.match(success.body, '<dt>Status</dt><dd><strong>Paid</strong></dd>')
    t.notMatch(success.body, '/pay/return', 'no way back to a merchant it does not have')
  }
})

t.test('/Pay/Success of a payment that did not succeed goes to the payment page', async (t) => {
  const app = await build(t)
  const pending = await checkout(app)
  t.equal((await page(app, '/Pay/Success', pending.paymentId)).headers.location, `${PAGE}?paymentID=${pending.paymentId}`)
  t.equal((await page(app, '/pay/return', pending.paymentId)).headers.location, `${PAGE}?paymentID=${pending.paymentId}`, 'nothing to return with yet')
  await pay(app, pending.paymentId, card('4000000000000002'))
  t.equal((await page(app, '/Pay/Success', pending.paymentId)).headers.location, `${PAGE}?paymentID=${pending.paymentId}`)
})

/** Pays with `number` on an app with `overrides`; the Location. */
async function redirectOf (app: FastifyInstance, body: Record<string, unknown>, number = '4111111111111111'): Promise<{ location: string, tx: string, orderId: string }> {
  const { paymentId, orderId } = await checkout(app, body)
  const res = await pay(app, paymentId, card(number))
  const tx = (await verify(app, { order_id: orderId })).json.result.transaction_id as string
  return { location: String(res.headers.location), tx, orderId }
}

t.test('merchant URLs with their own query, a trailing ?, a #fragment: kept, joined right', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  const cases: Array<[string, (q: string) => string]> = [
    ['https://m.example/ok', (q) => `https://m.example/ok?${q}`],
    ['https://m.example/ok?session=abc&lang=ar', (q) => `https://m.example/ok?session=abc&lang=ar&${q}`],
    ['https://m.example/ok?', (q) => `https://m.example/ok?${q}`],
    ['https://m.example/ok?a=1&', (q) => `https://m.example/ok?a=1&${q}`],
    ['https://m.example/ok#done', (q) => `https://m.example/ok?${q}#done`],
    ['https://m.example/ok?a=1#/route?x=y', (q) => `https://m.example/ok?a=1&${q}#/route?x=y`],
    ['http://localhost:8080/cb/', (q) => `http://localhost:8080/cb/?${q}`],
  ]
  for (const [url, expected] of cases) {
    const { location, tx, orderId } = await redirectOf(app, { success_url: url })
    t.equal(location, expected(`transaction_id=${tx}&order_id=${orderId}&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved`), url)
  }
})

t.test('values are URL-encoded (percent-encoding, a space is %20)', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  const orders = ['order 1', 'a&b=c', 'طلب-٤٢', 'pay 😀 now', 'x+y/z?#%', '100%', "it's \"quoted\""]
  for (const orderId of orders) {
    const { location, tx } = await redirectOf(app, { order_id: orderId })
    t.equal(location, `${SUCCESS_URL}?transaction_id=${tx}&order_id=${encodeURIComponent(orderId)}&mode=test&response_code=000&description=Transaction%20Successful%20-%20Approved`, orderId)
    t.same(rawParams(location)[1], ['order_id', orderId], `${orderId} decodes back`)
    t.equal(new URL(location).searchParams.get('order_id'), orderId, `${orderId}: a standard URL parser reads it back`)
  }
})

t.test('REDIRECT_PARAMS=legacy: transid, orderId, mode; Failerdescription on failure only', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0, REDIRECT_PARAMS: 'legacy' })
  const ok = await redirectOf(app, {})
  t.equal(ok.location, `${SUCCESS_URL}?transid=${ok.tx}&orderId=${ok.orderId}&mode=test`)
  const ko = await redirectOf(app, { order_id: 'A B&C' }, '4000000000009995')
  t.equal(ko.location, `${FAILURE_URL}?transid=${ko.tx}&orderId=A%20B%26C&mode=test&Failerdescription=Transaction%20Declined%20-%20Insufficient%20funds`)
  // CONTRACT §6.6: the token travels in the success redirect whatever the names.
  const token = await redirectOf(app, { save_token: true })
  t.same(rawParams(token.location).map(([k]) => k), ['transid', 'orderId', 'mode', 'card_token'])

  // The interstitial's way back uses the same names.
  const slow = await build(t, { REDIRECT_PARAMS: 'legacy' })
  const { paymentId, orderId } = await checkout(slow)
  await pay(slow, paymentId, card('4111111111111111'))
  const back = await page(slow, '/pay/return', paymentId)
  t.match(back.headers.location, new RegExp(`^https://merchant\\.example/success\\?transid=[0-9]{12}&orderId=${orderId}&mode=test$`))
})
