// api_key or Authorization: Bearer → merchant (CONTRACT §1, §4): 401 when missing, empty,
// unknown, expired or forged; 403 when the key (or the key a token came from) is inactive.
// Sets request.merchantId for the routes. Never logs or echoes a key or a token.
import { ApiError, AuthorizeError } from '../http/errors.js'
import type { Gate } from '../http/gates.js'
import type { ApiKeyRecord, KeysStore } from '../modules/merchants/keys-store.js'
import { authMessages as messages } from './messages.js'
import { keyIdOf, type TokenService } from './tokens.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated merchant; set by the auth hook on every /v1 route. */
    merchantId: number
    /** The key's identifier for a new token (keyIdOf); set only on the Authorize route. */
    keyId: string
  }
  interface FastifyContextConfig {
    /** The route takes api_key only, never a bearer token (the payment routes, CONTRACT §6.1). */
    apiKeyOnly?: boolean
  }
}

const missing = new ApiError(401, messages.apiKeyMissing)
const empty = new ApiError(401, messages.apiKeyEmpty)
const invalid = new ApiError(401, messages.apiKeyInvalid)
const inactive = new ApiError(403, messages.apiKeyInactive)

// RFC 6750 §3: a refused bearer token says so in WWW-Authenticate.
const challenge = { 'www-authenticate': 'Bearer realm="fatora-mock"' }
const invalidTokenChallenge = { 'www-authenticate': 'Bearer realm="fatora-mock", error="invalid_token"' }
const unsupportedScheme = new ApiError(401, messages.bearerUnsupportedScheme, challenge)
const emptyToken = new ApiError(401, messages.bearerEmpty, challenge)
const invalidToken = new ApiError(401, messages.bearerInvalid, invalidTokenChallenge)
const expiredToken = new ApiError(401, messages.bearerExpired, invalidTokenChallenge)
const bearerNotForPayments = new ApiError(401, messages.bearerNotForPayments)

// The Authorize route answers in Fatora's own shape (CONTRACT §4): missing, empty and unknown
// keys are all "Invalid API Key".
const authorizeInvalid = new AuthorizeError(401, messages.authorizeInvalidKey)
const authorizeInactive = new AuthorizeError(403, messages.authorizeInactiveKey)

// JWS compact serialisation: three base64url parts.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

const OWS = /^[ \t]+|[ \t]+$/g
const isOws = (c: number): boolean => c === 32 || c === 9

/** HTTP's own trimming (optional whitespace: spaces and tabs), also for inject() and proxies. */
function trimOws (value: string): string {
  return value.length > 0 && (isOws(value.charCodeAt(0)) || isOws(value.charCodeAt(value.length - 1))) ? value.replace(OWS, '') : value
}

/** The api_key header's record, or what is wrong with the header. */
function lookUpKey (keys: KeysStore, header: string | string[] | undefined): ApiKeyRecord | 'missing' | 'empty' | 'invalid' {
  // Node lower-cases header names and trims the value; repeated api_key headers arrive
  // joined by ", " and so match no key.
  if (header === undefined) return 'missing'
  if (typeof header !== 'string') return 'invalid'
  const key = trimOws(header)
  if (key === '') return 'empty'
  return keys.find(key) ?? 'invalid'
}

// Bounds the key-id memo below; past it the memo starts over (it only saves hashing).
const MAX_MEMO = 10_000

/**
 * Authenticates `Authorization: Bearer <token>`: returns the merchant id, or the error to answer.
 * The scheme is case-insensitive (RFC 7235); the token's key must still exist and be active.
 */
function createBearerAuthenticator (keys: KeysStore, tokens: TokenService): (header: string) => number | ApiError {
  // key_id → key, filled from validly signed tokens only. A key never changes, so an entry
  // never goes stale: a deleted key is simply not found any more.
  const keyById = new Map<string, string>()
  const keyOf = (merchantId: number, keyId: string): string | undefined => {
    const known = keyById.get(keyId)
    if (known !== undefined) return known
    if (keyById.size >= MAX_MEMO) keyById.clear()
    for (const record of keys.listForMerchant(merchantId)) keyById.set(keyIdOf(record.key), record.key)
    return keyById.get(keyId)
  }
  return function authenticateBearer (header) {
    const value = trimOws(header)
    const space = value.search(/[ \t]/)
    const scheme = space === -1 ? value : value.slice(0, space)
    if (scheme.toLowerCase() !== 'bearer') {
      // A lone value with no scheme is most likely the api_key sent under the wrong header name:
      // say that, unless it is a JWT (the bearer token without its "Bearer ").
      return space === -1 && !JWT_SHAPE.test(value) ? missing : unsupportedScheme
    }
    const token = space === -1 ? '' : trimOws(value.slice(space + 1))
    if (token === '') return emptyToken
    const claims = tokens.verify(token)
    if (claims === 'expired') return expiredToken
    if (claims === 'invalid') return invalidToken
    // Deactivated (or deleted) since the token was issued → 403, as the key itself would get.
    const key = keyOf(claims.merchant_id, claims.key_id)
    const record = key === undefined ? undefined : keys.find(key)
    if (record === undefined || record.merchantId !== claims.merchant_id || record.status !== 'active') return inactive
    return record.merchantId
  }
}

/** The /v1 check: api_key, or a bearer token when no api_key header is sent (not on apiKeyOnly routes). */
export function createAuthGate (keys: KeysStore, tokens: TokenService): Gate {
  const authenticateBearer = createBearerAuthenticator(keys, tokens)
  return function auth (request) {
    const header = request.headers.api_key
    if (header === undefined) {
      const authorization = request.headers.authorization
      if (authorization === undefined || authorization === '') return missing
      if (request.routeOptions.config.apiKeyOnly === true) return bearerNotForPayments
      const result = authenticateBearer(authorization)
      if (typeof result !== 'number') return result
      request.merchantId = result
      return undefined
    }
    const record = lookUpKey(keys, header)
    if (record === 'missing' || record === 'invalid') return invalid
    if (record === 'empty') return empty
    if (record.status !== 'active') return inactive
    request.merchantId = record.merchantId
    return undefined
  }
}

/** The Authorize route's check: api_key only, answered in Fatora's own error shape (CONTRACT §4). */
export function createAuthorizeKeyGate (keys: KeysStore): Gate {
  return function authorizeKey (request) {
    const record = lookUpKey(keys, request.headers.api_key)
    if (typeof record === 'string') return authorizeInvalid
    if (record.status !== 'active') return authorizeInactive
    request.merchantId = record.merchantId
    request.keyId = keyIdOf(record.key)
    return undefined
  }
}
