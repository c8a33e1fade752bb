// The error envelope (CONTRACT §1), declared once: validation of our own replies, types and OpenAPI;
// and the error answers every authenticated /v1 route documents.
import { Type, type Static } from 'typebox'
import { httpMessages as messages } from './messages.js'

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

/** The error responses every authenticated /v1 route can give, for OpenAPI. */
export const commonErrorResponses = {
  401: errorResponse(401, 'api_key missing, empty or unknown', "Merchant API key isn't valid"),
  403: errorResponse(403, 'api_key exists but is inactive', 'Merchant API key is inactive'),
  406: errorResponse(406, 'The Accept header admits no JSON', messages.notAcceptable),
  415: errorResponse(415, 'A Content-Type other than application/json was sent', messages.unsupportedMediaType),
  500: errorResponse(500, 'Unexpected failure (details are logged, never sent)', messages.internal),
  503: errorResponse(503, 'The database is unavailable', messages.storageUnavailable),
}

/**
 * A route schema key (spread with the body's schema) for a body that may be left out: the
 * document then says requestBody.required false (http/openapi.ts; @fastify/swagger cannot).
 */
export const OPTIONAL_BODY = 'x-optional-body'
