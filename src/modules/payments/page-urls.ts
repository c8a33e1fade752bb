// The hosted pages' URLs (CONTRACT §6.2, §6.3): paths are Fatora's; the origin is PUBLIC_URL when
// set (the host a browser uses), else the request's own scheme and Host.
import type { FastifyRequest } from 'fastify'

export const PAGE_PATHS = {
  /** Fatora's path of its hosted payment page. */
  payment: '/pay/MCPaymentPage',
  /** Fatora's success page, which WebView code watches for. */
  success: '/Pay/Success',
  /** The mock bank's 3-D Secure step (ours). */
  threeDs: '/pay/3ds',
  /** A 303 to the merchant's URL with the result (ours): the interstitial's and the result pages' way back. */
  back: '/pay/return',
} as const

export const pagePath = (path: string, paymentId: string): string => `${path}?paymentID=${paymentId}`

/** The path of PUBLIC_URL without its trailing slash ('' for none): pages link below it. */
export const pathPrefix = (publicUrl: string | undefined): string => publicUrl === undefined ? '' : new URL(publicUrl).pathname.replace(/\/+$/, '')

/** The base of absolute page URLs: PUBLIC_URL (without a trailing slash), else the request's origin. */
export function baseUrl (publicUrl: string | undefined, request: Pick<FastifyRequest, 'protocol' | 'host'>): string {
  return publicUrl !== undefined ? publicUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host}`
}

export function checkoutUrl (publicUrl: string | undefined, request: Pick<FastifyRequest, 'protocol' | 'host'>, paymentId: string): string {
  return baseUrl(publicUrl, request) + pagePath(PAGE_PATHS.payment, paymentId)
}
