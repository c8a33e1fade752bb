// The error envelope (CONTRACT §1), declared once: validation of our own replies, types and OpenAPI.
import { Type, type Static } from 'typebox'

export const ErrorEnvelopeSchema = Type.Object({
  status: Type.Literal('FAILURE', { description: 'Always "FAILURE" for an error (CONTRACT §1 Decision)' }),
  error: Type.Object({
    error_code: Type.String({ description: 'The HTTP status code, as a string', examples: ['404'] }),
    description: Type.String({ description: 'What was wrong; names the offending parameter or header', examples: ['Client not found'] }),
  }, { additionalProperties: false }),
}, { $id: 'ErrorEnvelope', title: 'ErrorEnvelope', additionalProperties: false })

export type ErrorEnvelopeBody = Static<typeof ErrorEnvelopeSchema>

/** A response entry for one error status: the envelope (by reference) with a sample body. */
export function errorResponse (statusCode: number, description: string, example: string): ReturnType<typeof Type.Unsafe<ErrorEnvelopeBody>> {
  // allOf keeps the reference (one OpenAPI component) while letting this status carry its own example.
  return Type.Unsafe<ErrorEnvelopeBody>({
    description,
    type: 'object',
    allOf: [{ $ref: 'ErrorEnvelope#' }],
    examples: [{ status: 'FAILURE', error: { error_code: String(statusCode), description: example } }],
  })
}
