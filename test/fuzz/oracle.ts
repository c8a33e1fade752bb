// What a correct answer is (checkResponse): a well-formed HTTP/1.1 response, never a 5xx; a 2xx
// in the route's success shape; anything else a 4xx envelope whose error_code is its status.
import { decodedPath, methodOf, targetOf, type FuzzRequest, type RawResponse } from './wire.js'

/** What the run remembers across cases: the last few requests. */
export interface FuzzState {
  /** The last requests answered (one line each), for reports: the server keeps state across cases. */
  history: string[]
}

export function newState (): FuzzState {
  return { history: [] }
}

const STATUS_LINE = /^HTTP\/1\.[01] [1-5]\d\d [\x20-\x7e]*$/
const HEADER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const LEAK = /\n\s+at\s|node_modules|\/work\/|\/src\/|\.ts:\d|sqlite|SELECT |INSERT |TypeError|RangeError/i

function isObject (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
function hasExactKeys (v: Record<string, unknown>, keys: string[]): boolean {
  const own = Object.keys(v)
  return own.length === keys.length && keys.every((k) => Object.hasOwn(v, k))
}
const nullableString = (v: unknown): boolean => v === null || typeof v === 'string'

function clientProblem (c: unknown): string | undefined {
  if (!isObject(c) || !hasExactKeys(c, ['id', 'name', 'address', 'phone', 'email', 'note', 'notes'])) return 'client is not {id, name, address, phone, email, note, notes}'
  if (!Number.isSafeInteger(c.id) || (c.id as number) < 1) return 'client.id is not a positive integer'
  if (typeof c.name !== 'string') return 'client.name is not a string'
  if (![c.address, c.phone, c.email, c.note, c.notes].every(nullableString)) return 'an optional client field is neither a string nor null'
  if (c.note !== c.notes) return 'client.note and client.notes differ'
  return undefined
}

const PRODUCT_KEYS = ['id', 'name', 'price', 'sku', 'image', 'description', 'language', 'currency', 'status', 'category', 'setting']
const SETTING_KEYS = ['is_public', 'is_limited', 'is_cashier', 'max_count', 'max_order']
const nullableInteger = (v: unknown): boolean => v === null || Number.isSafeInteger(v)

function productProblem (p: unknown): string | undefined {
  if (!isObject(p) || !hasExactKeys(p, PRODUCT_KEYS)) return `product is not {${PRODUCT_KEYS.join(', ')}}`
  if (!Number.isSafeInteger(p.id) || (p.id as number) < 1) return 'product.id is not a positive integer'
  if (typeof p.name !== 'string' || typeof p.status !== 'string' || typeof p.currency !== 'string') return 'product.name, status or currency is not a string'
  if (typeof p.price !== 'number' || p.price < 0 || !/^[0-9]+(\.[0-9]{1,3})?$/.test(String(p.price))) return 'product.price is not a number ≥ 0 with at most 3 decimals'
  if (p.language !== 'en' && p.language !== 'ar') return 'product.language is not en or ar'
  if (![p.sku, p.image, p.description, p.category].every(nullableString)) return 'an optional product field is neither a string nor null'
  const s = p.setting
  if (!isObject(s) || !hasExactKeys(s, SETTING_KEYS)) return `product.setting is not {${SETTING_KEYS.join(', ')}}`
  if (![s.is_public, s.is_limited, s.is_cashier].every((b) => typeof b === 'boolean') || !nullableInteger(s.max_count) || !nullableInteger(s.max_order)) return 'a product.setting field has the wrong type'
  return undefined
}

// CONTRACT §7: an invoice has every field, null for nothing; amounts exact (at most 3 decimals);
// dates ISO 8601 UTC to the second.
const INVOICE_KEYS = ['id', 'number', 'type', 'title', 'description', 'amount', 'currency', 'status', 'date', 'due_date', 'terms_conditions', 'note', 'client', 'items', 'payments', 'setting']
const INVOICE_CLIENT_KEYS = ['name', 'email', 'phone', 'address']
const INVOICE_ITEM_KEYS = ['product_id', 'description', 'qty', 'amount', 'type']
const INVOICE_PAYMENT_KEYS = ['payment_date', 'transaction_id', 'amount', 'note', 'payment_type', 'status']
const INVOICE_SETTING_KEYS = ['tax', 'discount', 'discount_type', 'language', 'accepted_payment_methods']
const UTC_SECOND = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/
const isUtcSecond = (v: unknown): boolean => typeof v === 'string' && UTC_SECOND.test(v) && !Number.isNaN(Date.parse(v))
const isExact = (v: unknown): boolean => typeof v === 'number' && v >= 0 && /^[0-9]+(\.[0-9]{1,3})?$/.test(String(v))
const nullableExact = (v: unknown): boolean => v === null || isExact(v)

function invoiceProblem (inv: unknown): string | undefined {
  if (!isObject(inv) || !hasExactKeys(inv, INVOICE_KEYS)) return `invoice is not {${INVOICE_KEYS.join(', ')}}`
  if (!Number.isSafeInteger(inv.id) || (inv.id as number) < 1) return 'invoice.id is not a positive integer'
  if (typeof inv.number !== 'string' || inv.number === '' || typeof inv.status !== 'string' || typeof inv.currency !== 'string') return 'invoice.number, status or currency is not a string'
  if (inv.type !== 'quick' && inv.type !== 'detailed') return 'invoice.type is not quick or detailed'
  if (!isExact(inv.amount) || (inv.amount as number) > 999999999.999) return 'invoice.amount is not a number from 0 with at most 3 decimals'
  if (!isUtcSecond(inv.date) || !(inv.due_date === null || isUtcSecond(inv.due_date))) return 'invoice.date or due_date is not ISO 8601 UTC to the second'
  if (![inv.title, inv.description, inv.terms_conditions, inv.note].every(nullableString)) return 'an optional invoice field is neither a string nor null'
  const c = inv.client
  if (!isObject(c) || !hasExactKeys(c, INVOICE_CLIENT_KEYS) || !INVOICE_CLIENT_KEYS.every((k) => nullableString(c[k]))) return `invoice.client is not {${INVOICE_CLIENT_KEYS.join(', ')}} of strings or null`
  if (!Array.isArray(inv.items) || !Array.isArray(inv.payments)) return 'invoice.items or payments is not an array'
  for (const item of inv.items as unknown[]) {
    if (!isObject(item) || !hasExactKeys(item, INVOICE_ITEM_KEYS)) return `an invoice item is not {${INVOICE_ITEM_KEYS.join(', ')}}`
    if (!(item.product_id === null || (Number.isSafeInteger(item.product_id) && (item.product_id as number) > 0))) return 'an item\'s product_id is neither a positive integer nor null'
    if (!isExact(item.qty) || item.qty === 0 || !isExact(item.amount)) return 'an item\'s qty or amount is not an exact number'
    if (!nullableString(item.description) || !nullableString(item.type)) return 'an item\'s description or type is neither a string nor null'
  }
  for (const p of inv.payments as unknown[]) {
    if (!isObject(p) || !hasExactKeys(p, INVOICE_PAYMENT_KEYS)) return `an invoice payment is not {${INVOICE_PAYMENT_KEYS.join(', ')}}`
    if (!(p.payment_date === null || isUtcSecond(p.payment_date)) || !nullableExact(p.amount)) return 'a payment\'s payment_date or amount has the wrong form'
    if (![p.transaction_id, p.note, p.payment_type, p.status].every(nullableString)) return 'a payment\'s text field is neither a string nor null'
  }
  const s = inv.setting
  if (!isObject(s) || !hasExactKeys(s, INVOICE_SETTING_KEYS)) return `invoice.setting is not {${INVOICE_SETTING_KEYS.join(', ')}}`
  if (!nullableExact(s.tax) || (typeof s.tax === 'number' && s.tax > 100) || !nullableExact(s.discount)) return 'invoice.setting.tax or discount is not an exact number or null'
  if (!(s.discount_type === null || s.discount_type === 'fixed' || s.discount_type === 'percentage')) return 'invoice.setting.discount_type is not fixed, percentage or null'
  if (s.language !== 'en' && s.language !== 'ar') return 'invoice.setting.language is not en or ar'
  if (!Array.isArray(s.accepted_payment_methods) || !s.accepted_payment_methods.every((m) => typeof m === 'string' && m !== '')) return 'invoice.setting.accepted_payment_methods is not an array of strings'
  return undefined
}

function parseJson (body: string): { ok: true, value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(body, 'latin1').toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

function successProblem (r: FuzzRequest, res: RawResponse, path: string): string | undefined {
  const method = methodOf(r)
  if (method === 'HEAD') return res.body === '' ? undefined : 'a HEAD response with a body'
  if (res.status === 204) return res.body === '' ? undefined : '204 with a body'
  if (!/^application\/json/i.test(res.headers['content-type'] ?? '')) return `a ${res.status} whose Content-Type is not JSON`
  const parsed = parseJson(res.body)
  if (!parsed.ok) return `a ${res.status} whose body is not JSON`
  const v = parsed.value
  if (path.startsWith('/__admin/')) return isObject(v) && v.status !== 'FAILURE' ? undefined : 'an /__admin success body that is not a JSON object'
  if (path === '/health') return res.status === 200 && isObject(v) && hasExactKeys(v, ['status']) && v.status === 'ok' ? undefined : '/health success is not {"status":"ok"}'
  if (path === '/v1/Authorization/Authorize') {
    return res.status === 200 && isObject(v) && hasExactKeys(v, ['success', 'bearer_token']) && v.success === true && typeof v.bearer_token === 'string' && JWT.test(v.bearer_token)
      ? undefined
      : 'Authorize success is not 200 {"success":true,"bearer_token":<JWT>}'
  }
  if (!isObject(v) || v.status !== 'SUCCESS') return 'a /v1 success body without "status":"SUCCESS"'
  if (path === '/v1/clients' || path === '/v1/clients/') {
    if (method === 'POST') return res.status === 201 && hasExactKeys(v, ['status', 'client']) ? clientProblem(v.client) : 'create is not 201 {status, client}'
    if (res.status !== 200 || !hasExactKeys(v, ['status', 'clients', 'page', 'page_size', 'total']) || !Array.isArray(v.clients)) return 'list is not 200 {status, clients, page, page_size, total}'
    const { page, page_size: size, total } = v
    if (!Number.isInteger(page) || (page as number) < 1 || !Number.isInteger(size) || (size as number) < 1 || (size as number) > 100 || !Number.isInteger(total) || (total as number) < 0) return 'list page, page_size or total out of range'
    if (v.clients.length > (size as number)) return 'list has more clients than page_size'
    for (const c of v.clients) { const p = clientProblem(c); if (p !== undefined) return p }
    return undefined
  }
  if (/^\/v1\/clients\/[^/]+$/.test(path)) {
    if (res.status !== 200 || !hasExactKeys(v, ['status', 'client'])) return 'get/update is not 200 {status, client}'
    return clientProblem(v.client)
  }
  if (path === '/v1/products' || path === '/v1/products/') {
    if (method === 'POST') return res.status === 201 && hasExactKeys(v, ['status', 'product']) ? productProblem(v.product) : 'create is not 201 {status, product}'
    if (res.status !== 200 || !hasExactKeys(v, ['status', 'products', 'page', 'page_size', 'total']) || !Array.isArray(v.products)) return 'list is not 200 {status, products, page, page_size, total}'
    const { page, page_size: size, total } = v
    if (!Number.isInteger(page) || (page as number) < 1 || !Number.isInteger(size) || (size as number) < 1 || (size as number) > 100 || !Number.isInteger(total) || (total as number) < 0) return 'list page, page_size or total out of range'
    if (v.products.length > (size as number)) return 'list has more products than page_size'
    for (const p of v.products) { const problem = productProblem(p); if (problem !== undefined) return problem }
    return undefined
  }
  if (/^\/v1\/products\/[^/]+$/.test(path)) {
    if (res.status !== 200 || !hasExactKeys(v, ['status', 'product'])) return 'get/update is not 200 {status, product}'
    return productProblem(v.product)
  }
  if (path === '/v1/invoices' || path === '/v1/invoices/') {
    if (method === 'POST') return res.status === 201 && hasExactKeys(v, ['status', 'invoice']) ? invoiceProblem(v.invoice) : 'create is not 201 {status, invoice}'
    if (res.status !== 200 || !hasExactKeys(v, ['status', 'invoices', 'page', 'page_size', 'total']) || !Array.isArray(v.invoices)) return 'list is not 200 {status, invoices, page, page_size, total}'
    const { page, page_size: size, total } = v
    if (!Number.isInteger(page) || (page as number) < 1 || !Number.isInteger(size) || (size as number) < 1 || (size as number) > 100 || !Number.isInteger(total) || (total as number) < 0) return 'list page, page_size or total out of range'
    if (v.invoices.length > (size as number)) return 'list has more invoices than page_size'
    for (const inv of v.invoices) { const problem = invoiceProblem(inv); if (problem !== undefined) return problem }
    return undefined
  }
  if (/^\/v1\/invoices\/[^/]+$/.test(path)) {
    if (res.status !== 200 || !hasExactKeys(v, ['status', 'invoice'])) return 'get/update is not 200 {status, invoice}'
    return invoiceProblem(v.invoice)
  }
  if (path === '/v1/payments/checkout') {
    const result = v.result
    return res.status === 200 && hasExactKeys(v, ['status', 'result']) && isObject(result) && hasExactKeys(result, ['checkout_url']) && typeof result.checkout_url === 'string' && /\/pay\/MCPaymentPage\?paymentID=[A-Z0-9]{22}$/.test(result.checkout_url)
      ? undefined
      : 'checkout is not 200 {status, result: {checkout_url}}'
  }
  if (path === '/v1/payments/refund' || path === '/api/v1/payments/refund') {
    const result = v.result
    return res.status === 200 && hasExactKeys(v, ['status', 'result']) && isObject(result) && hasExactKeys(result, ['refund_status', 'refund_transaction_id']) &&
      (result.refund_status === 'completed' || result.refund_status === 'pending') && typeof result.refund_transaction_id === 'string' && /^[0-9]{12}$/.test(result.refund_transaction_id)
      ? undefined
      : 'refund is not 200 {status, result: {refund_status, refund_transaction_id}}'
  }
  if (path === '/v1/payments/deactivate-token') {
    const result = v.result
    return res.status === 200 && hasExactKeys(v, ['status', 'result']) && isObject(result) && hasExactKeys(result, ['card_token', 'token_status']) && result.token_status === 'inactive'
      ? undefined
      : 'deactivate-token is not 200 {status, result: {card_token, token_status: inactive}}'
  }
  if (path === '/v1/payments/verify' || path === '/v1/payments/collect-payment') {
    return res.status === 200 && hasExactKeys(v, ['status', 'result']) && isObject(v.result) && hasExactKeys(v.result, PAYMENT_RESULT_KEYS)
      ? undefined
      : `${path} is not 200 {status, result} with every PaymentResult field`
  }
  return `a ${res.status} for ${JSON.stringify(path)}, which is no route`
}

const PAGE_PATHS = new Set(['/pay/MCPaymentPage', '/pay/3ds', '/Pay/Success', '/pay/return'])

// CONTRACT §6.4: every field present, null for nothing.
const PAYMENT_RESULT_KEYS = ['order_id', 'transaction_id', 'amount', 'currency', 'client', 'note', 'payment_date', 'payment_status', 'mode', 'auth_code',
  'description', 'card_token', 'card_type', 'last_4_digits', 'type', 'exchange_details', 'transfer_details', 'refund_details', 'refund_transaction_id']

/**
 * The invariant: a well-formed HTTP/1.1 response, never a 5xx; a 2xx has the route's
 * success shape; any other answer is a 4xx with the envelope whose error_code is the status —
 * except Authorize's own 401/403 {"status":"ERROR","error":…}, bodiless HEAD answers, GET / (a
 * redirect to Swagger UI) and Swagger UI under /documentation (well-formed and not 5xx is all
 * that is asked there). Returns what is
 * wrong, or undefined. `state` carries the tolerated known bugs (see FuzzState).
 */
export function checkResponse (request: FuzzRequest, res: RawResponse, state?: FuzzState): string | undefined {
  if (!STATUS_LINE.test(res.statusLine)) return `malformed status line ${JSON.stringify(res.statusLine)}`
  const badLine = res.headerLines.find((line) => !HEADER_LINE.test(line))
  if (badLine !== undefined) return `malformed header line ${JSON.stringify(badLine)}`
  const h = res.headers
  if (h['content-length'] !== undefined && h['transfer-encoding'] !== undefined) return 'both Content-Length and Transfer-Encoding'
  if (h['content-length'] !== undefined && !/^\d+$/.test(h['content-length'])) return `bad Content-Length ${JSON.stringify(h['content-length'])}`
  const path = decodedPath(targetOf(request))

  if (res.status >= 500) return `a ${res.status} (server error)`
  if (res.status < 200 || res.status === 101) return `a final ${res.status} response`

  // Swagger UI (HTML/JS/CSS, redirects): only well-formed and not 5xx.
  if (path.startsWith('/documentation') || targetOf(request).startsWith('/documentation')) return undefined

  // The hosted payment pages (CONTRACT §6.3) answer people in HTML: a page, a 303 or an HTML 404.
  if (PAGE_PATHS.has(path)) {
    const html = /^text\/html; charset=utf-8$/i.test(h['content-type'] ?? '')
    const head = methodOf(request) === 'HEAD'
    if (res.status === 200 || res.status === 404) {
      if (html && (head || res.body.startsWith('<!doctype html>'))) return undefined
      if (res.status === 200) return 'a page that is not an HTML document'
    }
    if (res.status === 303) return h.location !== undefined && h.location !== '' ? undefined : 'a 303 without a Location'
  }
  if (res.status < 300) return successProblem(request, res, path)
  // GET / and HEAD / (CONTRACT §8): an empty 302 to Swagger UI.
  if (path === '/' && res.status === 302) return h.location === '/documentation' && res.body === '' ? undefined : 'a 302 from / that is not an empty redirect to /documentation'
  if (res.status < 400) return `a ${res.status} redirect outside /documentation`

  if (methodOf(request) === 'HEAD' && res.body === '') return undefined
  if (!/^application\/json/i.test(h['content-type'] ?? '')) return `a ${res.status} whose Content-Type is ${JSON.stringify(h['content-type'] ?? null)}, not JSON`
  const parsed = parseJson(res.body)
  if (!parsed.ok) return `a ${res.status} whose body is not JSON`
  const v = parsed.value
  if (path === '/v1/Authorization/Authorize' && (res.status === 401 || res.status === 403) && isObject(v) && v.status === 'ERROR') {
    return hasExactKeys(v, ['status', 'error']) && typeof v.error === 'string' && v.error !== '' ? undefined : 'Authorize error is not {"status":"ERROR","error":"…"}'
  }
  if (!isObject(v) || !hasExactKeys(v, ['status', 'error']) || v.status !== 'FAILURE' || !isObject(v.error) || !hasExactKeys(v.error, ['error_code', 'description'])) {
    return `a ${res.status} whose body is not the envelope {"status":"FAILURE","error":{"error_code","description"}}`
  }
  if (v.error.error_code !== String(res.status)) return `error_code ${JSON.stringify(v.error.error_code)} is not the HTTP status ${res.status}`
  if (typeof v.error.description !== 'string' || v.error.description === '') return 'empty or non-string description'
  if (LEAK.test(v.error.description)) return `the description leaks internals: ${JSON.stringify(v.error.description)}`
  // RFC 9110 §15.5.6: every 405 names the allowed methods (CONNECT's raw answer included).
  if (res.status === 405 && (h.allow === undefined || h.allow === '')) return '405 without an Allow header'
  return undefined
}
