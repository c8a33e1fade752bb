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

/**
 * verify's full result (CONTRACT §6.4): every key, with the literal values of a checkout by this
 * helper paid with 4111 1111 1111 1111, and null for the ids and dates each payment has its own
 * of; `fields` name the order_id and replace any other value. Defaults are literal, never read from src/.
 */
export const paymentResult = ({ order_id: orderId, ...fields }: { order_id: unknown } & Record<string, unknown>): Record<string, unknown> => ({
  order_id: orderId,
  transaction_id: null,
  amount: 123.1,
  currency: 'QAR',
  client: { name: 'client', email: 'client@example.com', phone: '+974 77777777', note: null },
  note: null,
  payment_date: null,
  payment_status: 'SUCCESS',
  mode: 'test',
  auth_code: null,
  description: 'Transaction Successful - Approved',
  card_token: null,
  card_type: 'VISA',
  last_4_digits: '1111',
  type: 'checkout',
  exchange_details: null,
  transfer_details: null,
  refund_details: null,
  refund_transaction_id: null,
  ...fields,
})

/** verify's result for merchant 1's fixture payment, unrefunded (fixtures/default.json; Fatora's verify sample). */
export const DEMO_FIXTURE_RESULT: Readonly<Record<string, unknown>> = Object.freeze(paymentResult({
  order_id: '123456789',
  transaction_id: '123456789',
  note: 'some additional info',
  payment_date: '2025-01-01T10:21:04Z',
  auth_code: 'A1B2C3',
}))

/** verify's result for merchant 2's fixture payment, unrefunded (fixtures/default.json). */
export const SECOND_FIXTURE_RESULT: Readonly<Record<string, unknown>> = Object.freeze(paymentResult({
  order_id: 'ORDER-2048',
  transaction_id: '204820482048',
  amount: 250,
  client: { name: 'Second Merchant Client', email: 'second.client@example.com', phone: '+974 4000 2048', note: null },
  note: 'Belongs to merchant 2 only',
  payment_date: '2025-01-02T09:30:00Z',
  auth_code: 'Z9Y8X7',
  card_type: 'MASTERCARD',
  last_4_digits: '4444',
}))

/**
 * A payment as GET /__admin/payments and /__admin/…/complete show it (CONTRACT §6.3): every key,
 * with the literal values of checkout `c` by this helper (merchant 1) paid with
 * 4111 1111 1111 1111, and null for the ids and dates each payment has its own of; `fields`
 * replace any of them.
 */
export const adminPayment = (c: Checkout, fields: Record<string, unknown>): Record<string, unknown> => ({
  payment_id: c.paymentId,
  merchant_id: 1,
  checkout_url: c.checkoutUrl,
  status: 'SUCCESS',
  stage: 'done',
  type: 'checkout',
  order_id: c.orderId,
  amount: 123.1,
  currency: 'QAR',
  client: { name: 'client', email: 'client@example.com', phone: '+974 77777777' },
  language: 'en',
  success_url: SUCCESS_URL,
  failure_url: FAILURE_URL,
  fcm_token: null,
  save_token: false,
  note: null,
  transaction_id: null,
  response_code: '000',
  description: 'Transaction Successful - Approved',
  payment_date: null,
  auth_code: null,
  card_type: 'VISA',
  last_4_digits: '1111',
  card_token: null,
  refund_status: null,
  refund_date: null,
  refund_transaction_id: null,
  created_at: null,
  expires_at: null,
  ...fields,
})
