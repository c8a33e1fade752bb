// Helpers of the hosted-page tests (CONTRACT §6.2–6.4): a checkout, the page's forms as a browser
// posts them, verify. Everything goes through the real app; contract strings stay in the tests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { DEMO_KEY } from '../../helper.js'

export const HTML = 'text/html; charset=utf-8'
export const FORM = 'application/x-www-form-urlencoded'
export const PAGE = '/pay/MCPaymentPage'
export const SUCCESS_URL = 'https://merchant.example/success'
export const FAILURE_URL = 'https://merchant.example/failure'

/** An expiry a few years ahead and one already past, as MM/YY. */
export const FUTURE = `12/${String((new Date().getUTCFullYear() + 5) % 100).padStart(2, '0')}`
export const PAST = '01/20'

/** A complete, valid card form; `card_number` decides the outcome. */
export const card = (number: string, extra: Record<string, string> = {}): Record<string, string> =>
  ({ action: 'pay', card_number: number, expiry: FUTURE, cvv: '123', holder_name: 'Card Holder', ...extra })

let orders = 0
/** An order_id no other test in the file uses. */
export const newOrder = (prefix = 'ORD'): string => `${prefix}-${process.pid}-${++orders}`

export interface Checkout { paymentId: string, orderId: string, checkoutUrl: string }

/** POST /v1/payments/checkout with a valid body plus `body`; the paymentID from checkout_url. */
export async function checkout (app: FastifyInstance, body: Record<string, unknown> = {}, apiKey = DEMO_KEY): Promise<Checkout> {
  const orderId = typeof body.order_id === 'string' ? body.order_id : newOrder()
  const res = await app.inject({
    method: 'POST',
    url: '/v1/payments/checkout',
    headers: { api_key: apiKey },
    payload: { amount: 123.1, currency: 'QAR', order_id: orderId, client: { name: 'client', email: 'client@example.com', phone: '+974 77777777' }, success_url: SUCCESS_URL, failure_url: FAILURE_URL, ...body },
  })
  if (res.statusCode !== 200) throw new Error(`checkout answered ${res.statusCode}: ${res.body}`)
  const checkoutUrl = (res.json() as { result: { checkout_url: string } }).result.checkout_url
  const paymentId = new URL(checkoutUrl).searchParams.get('paymentID')
  if (paymentId === null) throw new Error(`no paymentID in ${checkoutUrl}`)
  return { paymentId, orderId, checkoutUrl }
}

/** A form post, as a browser sends it. */
export async function submit (app: FastifyInstance, path: string, paymentId: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return await app.inject({
    method: 'POST',
    url: `${path}?paymentID=${paymentId}`,
    headers: { 'content-type': FORM },
    payload: new URLSearchParams(fields).toString(),
  })
}

export const pay = async (app: FastifyInstance, paymentId: string, fields: Record<string, string>): Promise<LightMyRequestResponse> =>
  await submit(app, PAGE, paymentId, fields)

export const page = async (app: FastifyInstance, path: string, paymentId: string): Promise<LightMyRequestResponse> =>
  await app.inject({ url: `${path}?paymentID=${paymentId}` })

/** POST /v1/payments/verify; the result (or the envelope when not 200). */
export async function verify (app: FastifyInstance, ids: Record<string, string>, apiKey = DEMO_KEY): Promise<{ status: number, json: any }> {
  const res = await app.inject({ method: 'POST', url: '/v1/payments/verify', headers: { api_key: apiKey }, payload: ids })
  return { status: res.statusCode, json: res.json() }
}

/** Location's query parameters, each decoded with decodeURIComponent (not URLSearchParams, which reads + as a space). */
export function rawParams (location: string): Array<[string, string]> {
  const query = location.split('#')[0]?.split('?').slice(1).join('?') ?? ''
  return query.split('&').filter((p) => p !== '').map((p) => {
    const [k = '', v = ''] = p.split('=')
    return [decodeURIComponent(k), decodeURIComponent(v)]
  })
}

/** The default redirect parameters of a finished payment (CONTRACT §6.3), in order. */
export const defaultParams = (transactionId: string, orderId: string, code: string, description: string): Array<[string, string]> =>
  [['transaction_id', transactionId], ['order_id', orderId], ['mode', 'test'], ['response_code', code], ['description', description]]

/** The verify result's fields a page outcome decides. */
export const outcomeOf = (r: any): object => ({ payment_status: r.payment_status, description: r.description })
