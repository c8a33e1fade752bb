// Authorize schemas (CONTRACT §4): Fatora's own bodies for this route, success and error alike.
import { Type, type Static } from 'typebox'

// The example is a real token (merchant 1, the demo key's key_id, one hour from iat), signed
// with a throw-away secret: it decodes like the ones the mock issues.
export const AuthorizeResponseSchema = Type.Object({
  success: Type.Literal(true),
  bearer_token: Type.String({ description: 'An HS256 JWT; send it as "Authorization: Bearer <token>" to the client routes' }),
}, {
  description: 'A bearer token for the merchant of the api_key',
  additionalProperties: false,
  examples: [{ success: true, bearer_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJtZXJjaGFudF9pZCI6MSwia2V5X2lkIjoiMzRiNDIxYmM5MGYzZGQ3ZiIsImlhdCI6MTc1MDAwMDAwMCwiZXhwIjoxNzUwMDAzNjAwfQ.jAZ8vO7npdD6C3C1XenL9PUgcoX3Vqe3Rz-179AXE8k' }],
})

export type AuthorizeResponse = Static<typeof AuthorizeResponseSchema>

/** Fatora's error shape for this route alone: {"status":"ERROR","error":"…"}, no error_code. */
export function authorizeErrorResponse (description: string, example: string) {
  return Type.Object({
    status: Type.Literal('ERROR'),
    error: Type.String({ description: 'What was wrong, in Fatora\'s words' }),
  }, { description, additionalProperties: false, examples: [{ status: 'ERROR', error: example }] })
}
