// Bearer tokens of the Authorize route (CONTRACT §4): HS256 JWTs signed and verified with
// fast-jwt. A token names its key by a hash prefix (keyIdOf), never by the key itself.
import { createHash } from 'node:crypto'
import { createSigner, createVerifier, TokenError } from 'fast-jwt'

/** What a token carries: the merchant, which of its keys obtained it, and its lifetime (Unix seconds). */
export interface TokenClaims {
  merchant_id: number
  key_id: string
  iat: number
  exp: number
}

/** Why a token was refused: the auth hook maps each to its 401. */
export type TokenRejection = 'expired' | 'invalid'

export interface TokenService {
  /** A signed token for this merchant and key (by its keyIdOf), valid for the configured TTL. */
  sign: (merchantId: number, keyId: string) => string
  /** The token's claims, or why it is refused. Never throws. */
  verify: (token: string) => TokenClaims | TokenRejection
}

export interface TokenServiceOptions {
  /** The HS256 secret. */
  secret: string
  /** Lifetime of a new token, in seconds. */
  ttlSeconds: number
}

/** The key's identifier in a token: the first 16 hex digits of its SHA-256 (the key is never in a token). */
export function keyIdOf (key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16)
}

const KEY_ID = /^[0-9a-f]{16}$/

/** Creates the signer and the verifier once; both are reused for every request. */
export function createTokenService ({ secret, ttlSeconds }: TokenServiceOptions): TokenService {
  const signer = createSigner({ key: secret, algorithm: 'HS256', expiresIn: ttlSeconds * 1000 })
  // Only HS256 (no "none", no algorithm confusion); every claim we rely on must be present.
  // The cache (1,000 tokens, never past their exp) skips the HMAC for a token seen before, which
  // is most of a verification's cost (docs/performance.md).
  const verifier = createVerifier({ key: secret, algorithms: ['HS256'], requiredClaims: ['merchant_id', 'key_id', 'iat', 'exp'], cache: true })
  return {
    sign: (merchantId, keyId) => signer({ merchant_id: merchantId, key_id: keyId }),
    verify (token) {
      let claims: Partial<TokenClaims>
      try {
        claims = verifier(token) as Partial<TokenClaims>
      } catch (err) {
        // The signature is checked before the expiry: only a genuine token can be "expired".
        return err instanceof TokenError && err.code === TokenError.codes.expired ? 'expired' : 'invalid'
      }
      // Signed with our secret, yet the wrong shape (only someone holding the secret could do this).
      if (!Number.isSafeInteger(claims.merchant_id) || typeof claims.key_id !== 'string' || !KEY_ID.test(claims.key_id)) return 'invalid'
      return claims as TokenClaims
    },
  }
}
