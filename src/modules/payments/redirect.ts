// The redirect back to the merchant (CONTRACT §6.3 Decision): the result in the query string,
// appended to the merchant's own URL with ? or & (its own query kept), every value URL-encoded.
import type { PaymentRow } from './store.js'

export type RedirectParamNames = 'default' | 'legacy'

/** The parameters, in order; `legacy` uses the older gateway's names. */
export function redirectParams (row: PaymentRow, names: RedirectParamNames): Array<[string, string]> {
  const params: Array<[string, string]> = []
  const transactionId = row.transactionId ?? ''
  if (names === 'legacy') {
    params.push(['transid', transactionId], ['orderId', row.orderId], ['mode', 'test'])
    if (row.status === 'FAILURE') params.push(['Failerdescription', row.description ?? ''])
  } else {
    params.push(['transaction_id', transactionId], ['order_id', row.orderId], ['mode', 'test'],
      ['response_code', row.responseCode ?? ''], ['description', row.description ?? ''])
  }
  if (row.cardToken !== null) params.push(['card_token', row.cardToken])
  return params
}

/** `url` with the parameters appended (percent-encoding; a space is %20, never +). */
export function withParams (url: string, params: ReadonlyArray<readonly [string, string]>): string {
  const hash = url.indexOf('#')
  const base = hash === -1 ? url : url.slice(0, hash)
  const fragment = hash === -1 ? '' : url.slice(hash)
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const joiner = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${joiner}${query}${fragment}`
}

/** The merchant URL a finished payment sends the browser to, or undefined when checkout gave none. */
export function merchantRedirect (row: PaymentRow, names: RedirectParamNames): string | undefined {
  const url = row.status === 'SUCCESS' ? row.successUrl : row.failureUrl
  return url === null ? undefined : withParams(url, redirectParams(row, names))
}
