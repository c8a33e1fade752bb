// ADMIN_TOKEN guard for /__admin (CONTRACT §5): Authorization: Bearer <token>, compared in
// constant time (both sides hashed first, so neither content nor length leaks through timing).
import { createHash, timingSafeEqual } from 'node:crypto'
import { ApiError } from '../http/errors.js'
import type { Gate } from '../http/gates.js'
import { authMessages as messages } from './messages.js'

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

export function createAdminTokenGate (token: string): Gate {
  const expected = digest(token)
  const missing = new ApiError(401, messages.adminTokenMissing, { 'www-authenticate': 'Bearer realm="fatora-mock admin"' })
  const invalid = new ApiError(401, messages.adminTokenInvalid, { 'www-authenticate': 'Bearer realm="fatora-mock admin", error="invalid_token"' })
  return function adminToken (request) {
    const header = request.headers.authorization
    if (header === undefined || header === '') return missing
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
    if (match === null) return invalid
    if (!timingSafeEqual(digest(match[1] as string), expected)) return invalid
    return undefined
  }
}
