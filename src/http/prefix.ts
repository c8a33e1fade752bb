// Where Fatora's API lives: every family's routes are registered under this prefix
// (https://api.fatora.io/v1/...; some of Fatora's refund samples write /api/v1, which we do not serve).
export const V1_PREFIX = '/v1'

/** The mock's own test API (CONTRACT §5): not Fatora's, so it never shares Fatora's prefix. */
export const ADMIN_PREFIX = '/__admin'

/** True for a URL (path with optional query) under /v1. */
export function isV1Url (url: string): boolean {
  return url.startsWith(`${V1_PREFIX}/`) || url === V1_PREFIX || url.startsWith(`${V1_PREFIX}?`)
}
