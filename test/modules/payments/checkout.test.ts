// Checkout and verify (CONTRACT §6.1, §6.2, §6.4): full bodies, every error, tenancy, exact
// amounts, unique ids, and Fatora's own curl sample as pasted.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { connect } from 'node:net'
import { build, DEMO_KEY, failure, INACTIVE_KEY, listen, SECOND_KEY } from '../../helper.js'
import { DEMO_FIXTURE_RESULT, paymentResult } from './pages-helper.js'

interface Answer { status: number, json: any, headers: Record<string, unknown> }

async function post (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = { api_key: DEMO_KEY }): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json(), headers: res.headers }
}

const CHECKOUT = { amount: 123.1, currency: 'QAR', order_id: 'order-1', client: { name: 'client' } }
const paymentIdOf = (checkoutUrl: string): string => new URL(checkoutUrl).searchParams.get('paymentID') as string

async function checkout (app: FastifyInstance, body: object = CHECKOUT, key = DEMO_KEY): Promise<string> {
  const res = await post(app, '/v1/payments/checkout', body, { api_key: key })
  if (res.status !== 200) throw new Error(`checkout answered ${res.status}: ${JSON.stringify(res.json)}`)
  return paymentIdOf(res.json.result.checkout_url)
}

async function pay (app: FastifyInstance, paymentId: string, card = '4111111111111111'): Promise<Answer> {
  return await post(app, `/__admin/payments/${paymentId}/complete`, { card }, {})
}

t.test('checkout: 200 with a checkout_url on the request host, a PENDING payment stored', async (t) => {
  const app = await build(t)
  const res = await post(app, '/v1/payments/checkout', CHECKOUT)
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.same(Object.keys(res.json), ['status', 'result'])
  t.equal(res.json.status, 'SUCCESS')
  t.same(Object.keys(res.json.result), ['checkout_url'])
  t.match(res.json.result.checkout_url, /^http:\/\/localhost:80\/pay\/MCPaymentPage\?paymentID=[A-Z0-9]{22}$/)

  const verify = await post(app, '/v1/payments/verify', { order_id: 'order-1' })
  t.same(verify.json, {
    status: 'SUCCESS',
    result: paymentResult({
      order_id: 'order-1',
      client: { name: 'client', email: null, phone: null, note: null },
      payment_status: 'PENDING',
      description: null,
      card_type: null,
      last_4_digits: null,
    }),
  }, 'a PENDING payment: every field present, null for nothing')
})

t.test('checkout: the origin is PUBLIC_URL when set (a trailing slash or a path prefix kept right)', async (t) => {
  for (const [publicUrl, origin] of [
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['https://mock.example/fatora', 'https://mock.example/fatora'],
  ] as const) {
    const app = await build(t, { PUBLIC_URL: publicUrl })
    const res = await post(app, '/v1/payments/checkout', CHECKOUT)
    t.match(res.json.result.checkout_url, new RegExp(`^${origin.replace(/[./]/g, '\\$&')}/pay/MCPaymentPage\\?paymentID=[A-Z0-9]{22}$`), publicUrl)
  }
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/payments/checkout', headers: { api_key: DEMO_KEY, host: 'fatora-mock:3000' }, payload: CHECKOUT })
  t.match(res.json().result.checkout_url, /^http:\/\/fatora-mock:3000\/pay\/MCPaymentPage\?paymentID=/, "else the request's own Host")
})

t.test("checkout: Fatora's curl sample, pasted byte for byte over a socket (host changed)", async (t) => {
  const { port } = await listen(t)
  // From fatora.io/api/standardCheckout.php, as its page reads: two spaces after "api_key:", and
  // the sample e-mail as the page shows it without JavaScript.
  const body = `{
"amount":123.100,
"currency":"QAR",
"order_id":"123456",
"client" : {
    "name" : "client",
    "phone" : "+974 77777777",
    "email" : "[email\u00a0protected]"
},
"language":"en",
"success_url" : "http://domain.com/payments/success",
"failure_url" : "http://domain.com/payments/failure",
"fcm_token" : "XXXXXXXXX",
"save_token" : true,
"note": "some additional info"
}`
  const request = `POST /v1/payments/checkout HTTP/1.1\r\nHost: localhost:${port}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nContent-Type: application/json\r\napi_key:  E4B73FEE-F492-4607-A38D-852B0EBC91C9\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(request) })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { text += chunk })
    socket.on('end', () => { resolve(text) })
    socket.on('error', reject)
  })
  t.match(raw, /^HTTP\/1\.1 200 OK\r\n/)
  const json = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))
  t.match(json, { status: 'SUCCESS', result: { checkout_url: new RegExp(`^http://localhost:${port}/pay/MCPaymentPage\\?paymentID=[A-Z0-9]{22}$`) } })
  // The same sample with a real address works too.
  const app = await build(t)
  const res = await post(app, '/v1/payments/checkout', { ...JSON.parse(body), client: { name: 'client', phone: '+974 77777777', email: 'client@example.com' } })
  t.equal(res.status, 200)
})

t.test('checkout: amounts are exact, stored and returned as numbers', async (t) => {
  const app = await build(t)
  for (const [amount, expected] of [
    [123.1, 123.1], [123.100, 123.1], [0.3, 0.3], [0.001, 0.001], [1, 1],
    [999999999.999, 999999999.999], [12.345, 12.345], [100.01, 100.01],
  ] as const) {
    const id = `amount-${amount}`
    await checkout(app, { ...CHECKOUT, amount, order_id: id })
    const verify = await post(app, '/v1/payments/verify', { order_id: id })
    t.equal(verify.json.result.amount, expected, `${amount} → ${expected}`)
  }
  // A JSON body with more digits than a double keeps is read as that double first: 0.30000000000000004 has 17 decimals.
  const drift = await post(app, '/v1/payments/checkout', { ...CHECKOUT, amount: 0.1 + 0.2 })
  t.same(drift.json, failure(400, 'Invalid body field amount: must be a number greater than 0 with at most 3 decimals, up to 999999999.999'), '0.1 + 0.2 is refused, never rounded silently')
})

t.test('checkout: a bad body is a 400 naming the field', async (t) => {
  const app = await build(t)
  const amount = 'Invalid body field amount: must be a number greater than 0 with at most 3 decimals, up to 999999999.999'
  const url = (field: string): string => `Invalid body field ${field}: must be an absolute http or https URL with a host name or IPv4 address, of at most 2048 characters`
  const cases: Array<[string, unknown, string]> = [
    ['no body', undefined, 'Invalid body: expected a JSON object'],
    ['an array', [], 'Invalid body: expected a JSON object'],
    ['amount missing', { ...CHECKOUT, amount: undefined }, 'Invalid body: amount is required'],
    ['amount a string', { ...CHECKOUT, amount: '123.1' }, amount],
    ['amount 0', { ...CHECKOUT, amount: 0 }, amount],
    ['amount negative', { ...CHECKOUT, amount: -5 }, amount],
    ['amount 4 decimals', { ...CHECKOUT, amount: 1.0001 }, amount],
    ['amount too large', { ...CHECKOUT, amount: 1000000000 }, amount],
    ['amount tiny', { ...CHECKOUT, amount: 1e-7 }, amount],
    ['amount null', { ...CHECKOUT, amount: null }, amount],
    ['currency missing', { ...CHECKOUT, currency: undefined }, 'Invalid body: currency is required'],
    ['currency lower-case', { ...CHECKOUT, currency: 'qar' }, 'Invalid body field currency: must be one of QAR, USD, EUR, GBP, SAR, AED, KWD, BHD, OMR, JOD, EGP'],
    ['currency unknown', { ...CHECKOUT, currency: 'XYZ' }, 'Invalid body field currency: must be one of QAR, USD, EUR, GBP, SAR, AED, KWD, BHD, OMR, JOD, EGP'],
    ['currency a number', { ...CHECKOUT, currency: 634 }, 'Invalid body field currency: must be a three-letter code'],
    ['order_id missing', { ...CHECKOUT, order_id: undefined }, 'Invalid body: order_id is required'],
    ['order_id empty', { ...CHECKOUT, order_id: '' }, 'Invalid body field order_id: must be a non-empty string of at most 100 characters'],
    ['order_id too long', { ...CHECKOUT, order_id: 'x'.repeat(101) }, 'Invalid body field order_id: must be a non-empty string of at most 100 characters'],
    ['order_id a number', { ...CHECKOUT, order_id: 123456 }, 'Invalid body field order_id: must be a non-empty string of at most 100 characters'],
    ['client missing', { ...CHECKOUT, client: undefined }, 'Invalid body: client is required'],
    ['client a string', { ...CHECKOUT, client: 'client' }, 'Invalid body field client: must be an object with a name'],
    ['client.name missing', { ...CHECKOUT, client: {} }, 'Invalid body: client.name is required'],
    ['client.name empty', { ...CHECKOUT, client: { name: '' } }, 'Invalid body field client.name: must be a non-empty string of at most 200 characters'],
    ['client.email invalid', { ...CHECKOUT, client: { name: 'a', email: 'not-an-email' } }, 'Invalid body field client.email: must be a valid e-mail address'],
    ['client.phone a number', { ...CHECKOUT, client: { name: 'a', phone: 97477777777 } }, 'Invalid body field client.phone: must be a string of at most 50 characters'],
    ['language fr', { ...CHECKOUT, language: 'fr' }, 'Invalid body field language: must be en or ar'],
    ['success_url relative', { ...CHECKOUT, success_url: '/payments/success' }, url('success_url')],
    ['success_url ftp', { ...CHECKOUT, success_url: 'ftp://domain.com/x' }, url('success_url')],
    ['success_url javascript:', { ...CHECKOUT, success_url: 'javascript:alert(1)' }, url('success_url')],
    ['failure_url not a URL', { ...CHECKOUT, failure_url: 'http://' }, url('failure_url')],
    ['failure_url a number', { ...CHECKOUT, failure_url: 5 }, url('failure_url')],
    ['save_token a string', { ...CHECKOUT, save_token: 'true' }, 'Invalid body field save_token: must be true or false'],
    ['fcm_token empty', { ...CHECKOUT, fcm_token: '' }, 'Invalid body field fcm_token: must be a non-empty string of at most 4096 characters'],
    ['note too long', { ...CHECKOUT, note: 'n'.repeat(2001) }, 'Invalid body field note: must be a string of at most 2000 characters'],
  ]
  for (const [name, body, description] of cases) {
    const res = body === undefined
      ? await app.inject({ method: 'POST', url: '/v1/payments/checkout', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' } }).then((r) => ({ status: r.statusCode, json: r.json() }))
      : await post(app, '/v1/payments/checkout', body)
    t.same([res.status, res.json], [400, failure(400, description)], name)
  }
  const list = await app.inject({ method: 'GET', url: '/__admin/payments' })
  t.same(list.json().payments.filter((p: { status: string }) => p.status === 'PENDING'), [], 'no bad request stored anything')
})

t.test('checkout: optional fields, unknown fields ignored, note and client kept as given', async (t) => {
  const app = await build(t, { CURRENCIES: 'QAR,XTS' })
  const id = await checkout(app, {
    ...CHECKOUT,
    currency: 'XTS',
    order_id: 'full',
    client: { name: 'Ann', phone: '+974 77777777', email: 'ann@example.com', extra: 1 },
    language: 'ar',
    success_url: 'https://shop.example/ok?a=1',
    failure_url: 'https://shop.example/ko',
    fcm_token: 'fcm-1',
    save_token: true,
    note: 'some additional info',
    unknown_field: { anything: true },
  })
  const list = await app.inject({ method: 'GET', url: '/__admin/payments?order_id=full' })
  const [payment] = list.json().payments
  t.match(payment, {
    payment_id: id,
    merchant_id: 1,
    status: 'PENDING',
    stage: 'card',
    type: 'checkout',
    order_id: 'full',
    amount: 123.1,
    currency: 'XTS',
    client: { name: 'Ann', email: 'ann@example.com', phone: '+974 77777777' },
    language: 'ar',
    success_url: 'https://shop.example/ok?a=1',
    failure_url: 'https://shop.example/ko',
    fcm_token: 'fcm-1',
    save_token: true,
    note: 'some additional info',
    transaction_id: null,
  })
  const ttl = Date.parse(payment.expires_at) - Date.parse(payment.created_at)
  t.equal(ttl, 1800 * 1000, 'CHECKOUT_TTL: 30 minutes by default')
  const short = await build(t, { CHECKOUT_TTL: 60 })
  await checkout(short, { ...CHECKOUT, order_id: 'short' })
  const [p] = (await short.inject({ method: 'GET', url: '/__admin/payments?order_id=short' })).json().payments
  t.equal(Date.parse(p.expires_at) - Date.parse(p.created_at), 60_000, 'CHECKOUT_TTL=60')
})

t.test('checkout: paymentIDs and transaction_ids are unique', async (t) => {
  const app = await build(t)
  const ids = new Set<string>()
  const transactions = new Set<string>()
  for (let i = 0; i < 200; i++) {
    const id = await checkout(app, { ...CHECKOUT, order_id: `u-${i}` })
    ids.add(id)
    const done = await pay(app, id)
    transactions.add(done.json.payment.transaction_id)
  }
  t.equal(ids.size, 200)
  t.equal(transactions.size, 200)
  t.ok([...transactions].every((id) => /^[1-9][0-9]{11}$/.test(id)), 'transaction_id: 12 digits')
})

t.test('payment routes take api_key only (CONTRACT §6.1)', async (t) => {
  const app = await build(t)
  const token = (await app.inject({ method: 'POST', url: '/v1/Authorization/Authorize', headers: { api_key: DEMO_KEY } })).json().bearer_token as string
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['no credentials', {}, 401, 'Missing api_key header'],
    ['empty api_key', { api_key: '' }, 401, 'Empty api_key header'],
    ['unknown api_key', { api_key: 'nope' }, 401, "Merchant API key isn't valid"],
    ['inactive api_key', { api_key: INACTIVE_KEY }, 403, 'Merchant API key is inactive'],
    ['a valid bearer token alone', { authorization: `Bearer ${token}` }, 401, 'Payment routes take the api_key header, not a bearer token'],
    ['a forged bearer token alone', { authorization: 'Bearer a.b.c' }, 401, 'Payment routes take the api_key header, not a bearer token'],
  ]
  for (const url of ['/v1/payments/checkout', '/v1/payments/verify']) {
    for (const [name, headers, status, description] of cases) {
      const res = await post(app, url, url.endsWith('checkout') ? CHECKOUT : { order_id: '123456789' }, headers)
      t.same([res.status, res.json], [status, failure(status, description)], `${url}: ${name}`)
    }
  }
  const both = await post(app, '/v1/payments/verify', { order_id: '123456789' }, { api_key: DEMO_KEY, authorization: `Bearer ${token}` })
  t.equal(both.status, 200, 'api_key with a bearer token beside it: the key decides')
  const clients = await app.inject({ method: 'GET', url: '/v1/clients/1024', headers: { authorization: `Bearer ${token}` } })
  t.equal(clients.statusCode, 200, 'the client API still takes the bearer token')
})

t.test('payment routes: media types, methods and Prefer like every /v1 route', async (t) => {
  const app = await build(t)
  const xml = await app.inject({ method: 'POST', url: '/v1/payments/checkout', headers: { api_key: DEMO_KEY, 'content-type': 'application/xml' }, payload: '<a/>' })
  t.same([xml.statusCode, xml.json()], [415, failure(415, 'Unsupported Content-Type: send application/json or no Content-Type header')])
  const accept = await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: { api_key: DEMO_KEY, accept: 'application/xml' }, payload: { order_id: '1' } })
  t.equal(accept.statusCode, 406)
  const get = await app.inject({ method: 'GET', url: '/v1/payments/checkout', headers: { api_key: DEMO_KEY } })
  t.same([get.statusCode, get.headers.allow, get.json()], [405, 'POST', failure(405, 'Method GET not allowed; this route allows POST')])
  const prefer = await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: { api_key: DEMO_KEY, prefer: 'code=404' }, payload: { order_id: '123456789' } })
  t.same([prefer.statusCode, prefer.json()], [404, failure(404, 'The requested payment was not found')], 'Prefer: code=404 answers the documented 404')
})

t.test("verify: Fatora's sample ids answer 200 out of the box (the fixtures' payment)", async (t) => {
  const app = await build(t)
  const expected = { status: 'SUCCESS', result: DEMO_FIXTURE_RESULT }
  for (const body of [
    { transaction_id: '123456789', order_id: '123456789' },
    { transaction_id: '123456789' },
    { order_id: '123456789' },
    { transaction_id: 123456789, order_id: 123456789 },
    { transaction_id: '123456789', order_id: '123456789', extra: 'ignored' },
  ]) {
    const res = await post(app, '/v1/payments/verify', body)
    t.same([res.status, res.json], [200, expected], JSON.stringify(body))
  }
})

t.test('verify: 404 for unknown, mismatched or another merchant\'s; 400 without ids', async (t) => {
  const app = await build(t)
  const notFound = failure(404, 'The requested payment was not found')
  const cases: Array<[string, object, string, number, object]> = [
    ['unknown transaction_id', { transaction_id: '999' }, DEMO_KEY, 404, notFound],
    ['unknown order_id', { order_id: 'nope' }, DEMO_KEY, 404, notFound],
    ['ids of two different payments', { transaction_id: '123456789', order_id: 'other' }, DEMO_KEY, 404, notFound],
    ["another merchant's, by transaction_id", { transaction_id: '123456789' }, SECOND_KEY, 404, notFound],
    ["another merchant's, by order_id", { order_id: '123456789' }, SECOND_KEY, 404, notFound],
    ['neither id', {}, DEMO_KEY, 400, failure(400, 'Invalid body: send transaction_id, order_id or both')],
    ['empty transaction_id', { transaction_id: '' }, DEMO_KEY, 400, failure(400, 'Invalid body field transaction_id: must be a non-empty string (or a whole number) of at most 100 characters')],
    ['transaction_id an object', { transaction_id: {} }, DEMO_KEY, 400, failure(400, 'Invalid body field transaction_id: must be a non-empty string (or a whole number) of at most 100 characters')],
    ['order_id a fraction', { order_id: 1.5 }, DEMO_KEY, 400, failure(400, 'Invalid body field order_id: must be a non-empty string (or a whole number) of at most 100 characters')],
    ['order_id too long', { order_id: 'x'.repeat(101) }, DEMO_KEY, 400, failure(400, 'Invalid body field order_id: must be a non-empty string (or a whole number) of at most 100 characters')],
  ]
  for (const [name, body, key, status, expected] of cases) {
    const res = await post(app, '/v1/payments/verify', body, { api_key: key })
    t.same([res.status, res.json], [status, expected], name)
  }
})

t.test('verify: order_id alone answers the latest payment; a PENDING one only by order_id', async (t) => {
  const app = await build(t)
  const first = await checkout(app, { ...CHECKOUT, order_id: 'same' })
  const paid = (await pay(app, first)).json.payment
  const second = await checkout(app, { ...CHECKOUT, amount: 5, order_id: 'same' })
  const latest = await post(app, '/v1/payments/verify', { order_id: 'same' })
  t.same([latest.json.result.payment_status, latest.json.result.amount, latest.json.result.transaction_id], ['PENDING', 5, null], 'the newer, PENDING one')
  const byTransaction = await post(app, '/v1/payments/verify', { transaction_id: paid.transaction_id })
  t.same([byTransaction.json.result.payment_status, byTransaction.json.result.amount], ['SUCCESS', 123.1], 'the older one by its transaction_id')
  const both = await post(app, '/v1/payments/verify', { transaction_id: paid.transaction_id, order_id: 'same' })
  t.equal(both.json.result.transaction_id, paid.transaction_id)
  const declined = (await pay(app, second, '4000000000000002')).json.payment
  const after = await post(app, '/v1/payments/verify', { order_id: 'same' })
  t.match(after.json.result, {
    transaction_id: declined.transaction_id,
    payment_status: 'FAILURE',
    auth_code: null,
    description: 'Transaction Declined - Do not honour',
    card_type: 'VISA',
    last_4_digits: '0002',
  })
  t.match(after.json.result.payment_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'payment_date: ISO 8601 UTC to the second')
})

t.test('payments persist in the journal like every /v1 call', async (t) => {
  const app = await build(t)
  await checkout(app)
  const journal = (await app.inject({ method: 'GET', url: '/__admin/requests' })).json()
  const entry = journal.requests.find((r: { path?: string, url?: string }) => (r.path ?? r.url ?? '').startsWith('/v1/payments/checkout'))
  t.ok(entry, 'checkout is in the journal')
  t.notMatch(JSON.stringify(entry), DEMO_KEY, 'with api_key redacted')
})

t.test('checkout: null for an optional field means not sent (backends that send every key)', async (t) => {
  const app = await build(t)
  const res = await post(app, '/v1/payments/checkout', { ...CHECKOUT, order_id: 'nulls', client: { name: 'A', phone: null, email: null }, language: null, success_url: null, failure_url: null, fcm_token: null, save_token: null, note: null })
  t.equal(res.status, 200)
  const [p] = (await app.inject({ method: 'GET', url: '/__admin/payments?order_id=nulls' })).json().payments
  t.match(p, { language: 'en', success_url: null, failure_url: null, fcm_token: null, save_token: false, note: null, client: { name: 'A', phone: null, email: null } })
  const verify = await post(app, '/v1/payments/verify', { transaction_id: null, order_id: '123456789' })
  t.same([verify.status, verify.json.result.transaction_id], [200, '123456789'], 'verify: a null id is not sent')
  const neither = await post(app, '/v1/payments/verify', { transaction_id: null, order_id: null })
  t.same([neither.status, neither.json], [400, failure(400, 'Invalid body: send transaction_id, order_id or both')])
})

t.test('checkout: merchant URLs are kept normalised, so every redirect is a valid Location and CSP source', async (t) => {
  const app = await build(t)
  const url = 'Invalid body field success_url: must be an absolute http or https URL with a host name or IPv4 address, of at most 2048 characters'
  for (const [given, stored] of [
    ['https://merchant.example/مرحبا?x=ü', 'https://merchant.example/%D9%85%D8%B1%D8%AD%D8%A8%D8%A7?x=%C3%BC'],
    ['https://mérchant.example/ok', 'https://xn--mrchant-bya.example/ok'],
    ['http://127.0.0.1:8080/ok', 'http://127.0.0.1:8080/ok'],
    ['https://SHOP.example', 'https://shop.example/'],
  ] as const) {
    const id = await checkout(app, { ...CHECKOUT, order_id: `norm-${stored}`, success_url: given, failure_url: given })
    const [p] = (await app.inject({ method: 'GET', url: `/__admin/payments?order_id=${encodeURIComponent(`norm-${stored}`)}` })).json().payments
    t.equal(p.success_url, stored, given)
    const cancel = await app.inject({ method: 'POST', url: `/pay/MCPaymentPage?paymentID=${id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'action=cancel' })
    t.equal(cancel.statusCode, 303, `${given}: the redirect is sent`)
    t.ok(String(cancel.headers.location).startsWith(stored.replace(/\/$/, '')), `${given}: Location ${String(cancel.headers.location)}`)
  }
  for (const bad of ['http://[::1]:8080/ok', "http://a'b.example/", 'http://evil;sandbox/x', 'https://user:pw@shop.example/', 'https://shop.example/o\nk']) {
    const res = await post(app, '/v1/payments/checkout', { ...CHECKOUT, success_url: bad })
    t.same([res.status, res.json], [400, failure(400, url)], JSON.stringify(bad))
  }
})

t.test('PUBLIC_URL with a path: the pages link, post and redirect below it', async (t) => {
  const app = await build(t, { PUBLIC_URL: 'https://dev.example/fatora/' })
  const res = await post(app, '/v1/payments/checkout', { ...CHECKOUT, success_url: 'https://shop.example/ok' })
  const checkoutUrl = res.json.result.checkout_url as string
  const id = paymentIdOf(checkoutUrl)
  t.equal(checkoutUrl, `https://dev.example/fatora/pay/MCPaymentPage?paymentID=${id}`)
  // The proxy strips /fatora: the mock itself is asked at its own paths.
  const form = await app.inject({ url: `/pay/MCPaymentPage?paymentID=${id}` })
  t.match(form.body, `<form method="post" action="/fatora/pay/MCPaymentPage?paymentID=${id}" novalidate>`)
  const pay = await app.inject({ method: 'POST', url: `/pay/MCPaymentPage?paymentID=${id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'action=pay&card_number=4000000000003220&expiry=12%2F40&cvv=123&holder_name=A' })
  t.equal(pay.headers.location, `/fatora/pay/3ds?paymentID=${id}`)
  const threeDs = await app.inject({ url: `/pay/3ds?paymentID=${id}` })
  t.match(threeDs.body, `action="/fatora/pay/3ds?paymentID=${id}"`)
  const approve = await app.inject({ method: 'POST', url: `/pay/3ds?paymentID=${id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'action=approve' })
  t.equal(approve.headers.location, `/fatora/Pay/Success?paymentID=${id}`)
  const success = await app.inject({ url: `/Pay/Success?paymentID=${id}` })
  t.match(success.body, `<meta http-equiv="refresh" content="2;url=/fatora/pay/return?paymentID=${id}">`)
})
