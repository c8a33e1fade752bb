// api_key → merchant (CONTRACT §1): 401 when missing, empty or unknown; 403 when inactive.
// Sets request.merchantId for the routes. Never logs or echoes the key.
import type { onRequestHookHandler } from 'fastify'
import type { KeysStore } from '../db/keys-store.js'
import { ApiError, messages } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated merchant; set by the auth hook on every /v1 route. */
    merchantId: number
  }
}

const missing = new ApiError(401, messages.apiKeyMissing)
const empty = new ApiError(401, messages.apiKeyEmpty)
const invalid = new ApiError(401, messages.apiKeyInvalid)
const inactive = new ApiError(403, messages.apiKeyInactive)

const OWS = /^[ \t]+|[ \t]+$/g
const isOws = (c: number): boolean => c === 32 || c === 9

export function createAuthHook (keys: KeysStore): onRequestHookHandler {
  return function auth (request, _reply, done) {
    // Node lower-cases header names and trims the value; repeated api_key headers arrive
    // joined by ", " and so match no key.
    let key = request.headers.api_key
    if (key === undefined) return done(missing)
    if (typeof key !== 'string') return done(invalid)
    // HTTP's own trimming (optional whitespace: spaces and tabs), also for inject() and proxies.
    if (key.length > 0 && (isOws(key.charCodeAt(0)) || isOws(key.charCodeAt(key.length - 1)))) key = key.replace(OWS, '')
    if (key === '') return done(empty)
    const record = keys.find(key)
    if (record === undefined) return done(invalid)
    if (record.status !== 'active') return done(inactive)
    request.merchantId = record.merchantId
    done()
  }
}
