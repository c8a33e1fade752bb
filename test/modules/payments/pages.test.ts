// The hosted payment page (CONTRACT §6.3) through the real app: what it shows (EN/AR, headers,
// accessible form, test cards), invalid input, escaping, one outcome per payment, expiry (§6.2),
// 404 and 405.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { TEST_CARDS } from '../../../src/modules/payments/cards.js'
import { build } from '../../helper.js'
import { card, checkout, FORM, FUTURE, HTML, page, PAGE, PAST, pay, submit, SUCCESS_URL, verify } from './pages-helper.js'

const admin = async (app: FastifyInstance, orderId: string): Promise<any[]> =>
  (await app.inject({ url: `/__admin/payments?order_id=${encodeURIComponent(orderId)}` })).json().payments

// The CONTRACT §6.3 table's numbers, grouped in fours as the page prints them.
const CONTRACT_CARDS = ['4111111111111111', '5555555555554444', '4000000000000002', '4000000000009995', '4000000000000069', '4000000000003220', '4000056655665556']
const grouped = (n: string): string => n.replace(/(\d{4})(?=\d)/g, '$1 ')

t.test('GET the page: headers, merchant, amount, order, note, the form and the test cards', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app, {
    note: 'Two coffees', success_url: 'https://shop.example/ok', failure_url: 'https://pay-fail.example:8443/ko',
  })
  const res = await page(app, PAGE, paymentId)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], HTML)
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /^default-src 'none';/)
  // Browsers apply form-action to the redirect after the post too, so both merchant origins are listed.
  t.match(csp, /; form-action 'self' https:\/\/shop\.example https:\/\/pay-fail\.example:8443;/)
  t.notMatch(csp, /script-src|unsafe-inline/, 'no script, no inline allowance')

  const html = res.body
  t.match(html, /^<!doctype html>\n<html lang="en" dir="ltr">/)
  t.match(html, '<p class="merchant">Merchant: <bdi>Demo Merchant</bdi></p>')
  // The amount reads left to right on every page; the details are one list.
  t.match(html, '<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>')
  t.match(html, `<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Note</dt><dd><bdi>Two coffees</bdi></dd></dl>`)
  t.equal(html.split('<dl>').length - 1, 1, 'one <dl>')
  t.match(html, `<form method="post" action="/pay/MCPaymentPage?paymentID=${paymentId}"`)
  t.notMatch(html, /<script|<link|<img|src=|https?:\/\/(?!shop|pay-fail)/, 'no external assets, no JavaScript')

  // Every card field is labelled and tells the browser what it holds (autofill, screen readers).
  for (const [name, autocomplete, label] of [['card_number', 'cc-number', 'Card number'], ['expiry', 'cc-exp', 'Expiry date'], ['cvv', 'cc-csc', 'CVV'], ['holder_name', 'cc-name', 'Name on card']]) {
    const input = new RegExp(`<input id="([^"]+)" name="${name}" autocomplete="([^"]+)"`).exec(html)
    t.ok(input, `${name} is an input`)
    t.equal(input?.[2], autocomplete, `${name} autocomplete`)
    t.match(html, new RegExp(`<label for="${input?.[1] ?? '?'}">${label}[ <]`), `${name} has its <label for>`)
  }
  t.match(html, /<button type="submit" name="action" value="pay"[^>]*>Pay<\/button>/)
  t.match(html, /<button type="submit" name="action" value="cancel"[^>]*>Cancel<\/button>/)
  t.match(html, /type="password"[^>]*autocomplete|autocomplete="cc-csc"[^>]*type="password"/, 'the CVV is masked')
  // A name may be Arabic or Latin: the holder's field follows what is typed.
  t.match(html, '<input id="f-holder_name" name="holder_name" autocomplete="cc-name" value="" required maxlength="100" spellcheck="false" dir="auto">')
  t.match(html, '<input id="f-cvv" name="cvv" autocomplete="cc-csc" value="" required inputmode="numeric" maxlength="4" type="password">\n</div>', 'a fresh form: no CVV note')
  for (const fresh of ['role="alert"', 'aria-invalid="', ' autofocus', 'f-cvv-note', 'class="error"']) t.notMatch(html, fresh, `a fresh form: no ${fresh}`)

  t.same(TEST_CARDS.map((c) => c.number), CONTRACT_CARDS, 'cards.ts holds exactly the CONTRACT §6.3 table')
  for (const n of CONTRACT_CARDS) t.match(html, `<tr><td><code>${grouped(n)}</code></td>`, `test card ${n} listed`)
  // The whole table, literally: the last two rows are two cells each, like the others.
  t.match(html, `<h2 id="test-cards">Test cards</h2>
<p>Any future expiry date and any 3\u2011digit CVV.</p>
<table>
<thead><tr><th scope="col">Card number</th><th scope="col">Outcome</th></tr></thead>
<tbody>
<tr><td><code>4111 1111 1111 1111</code></td><td>Approved</td></tr>
<tr><td><code>5555 5555 5555 4444</code></td><td>Approved</td></tr>
<tr><td><code>4000 0000 0000 0002</code></td><td>Declined: do not honour (005)</td></tr>
<tr><td><code>4000 0000 0000 9995</code></td><td>Declined: insufficient funds (051)</td></tr>
<tr><td><code>4000 0000 0000 0069</code></td><td>Declined: expired card (054)</td></tr>
<tr><td><code>4000 0000 0000 3220</code></td><td>3-D Secure: Approve or Fail (101)</td></tr>
<tr><td><code>4000 0566 5566 5556</code></td><td>Approved, debit card: no card_token</td></tr>
<tr><td>Any other valid card number</td><td>Approved</td></tr>
<tr><td>The Cancel button</td><td>Cancelled by the card holder (100)</td></tr>
</tbody>
</table>`)
  t.notMatch(html, '3-digit', 'the intro\'s hyphen does not break')
})

t.test('without a note there is no note row; amounts are formatted for people', async (t) => {
  const app = await build(t)
  const cases: Array<[number, string, string]> = [
    [123.1, 'QAR', '123.10 QAR'],
    [5, 'USD', '5.00 USD'],
    [0.125, 'KWD', '0.125 KWD'],
    [1234567.5, 'EUR', '1,234,567.50 EUR'],
    [999999999.999, 'BHD', '999,999,999.999 BHD'],
  ]
  for (const [amount, currency, shown] of cases) {
    const { paymentId } = await checkout(app, { amount, currency })
    const html = (await page(app, PAGE, paymentId)).body
    t.match(html, `<p class="amount"><bdi dir="ltr">${shown}</bdi></p>`, `${amount} ${currency}`)
    t.notMatch(html, '<dt>Note</dt>', 'no note row')
    t.match(html, /<dl><dt>Order<\/dt><dd><bdi>[^<]+<\/bdi><\/dd><\/dl>/, 'the list holds the order only')
  }
})

t.test('Arabic: lang and dir on <html>, Arabic words, the same test cards', async (t) => {
  const app = await build(t)
  const { paymentId } = await checkout(app, { language: 'ar', note: 'ملاحظة الطلب' })
  const res = await page(app, PAGE, paymentId)
  t.equal(res.statusCode, 200)
  t.match(res.body, /^<!doctype html>\n<html lang="ar" dir="rtl">/)
  t.match(res.body, /<button type="submit" name="action" value="pay"[^>]*>ادفع<\/button>/)
  t.match(res.body, /<button type="submit" name="action" value="cancel"[^>]*>إلغاء<\/button>/)
  t.match(res.body, '<p class="merchant">التاجر: <bdi>Demo Merchant</bdi></p>')
  t.match(res.body, /<dl><dt>الطلب<\/dt><dd><bdi>[^<]+<\/bdi><\/dd><dt>ملاحظة<\/dt><dd><bdi>ملاحظة الطلب<\/bdi><\/dd><\/dl>/)
  // "123.10 QAR" reads left to right inside the right-to-left page.
  t.match(res.body, '<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>')
  t.match(res.body, '<input id="f-holder_name" name="holder_name" autocomplete="cc-name" value="" required maxlength="100" spellcheck="false" dir="auto">')
  for (const n of CONTRACT_CARDS) t.match(res.body, `<code>${grouped(n)}</code>`)
  t.match(res.body, `<tr><td><code>4000 0000 0000 9995</code></td><td>مرفوضة: رصيد غير كافٍ (051)</td></tr>
<tr><td><code>4000 0000 0000 0069</code></td><td>مرفوضة: بطاقة منتهية (054)</td></tr>
<tr><td><code>4000 0000 0000 3220</code></td><td>التحقق ثلاثي الأبعاد: موافقة أو فشل (101)</td></tr>
<tr><td><code>4000 0566 5566 5556</code></td><td>مقبولة، بطاقة خصم: بلا card_token</td></tr>
<tr><td>أي رقم بطاقة صالح آخر</td><td>مقبولة</td></tr>
<tr><td>زر الإلغاء</td><td>ألغاها حامل البطاقة (100)</td></tr>
</tbody>`)

  // An Arabic form's errors and CVV note are Arabic too.
  const bad = await pay(app, paymentId, card('4111111111111112'))
  t.equal(bad.statusCode, 200)
  t.match(bad.body, '<p class="alert" role="alert">يرجى تصحيح الحقول المحددة.</p>')
  t.match(bad.body, '<p class="error" id="f-card_number-error">رقم البطاقة غير صالح.</p>')
  t.match(bad.body, '<input id="f-cvv" name="cvv" autocomplete="cc-csc" value="" required inputmode="numeric" maxlength="4" type="password" aria-describedby="f-cvv-note">\n<p class="note" id="f-cvv-note">لأمانك، أدخل رمز التحقق مرة أخرى.</p>')
})

// 200, as hosted pages answer a typo: a WebView's HTTP-error callback is for real failures.
t.test('invalid input → 200, the field\'s error, aria-invalid, autofocus, the CVV again, nothing changed (CONTRACT §6.3)', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const before = await admin(app, orderId)
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ['Luhn-invalid number', { card_number: '4111111111111112' }, 'card_number', 'This card number is not valid.'],
    ['letters in the number', { card_number: '4111abcd11111111' }, 'card_number', 'This card number is not valid.'],
    ['too short (Luhn-valid 4242)', { card_number: '4242' }, 'card_number', 'This card number is not valid.'],
    ['20 digits', { card_number: '41111111111111111113' }, 'card_number', 'This card number is not valid.'],
    ['empty number', { card_number: '' }, 'card_number', 'Enter the card number.'],
    ['expiry month 13', { expiry: '13/30' }, 'expiry', 'Enter the expiry date as MM/YY.'],
    ['expiry month 00', { expiry: '00/30' }, 'expiry', 'Enter the expiry date as MM/YY.'],
    ['expiry MM/YYYY', { expiry: '12/2030' }, 'expiry', 'Enter the expiry date as MM/YY.'],
    ['empty expiry', { expiry: '' }, 'expiry', 'Enter the expiry date as MM/YY.'],
    ['past expiry', { expiry: PAST }, 'expiry', 'This card has expired.'],
    ['CVV of 2 digits', { cvv: '12' }, 'cvv', 'The CVV is 3 or 4 digits.'],
    ['CVV of 5 digits', { cvv: '12345' }, 'cvv', 'The CVV is 3 or 4 digits.'],
    ['CVV of letters', { cvv: 'abc' }, 'cvv', 'The CVV is 3 or 4 digits.'],
    ['empty holder name', { holder_name: '' }, 'holder_name', 'Enter the name on the card.'],
    ['blank holder name', { holder_name: '   ' }, 'holder_name', 'Enter the name on the card.'],
    ['holder name of 101 characters', { holder_name: 'x'.repeat(101) }, 'holder_name', 'The name is at most 100 characters.'],
  ]
  const fields = ['card_number', 'expiry', 'cvv', 'holder_name']
  for (const [name, change, field, message] of cases) {
    const res = await pay(app, paymentId, card('4111111111111111', change))
    t.equal(res.statusCode, 200, name)
    t.equal(res.headers['content-type'], HTML, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
    t.match(res.body, '<p class="alert" role="alert">Please correct the highlighted fields.</p>', name)
    t.match(res.body, `<p class="error" id="f-${field}-error">${message}</p>`, name)
    // The field in error is marked, points at its message and takes the focus (no JavaScript needed).
    t.match(res.body, new RegExp(`<input id="f-${field}" name="${field}"[^>]* aria-invalid="true" aria-describedby="f-${field}-error" autofocus>`), name)
    t.equal(res.body.split(' autofocus').length - 1, 1, `${name}: one field has the focus`)
    for (const other of fields.filter((f) => f !== field)) {
      t.notMatch(res.body, new RegExp(`<input id="f-${other}"[^>]*aria-invalid`), `${name}: ${other} is not marked`)
    }
    // The CVV is never echoed back; what the holder typed elsewhere is. Emptied, it says why,
    // unless it is the field in error (its error says what to type).
    if (field === 'cvv') {
      t.match(res.body, '<input id="f-cvv" name="cvv" autocomplete="cc-csc" value="" required inputmode="numeric" maxlength="4" type="password" aria-invalid="true" aria-describedby="f-cvv-error" autofocus>\n<p class="error" id="f-cvv-error">The CVV is 3 or 4 digits.</p></div>', name)
      t.notMatch(res.body, 'f-cvv-note', `${name}: no note besides the error`)
    } else {
      t.match(res.body, '<input id="f-cvv" name="cvv" autocomplete="cc-csc" value="" required inputmode="numeric" maxlength="4" type="password" aria-describedby="f-cvv-note">\n<p class="note" id="f-cvv-note">For your security, enter the CVV again.</p></div>', name)
    }
    t.notMatch(res.body, 'value="123"', `${name}: the CVV typed is not in the page`)
  }
  const v = await verify(app, { order_id: orderId })
  t.equal(v.json.result.payment_status, 'PENDING')
  t.equal(v.json.result.transaction_id, null)
  t.same(await admin(app, orderId), before, 'the stored payment is exactly as before')
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200, 'the form is still there')
})

t.test('several errors at once are each shown; the first takes the focus; the typed values come back', async (t) => {
  const app = await build(t)
  const { paymentId } = await checkout(app)
  const res = await pay(app, paymentId, { action: 'pay', card_number: '4111 1111 1111 1112', expiry: PAST, cvv: '1', holder_name: '' })
  t.equal(res.statusCode, 200)
  for (const field of ['card_number', 'expiry', 'cvv', 'holder_name']) t.match(res.body, `aria-invalid="true" aria-describedby="f-${field}-error"`, field)
  t.match(res.body, 'name="card_number" autocomplete="cc-number" value="4111 1111 1111 1112"')
  t.match(res.body, `name="expiry" autocomplete="cc-exp" value="${PAST}"`)
  t.match(res.body, 'name="holder_name" autocomplete="cc-name" value="" required maxlength="100" spellcheck="false" dir="auto" aria-invalid="true" aria-describedby="f-holder_name-error">')

  // The focus goes to the first field in the form's order that is in error, and only there.
  const focus: Array<[Record<string, string>, string]> = [
    [{ card_number: '', expiry: '', cvv: '', holder_name: '' }, 'card_number'],
    [{ expiry: PAST, holder_name: '' }, 'expiry'],
    [{ cvv: '12', holder_name: '' }, 'cvv'],
    [{ holder_name: ' ' }, 'holder_name'],
  ]
  for (const [change, first] of focus) {
    const body = (await pay(app, paymentId, card('4111111111111111', change))).body
    const focused = [...body.matchAll(/<input id="f-([a-z_]+)"[^>]* autofocus>/g)].map((m) => m[1])
    t.same(focused, [first], `${Object.keys(change).join(', ')}: ${first} has the focus`)
  }

  const none = await pay(app, paymentId, { action: 'pay' })
  t.equal(none.statusCode, 200, 'a pay with nothing filled in: the form, every field in error')
  for (const message of ['Enter the card number.', 'Enter the expiry date as MM/YY.', 'The CVV is 3 or 4 digits.', 'Enter the name on the card.']) t.match(none.body, `>${message}</p>`)
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200, 'still payable')
})

t.test('no pay or cancel action, or a body that is not a form → 303 back to the page, nothing changed (CONTRACT §6.3)', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const before = await admin(app, orderId)
  const valid = new URLSearchParams(card('4111111111111111')).toString()
  // [name, content-type (none: no header), body]
  const cases: Array<[string, string | undefined, string]> = [
    ['an empty form', FORM, ''],
    ['the card fields without an action', FORM, new URLSearchParams({ card_number: '4111111111111111', expiry: FUTURE, cvv: '123', holder_name: 'x' }).toString()],
    ['action=refund', FORM, 'action=refund'],
    ['action=PAY (actions are exact)', FORM, valid.replace('action=pay', 'action=PAY')],
    ['action=Cancel', FORM, 'action=Cancel'],
    ['an empty action', FORM, 'action='],
    ['the 3-D Secure page\'s approve', FORM, 'action=approve'],
    ['a valid card as text/plain', 'text/plain', valid],
    ['cancel as text/plain', 'text/plain', 'action=cancel'],
    ['JSON without an action', 'application/json', JSON.stringify({ card_number: '4111111111111111' })],
    ['JSON with another action', 'application/json', JSON.stringify({ action: 'refund' })],
    ['a JSON array', 'application/json', '["pay"]'],
    ['JSON null', 'application/json', 'null'],
    ['XML', 'application/xml', '<action>cancel</action>'],
    ['multipart (not read)', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="action"\r\n\r\ncancel\r\n--x--\r\n'],
    ['no content type, no body', undefined, ''],
  ]
  for (const [name, type, payload] of cases) {
    const res = await app.inject({ method: 'POST', url: `${PAGE}?paymentID=${paymentId}`, headers: type === undefined ? {} : { 'content-type': type }, payload })
    t.equal(res.statusCode, 303, name)
    t.equal(res.headers.location, `${PAGE}?paymentID=${paymentId}`, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
    t.equal(res.body, '', `${name}: no JSON error, no body`)
  }
  t.same(await admin(app, orderId), before, 'the stored payment is exactly as before')
  t.equal((await verify(app, { order_id: orderId })).json.result.payment_status, 'PENDING')
  const form = await page(app, PAGE, paymentId)
  t.equal(form.statusCode, 200, 'the page a browser lands on: the form')
  t.notMatch(form.body, 'role="alert"', 'without errors')
})

t.test('valid input: spaces and dashes in the number, the current month, a 4-digit CVV', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  const now = new Date()
  const thisMonth = `${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCFullYear() % 100).padStart(2, '0')}`
  const cases: Array<[string, Record<string, string>]> = [
    ['spaces', card('4111 1111 1111 1111')],
    ['dashes', card('4111-1111-1111-1111')],
    ['expiring this month (valid through its last day)', card('4111111111111111', { expiry: thisMonth })],
    ['4-digit CVV', card('4111111111111111', { cvv: '1234' })],
    ['spaces around the expiry', card('4111111111111111', { expiry: ` ${FUTURE} ` })],
  ]
  for (const [name, fields] of cases) {
    const { paymentId } = await checkout(app)
    const res = await pay(app, paymentId, fields)
    t.equal(res.statusCode, 303, name)
    t.match(res.headers.location, `${SUCCESS_URL}?transaction_id=`, name)
  }
})

t.test('save_token: the form tells the card holder the card will be saved, in the page\'s language; without it, nothing (CONTRACT §6.6)', async (t) => {
  const app = await build(t)
  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['English', { save_token: true }, '<p class="saved"><bdi>Demo Merchant</bdi> will save this card for future payments (credit cards only).</p>'],
    ['Arabic', { save_token: true, language: 'ar' }, '<p class="saved">سيحفظ <bdi>Demo Merchant</bdi> هذه البطاقة للمدفوعات القادمة (بطاقات الائتمان فقط).</p>'],
    ['save_token false', { save_token: false }, undefined],
    ['save_token null', { save_token: null }, undefined],
  ]
  for (const [name, extra, notice] of cases) {
    const { paymentId } = await checkout(app, extra)
    const html = (await page(app, PAGE, paymentId)).body
    if (notice === undefined) t.notMatch(html, 'save this card', `${name}: no notice`)
    else t.match(html, notice, `${name}: the notice`)
  }
})

t.test('HTML escaping: hostile merchant name, note, order_id, client and form values', async (t) => {
  const app = await build(t)
  const hostile = '<script>alert(1)</script>"\'&'
  const created = await app.inject({ method: 'POST', url: '/__admin/merchants', payload: { name: hostile } })
  t.equal(created.statusCode, 201)
  const apiKey = created.json().api_key as string
  const rtl = '\u202Egnp.exe'
  const note = `<img src=x onerror=alert(2)> "q" 'a' & ${rtl}`
  const orderId = `<b>ord</b>&"'${rtl}`
  const { paymentId } = await checkout(app, { note, order_id: orderId, client: { name: '<script>alert(3)</script>' }, save_token: true }, apiKey)
  const escaped = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

  const res = await page(app, PAGE, paymentId)
  t.equal(res.statusCode, 200)
  const html = res.body
  t.match(html, `<bdi>${escaped(hostile)}</bdi>`, 'merchant name escaped, isolated')
  t.match(html, `<title>Payment · ${escaped(hostile)}</title>`)
  t.match(html, `<bdi>${escaped(note)}</bdi>`, 'note escaped, isolated')
  t.match(html, `<bdi>${escaped(orderId)}</bdi>`, 'order_id escaped, isolated')
  t.match(html, `<p class="saved"><bdi>${escaped(hostile)}</bdi> will save this card for future payments (credit cards only).</p>`, 'the save-card notice: escaped too')
  for (const raw of [hostile, '<script>', '<img', '<b>ord', note, orderId, '<script>alert(3)</script>']) t.notMatch(html, raw, `no raw ${raw}`)
  // The right-to-left override appears only inside a <bdi>, never loose in the page.
  const loose = html.replace(/<bdi>[^<]*<\/bdi>/g, '')
  t.notMatch(loose, '\u202E', 'U+202E only inside <bdi>')

  // What the holder typed comes back escaped in value="…".
  const bad = await pay(app, paymentId, { action: 'pay', card_number: '"><script>alert(4)</script>', expiry: '"><x>', cvv: '1', holder_name: '"><script>alert(5)</script>' })
  t.equal(bad.statusCode, 200)
  t.notMatch(bad.body, /<script|"><x>/)
  t.match(bad.body, 'value="&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"')
  t.match(bad.body, 'value="&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;"')

  // The finished page echoes the same fields, escaped the same way.
  const done = await pay(app, paymentId, card('4000000000000002'))
  t.equal(done.statusCode, 303)
  const finished = (await page(app, PAGE, paymentId)).body
  t.match(finished, `<bdi>${escaped(hostile)}</bdi>`)
  t.match(finished, `<bdi>${escaped(orderId)}</bdi>`)
  for (const raw of [hostile, '<script>', '<img', '<b>ord']) t.notMatch(finished, raw)
})

t.test('double submit: one charge, the second post lands on the finished payment\'s result', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  const first = await pay(app, paymentId, card('4111111111111111'))
  t.equal(first.statusCode, 303)
  t.equal(first.headers.location, `/Pay/Success?paymentID=${paymentId}`)
  const paid = (await verify(app, { order_id: orderId })).json.result
  const tx = paid.transaction_id as string

  const second = await pay(app, paymentId, card('4000000000000002'))
  t.equal(second.statusCode, 303)
  t.equal(second.headers.location, `${PAGE}?paymentID=${paymentId}`)
  const shown = await page(app, PAGE, paymentId)
  t.equal(shown.statusCode, 200)
  t.equal(shown.headers['cache-control'], 'no-store')
  // The outcome's heading, then one list: the order, then the outcome's rows.
  t.match(shown.body, '<title>Payment successful</title>')
  t.match(shown.body, `<section class="card" aria-labelledby="result-title">
<h1 id="result-title" class="ok">Payment successful</h1>
<p>This payment is finished: it cannot be paid again.</p>
<p class="merchant">Merchant: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Status</dt><dd><strong>Paid</strong></dd><dt>Transaction</dt><dd><code>${tx}</code></dd><dt>Authorisation code</dt><dd><code>${paid.auth_code as string}</code></dd><dt>Response code</dt><dd><code>000</code> Transaction Successful - Approved</dd></dl>
<div class="buttons"><a class="button secondary" href="/pay/return?paymentID=${paymentId}">Return to the merchant</a></div>
</section>`)
  t.notMatch(shown.body, 'already finished', 'no more "already finished" heading')
  t.notMatch(shown.body, '<form', 'no form to pay again')

  const cancel = await pay(app, paymentId, { action: 'cancel' })
  t.equal(cancel.headers.location, `${PAGE}?paymentID=${paymentId}`, 'a late cancel changes nothing either')
  const after = await verify(app, { order_id: orderId })
  t.equal(after.json.result.transaction_id, tx, 'one transaction_id')
  t.equal(after.json.result.payment_status, 'SUCCESS')
  t.equal((await verify(app, { transaction_id: tx })).json.result.transaction_id, tx)
  const listed = await admin(app, orderId)
  t.same(listed.map((p) => [p.status, p.transaction_id, p.response_code]), [['SUCCESS', tx, '000']], 'one payment, one SUCCESS')
})

t.test('two concurrent posts: exactly one finishes the payment', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  for (let round = 0; round < 5; round++) {
    const { paymentId, orderId } = await checkout(app)
    const answers = await Promise.all([pay(app, paymentId, card('4111111111111111')), pay(app, paymentId, card('4000000000000002'))])
    t.same(answers.map((a) => a.statusCode), [303, 303])
    const outcomes = answers.filter((a) => String(a.headers.location).startsWith('https://'))
    t.equal(outcomes.length, 1, `round ${round}: one outcome`)
    t.equal(answers.filter((a) => a.headers.location === `${PAGE}?paymentID=${paymentId}`).length, 1, `round ${round}: the other sees the page`)
    const v = (await verify(app, { order_id: orderId })).json.result
    const expected = String(outcomes[0]?.headers.location).startsWith(SUCCESS_URL) ? 'SUCCESS' : 'FAILURE'
    t.equal(v.payment_status, expected, 'verify agrees with the redirect')
    t.match(outcomes[0]?.headers.location, `transaction_id=${v.transaction_id as string}&`)
  }
})

t.test('pay after cancel: already finished, nothing charged', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app)
  t.equal((await pay(app, paymentId, { action: 'cancel' })).statusCode, 303)
  const again = await pay(app, paymentId, card('4111111111111111'))
  t.equal(again.statusCode, 303)
  t.equal(again.headers.location, `${PAGE}?paymentID=${paymentId}`)
  const shown = (await page(app, PAGE, paymentId)).body
  const v = (await verify(app, { order_id: orderId })).json.result
  t.same([v.payment_status, v.description, v.auth_code, v.card_type, v.last_4_digits], ['FAILURE', 'Cancelled by the card holder', null, null, null])
  t.match(shown, `<h1 id="result-title" class="ko">Payment failed</h1>
<p>This payment is finished: it cannot be paid again.</p>`)
  t.match(shown, `<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Status</dt><dd><strong>Not paid</strong></dd><dt>Transaction</dt><dd><code>${v.transaction_id as string}</code></dd><dt>Response code</dt><dd><code>100</code> Cancelled by the card holder</dd></dl>`)
  t.notMatch(shown, 'Authorisation code', 'no authorisation code without a success')
})

t.test('a finished payment\'s page by outcome, English and Arabic: heading, Status row, the description in the page\'s language', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  // [how, status, response_code, the API's description (English), the Arabic page's]
  const cases: Array<[string, 'SUCCESS' | 'FAILURE', string, string, string]> = [
    ['4111111111111111', 'SUCCESS', '000', 'Transaction Successful - Approved', 'تمت العملية بنجاح - مقبولة'],
    ['4000000000000002', 'FAILURE', '005', 'Transaction Declined - Do not honour', 'رُفضت العملية - عدم الوفاء'],
    ['4000000000009995', 'FAILURE', '051', 'Transaction Declined - Insufficient funds', 'رُفضت العملية - رصيد غير كافٍ'],
    ['4000000000000069', 'FAILURE', '054', 'Transaction Declined - Expired card', 'رُفضت العملية - بطاقة منتهية الصلاحية'],
    ['cancel', 'FAILURE', '100', 'Cancelled by the card holder', 'ألغاها حامل البطاقة'],
    ['3-D Secure fail', 'FAILURE', '101', 'Authentication failed', 'فشل التحقق'],
    ['3-D Secure approve', 'SUCCESS', '000', 'Transaction Successful - Approved', 'تمت العملية بنجاح - مقبولة'],
  ]
  for (const language of ['en', 'ar'] as const) {
    for (const [how, status, code, description, arabic] of cases) {
      const name = `${language} ${how}`
      const { paymentId, orderId } = await checkout(app, { language })
      let res
      if (how === 'cancel') {
        res = await pay(app, paymentId, { action: 'cancel' })
      } else if (how.startsWith('3-D Secure')) {
        await pay(app, paymentId, card('4000000000003220'))
        res = await submit(app, '/pay/3ds', paymentId, { action: how.endsWith('approve') ? 'approve' : 'fail' })
      } else {
        res = await pay(app, paymentId, card(how))
      }
      const v = (await verify(app, { order_id: orderId })).json.result
      t.equal(v.description, description, `${name}: verify's description stays English`)
      t.match(res.headers.location, `&description=${encodeURIComponent(description)}`, `${name}: so does the redirect's`)

      const html = (await page(app, PAGE, paymentId)).body
      const ok = status === 'SUCCESS'
      const tx = v.transaction_id as string
      const expected = language === 'en'
        ? `<h1 id="result-title" class="${ok ? 'ok' : 'ko'}">${ok ? 'Payment successful' : 'Payment failed'}</h1>
<p>This payment is finished: it cannot be paid again.</p>
<p class="merchant">Merchant: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Status</dt><dd><strong>${ok ? 'Paid' : 'Not paid'}</strong></dd><dt>Transaction</dt><dd><code>${tx}</code></dd>${ok ? `<dt>Authorisation code</dt><dd><code>${v.auth_code as string}</code></dd>` : ''}<dt>Response code</dt><dd><code>${code}</code> ${description}</dd></dl>
<div class="buttons"><a class="button secondary" href="/pay/return?paymentID=${paymentId}">Return to the merchant</a></div>`
        : `<h1 id="result-title" class="${ok ? 'ok' : 'ko'}">${ok ? 'تمت عملية الدفع بنجاح' : 'لم تتم عملية الدفع'}</h1>
<p>انتهت هذه العملية: لا يمكن الدفع مرة أخرى.</p>
<p class="merchant">التاجر: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>الطلب</dt><dd><bdi>${orderId}</bdi></dd><dt>الحالة</dt><dd><strong>${ok ? 'مدفوعة' : 'غير مدفوعة'}</strong></dd><dt>رقم العملية</dt><dd><code>${tx}</code></dd>${ok ? `<dt>رمز التفويض</dt><dd><code>${v.auth_code as string}</code></dd>` : ''}<dt>رمز الاستجابة</dt><dd><code>${code}</code> ${arabic}</dd></dl>
<div class="buttons"><a class="button secondary" href="/pay/return?paymentID=${paymentId}">العودة إلى التاجر</a></div>`
      t.match(html, expected, name)
      if (language === 'ar') t.notMatch(html, description, `${name}: no English description on the Arabic page`)
      t.notMatch(html, '<form', `${name}: no form`)
    }
  }
})

t.test('expiry after CHECKOUT_TTL (CONTRACT §6.2): page says so, FAILURE 102, no charge', async (t) => {
  const app = await build(t, { CHECKOUT_TTL: 1 })
  const { paymentId, orderId } = await checkout(app)
  const unseen = await checkout(app)
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200, 'fresh: the form')
  await new Promise((resolve) => setTimeout(resolve, 1100))

  const res = await page(app, PAGE, paymentId)
  t.equal(res.statusCode, 200)
  const v = (await verify(app, { order_id: orderId })).json.result
  t.match(res.body, `<h1 id="result-title" class="ko">This payment page has expired</h1>
<p>Ask the merchant for a new payment link.</p>
<p class="merchant">Merchant: <bdi>Demo Merchant</bdi></p>
<p class="amount"><bdi dir="ltr">123.10 QAR</bdi></p>
<dl><dt>Order</dt><dd><bdi>${orderId}</bdi></dd><dt>Status</dt><dd><strong>Not paid</strong></dd><dt>Transaction</dt><dd><code>${v.transaction_id as string}</code></dd><dt>Response code</dt><dd><code>102</code> Payment page expired</dd></dl>`)
  t.notMatch(res.body, '<form')
  t.same([v.payment_status, v.description, v.auth_code, v.card_type], ['FAILURE', 'Payment page expired', null, null])
  t.match(v.transaction_id, /^[0-9]{12}$/)
  t.same((await admin(app, orderId)).map((p) => p.response_code), ['102'])

  const late = await pay(app, paymentId, card('4111111111111111'))
  t.equal(late.statusCode, 303)
  t.equal(late.headers.location, `${PAGE}?paymentID=${paymentId}`, 'no outcome for a late pay')
  const still = (await verify(app, { order_id: orderId })).json.result
  t.same(still, v, 'nothing charged: verify unchanged')

  // A page nobody opened expires too: a post straight away finds it expired, no charge.
  const direct = await pay(app, unseen.paymentId, card('4111111111111111'))
  t.equal(direct.headers.location, `${PAGE}?paymentID=${unseen.paymentId}`)
  const u = (await verify(app, { order_id: unseen.orderId })).json.result
  t.same([u.payment_status, u.description], ['FAILURE', 'Payment page expired'])
})

t.test('expiry through /__admin complete {"outcome":"expired"}: the same page', async (t) => {
  const app = await build(t)
  const { paymentId, orderId } = await checkout(app, { language: 'ar' })
  const done = await app.inject({ method: 'POST', url: `/__admin/payments/${paymentId}/complete`, payload: { outcome: 'expired' } })
  t.equal(done.statusCode, 200)
  const res = await page(app, PAGE, paymentId)
  const tx = done.json().payment.transaction_id as string
  // The Arabic page says it in Arabic; the API keeps Fatora's English description.
  t.match(res.body, `<h1 id="result-title" class="ko">انتهت صلاحية صفحة الدفع هذه</h1>
<p>اطلب من التاجر رابط دفع جديدًا.</p>`)
  t.match(res.body, `<dl><dt>الطلب</dt><dd><bdi>${orderId}</bdi></dd><dt>الحالة</dt><dd><strong>غير مدفوعة</strong></dd><dt>رقم العملية</dt><dd><code>${tx}</code></dd><dt>رمز الاستجابة</dt><dd><code>102</code> انتهت صلاحية صفحة الدفع</dd></dl>`)
  t.notMatch(res.body, 'Payment page expired')
  t.equal((await pay(app, paymentId, card('4111111111111111'))).headers.location, `${PAGE}?paymentID=${paymentId}`)
  t.equal((await verify(app, { order_id: orderId })).json.result.description, 'Payment page expired')
})

t.test('unknown or malformed paymentID: an HTML 404 on every page', async (t) => {
  const app = await build(t)
  const { paymentId } = await checkout(app)
  const queries: Array<[string, string]> = [
    ['unknown', '?paymentID=ZZZZZZZZZZZZZZZZZZZZZZ'],
    ['lower case', `?paymentID=${paymentId.toLowerCase()}`],
    ['21 characters', `?paymentID=${paymentId.slice(1)}`],
    ['23 characters', `?paymentID=${paymentId}A`],
    ['punctuation', `?paymentID=${paymentId.slice(2)}%3C%3E`],
    ['empty', '?paymentID='],
    ['missing', ''],
    ['parameter name in another case', `?paymentid=${paymentId}`],
  ]
  for (const path of [PAGE, '/pay/3ds', '/Pay/Success', '/pay/return']) {
    for (const [name, query] of queries) {
      const res = await app.inject({ url: path + query })
      t.equal(res.statusCode, 404, `GET ${path} ${name}`)
      t.equal(res.headers['content-type'], HTML, `GET ${path} ${name}`)
      t.match(res.body, '<h1 id="nf-title">Payment not found</h1>', `GET ${path} ${name}`)
    }
  }
  for (const [path, action] of [[PAGE, 'cancel'], ['/pay/3ds', 'approve']]) {
    for (const [name, query] of queries) {
      const res = await app.inject({ method: 'POST', url: `${path ?? ''}${query}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `action=${action ?? ''}` })
      t.equal(res.statusCode, 404, `POST ${path} ${name}`)
      t.equal(res.headers['content-type'], HTML, `POST ${path} ${name}`)
    }
  }
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200, 'the real one still answers')
})

t.test('wrong method on the page → 405 envelope with Allow (CONTRACT §1)', async (t) => {
  const app = await build(t)
  const { paymentId } = await checkout(app)
  for (const method of ['DELETE', 'PUT', 'PATCH'] as const) {
    const res = await app.inject({ method, url: `${PAGE}?paymentID=${paymentId}` })
    t.equal(res.statusCode, 405, method)
    t.equal(res.headers.allow, 'GET, HEAD, POST', method)
    t.same(res.json(), { status: 'FAILURE', error: { error_code: '405', description: `Method ${method} not allowed; this route allows GET, HEAD, POST` } }, method)
  }
  const success = await app.inject({ method: 'POST', url: `/Pay/Success?paymentID=${paymentId}` })
  t.equal(success.statusCode, 405)
  t.equal(success.headers.allow, 'GET, HEAD')
  t.equal((await page(app, PAGE, paymentId)).statusCode, 200, 'the payment is untouched')
})

t.test('without merchant URLs the form only posts to the mock, and a cancel lands on the page', async (t) => {
  const app = await build(t)
  const { paymentId } = await checkout(app, { success_url: undefined, failure_url: undefined })
  const res = await page(app, PAGE, paymentId)
  t.match(String(res.headers['content-security-policy']), /; form-action 'self';/)
  const cancelled = await submit(app, PAGE, paymentId, { action: 'cancel' })
  t.equal(cancelled.headers.location, `${PAGE}?paymentID=${paymentId}`)
})

t.test('browsers and WebViews: HTML-only Accept headers and a charset on the form are fine', async (t) => {
  const app = await build(t, { SUCCESS_PAGE_MS: 0 })
  const { paymentId } = await checkout(app)
  // /v1 answers 406 to an Accept without JSON (CONTRACT §1); the pages are HTML and must not.
  for (const accept of ['text/html', 'text/html,application/xhtml+xml,application/xml;q=0.9', 'application/xhtml+xml']) {
    const res = await app.inject({ url: `${PAGE}?paymentID=${paymentId}`, headers: { accept } })
    t.equal(res.statusCode, 200, accept)
    t.equal(res.headers['content-type'], HTML, accept)
  }
  const res = await app.inject({
    method: 'POST',
    url: `${PAGE}?paymentID=${paymentId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', accept: 'text/html', origin: 'null' },
    payload: new URLSearchParams(card('4111111111111111')).toString(),
  })
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /^https:\/\/merchant\.example\/success\?transaction_id=/)
})
