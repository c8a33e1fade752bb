// A tiny shop backend, as your own would sit beside fatora-mock in docker-compose: it starts a
// payment with checkout and, when the card holder's browser comes back, asks verify for the
// result (CONTRACT §6.2–6.4). No dependencies: Node 20's http and fetch.
//
//   GET  /                      303 to a new payment's checkout_url (open it in a browser)
//   POST /checkout              {amount?, currency?, order_id?} → {order_id, checkout_url}
//   GET  /payment/success?…     the success_url: verify → {outcome, verify}
//   GET  /payment/failure?…     the failure_url: verify → {outcome, verify}
//   GET  /health                200 {"status":"ok"}
//
// FATORA_BASE_URL is where this backend reaches the mock (http://fatora-mock:3000 in compose);
// SHOP_PUBLIC_URL is where a browser reaches this backend (its success_url and failure_url).
import { createServer } from 'node:http'

const FATORA = (process.env.FATORA_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '')
const API_KEY = process.env.FATORA_API_KEY ?? 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'
const PORT = Number(process.env.PORT ?? 8080)
const PUBLIC = (process.env.SHOP_PUBLIC_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, '')

/**
 * A payment API call; its status and JSON body.
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<{ status: number, body: any }>} any: whatever the mock answered
 */
async function fatora (path, body) {
  const res = await fetch(FATORA + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', api_key: API_KEY },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

let orders = 0
/**
 * Starts a payment; the order id is ours and unique per run.
 * @param {{ amount?: number, currency?: string, order_id?: string }} input
 */
async function checkout (input) {
  const orderId = input.order_id ?? `shop-${Date.now()}-${++orders}`
  const res = await fatora('/v1/payments/checkout', {
    amount: input.amount ?? 25.5,
    currency: input.currency ?? 'QAR',
    order_id: orderId,
    client: { name: 'Compose Shopper', email: 'shopper@example.com' },
    success_url: `${PUBLIC}/payment/success`,
    failure_url: `${PUBLIC}/payment/failure`,
  })
  return { status: res.status, body: res.status === 200 ? { order_id: orderId, checkout_url: res.body.result.checkout_url } : res.body }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

/** @param {import('node:http').IncomingMessage} req */
async function readJson (req) {
  let text = ''
  for await (const chunk of req) text += chunk
  return text === '' ? {} : JSON.parse(text)
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', PUBLIC)
  const route = `${req.method} ${url.pathname}`
  ;(async () => {
    if (route === 'GET /health') return json(res, 200, { status: 'ok' })
    if (route === 'GET /') {
      const started = await checkout({})
      if (started.status !== 200) return json(res, 502, started.body)
      res.writeHead(303, { location: started.body.checkout_url })
      return res.end()
    }
    if (route === 'POST /checkout') {
      const started = await checkout(await readJson(req))
      return json(res, started.status === 200 ? 200 : 502, started.body)
    }
    if (route === 'GET /payment/success' || route === 'GET /payment/failure') {
      // Never trust the redirect's own words: the payment's state is what verify says.
      const q = url.searchParams
      const ids = { transaction_id: q.get('transaction_id') ?? undefined, order_id: q.get('order_id') ?? undefined }
      const verified = await fatora('/v1/payments/verify', ids)
      return json(res, verified.status === 200 ? 200 : 502, { outcome: url.pathname.slice('/payment/'.length), verify: verified.body })
    }
    json(res, 404, { error: `no route ${route}` })
  })().catch((/** @type {Error} */ err) => json(res, 500, { error: err.message }))
})
server.listen(PORT, '0.0.0.0', () => console.log(`shop backend on :${PORT} (public ${PUBLIC}), fatora at ${FATORA}`))
// PID 1 in a container: close on SIGTERM so `docker stop` is prompt.
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.on(signal, () => server.close(() => process.exit(0)))
