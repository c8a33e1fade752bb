// Where Fatora's API lives: every family's routes are registered under this prefix
// (https://api.fatora.io/v1/...).
export const V1_PREFIX = '/v1'

/** Fatora's refund samples write /api/v1 (CONTRACT §6.5): the routes a family also serves there. */
export const API_V1_PREFIX = '/api/v1'

/** The mock's own test API (CONTRACT §5): not Fatora's, so it never shares Fatora's prefix. */
export const ADMIN_PREFIX = '/__admin'

const under = (url: string, prefix: string): boolean => url.startsWith(`${prefix}/`) || url === prefix || url.startsWith(`${prefix}?`)

/** True for a URL (path with optional query) of Fatora's API: under /v1 (or /api/v1). */
export function isV1Url (url: string): boolean {
  return under(url, V1_PREFIX) || under(url, API_V1_PREFIX)
}
