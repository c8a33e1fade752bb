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

// Fatora's samples POST with "Content-Type: application/json" and no body, some with {}: any JSON
// body is read (so malformed JSON is a 400) and ignored. Optional in the document (OPTIONAL_BODY).
export const AuthorizeBodySchema = Type.Unknown({ description: 'Not needed, and ignored when sent: any JSON value (e.g. {}), or no body at all' })

/** Fatora's error shape for this route alone: {"status":"ERROR","error":"…"}, no error_code. */
export function authorizeErrorResponse (description: string, example: string) {
  return Type.Object({
    status: Type.Literal('ERROR'),
    error: Type.String({ description: 'What was wrong, in Fatora\'s words' }),
  }, { description, additionalProperties: false, examples: [{ status: 'ERROR', error: example }] })
}
