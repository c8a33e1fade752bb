// GET and POST /v1/Authorization/Authorize (CONTRACT §4): api_key → {"success":true,"bearer_token":…}.
// The key check (auth/api-key.ts createAuthorizeKeyGate) answers in Fatora's own error shape;
// everything else on this route (405, 406, 415, 400, 5xx) is the usual envelope.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { httpMessages } from '../http/messages.js'
import { commonErrorResponses, errorResponse, OPTIONAL_BODY } from '../http/responses.js'
import { AuthorizeBodySchema, AuthorizeResponseSchema, authorizeErrorResponse } from './authorize-schema.js'
import { authMessages as messages } from './messages.js'
import type { TokenService } from './tokens.js'

export interface AuthorizeRoutesOptions {
  tokens: TokenService
}

const description = 'Exchanges the api_key header for a bearer token (an HS256 JWT, valid for JWT_TTL seconds). ' +
  'Every client route then also accepts "Authorization: Bearer <token>" instead of api_key. ' +
  'Unlike every other route, a bad key is answered in Fatora\'s own shape {"status":"ERROR","error":"…"}, not the envelope.'

const responses = {
  200: AuthorizeResponseSchema,
  401: authorizeErrorResponse('api_key missing, empty or unknown (Fatora\'s shape, not the envelope)', messages.authorizeInvalidKey),
  403: authorizeErrorResponse('api_key exists but is inactive (Fatora\'s shape, not the envelope)', messages.authorizeInactiveKey),
  406: commonErrorResponses[406],
  415: commonErrorResponses[415],
  500: commonErrorResponses[500],
  503: commonErrorResponses[503],
}

export const authorizeRoutes: FastifyPluginCallbackTypebox<AuthorizeRoutesOptions> = (app, { tokens }, done) => {
  // RFC 6749 §5.1: a response carrying a token must not be cached.
  const handler = (request: { merchantId: number, keyId: string }, reply: { header: (name: string, value: string) => unknown }) => {
    reply.header('cache-control', 'no-store')
    return { success: true as const, bearer_token: tokens.sign(request.merchantId, request.keyId) }
  }
  app.get('/Authorization/Authorize', {
    schema: { operationId: 'authorizeGet', summary: 'Authorize (GET)', description, tags: ['authorization'], security: [{ api_key: [] }], response: responses },
  }, handler)
  app.post('/Authorization/Authorize', {
    schema: {
      operationId: 'authorizePost',
      summary: 'Authorize (POST)',
      description: description + ' A body is not needed; "Content-Type: application/json" with no body is fine.',
      tags: ['authorization'],
      security: [{ api_key: [] }],
      body: AuthorizeBodySchema,
      [OPTIONAL_BODY]: true,
      response: { ...responses, 400: errorResponse(400, 'A body that is not valid JSON', httpMessages.invalidJson) },
    },
  }, handler)
  done()
}
