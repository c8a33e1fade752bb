// OpenAPI 3 from the route schemas (@fastify/swagger) and Swagger UI at /documentation.
// The security schemes (api_key, bearer) are declared once here; routes only reference them.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { packageVersion } from '../package-root.js'
import { API_V1_PREFIX, V1_PREFIX } from './prefix.js'

// Request headers every /v1 route reads besides its own schema: documented here only,
// so the hot path validates nothing extra.
const V1_HEADERS = {
  type: 'object',
  properties: {
    prefer: {
      type: 'string',
      description: "The mock's test control (Prism's convention, not Fatora's): `code=NNN` forces one of this route's documented " +
        'answers (other codes → 400 listing them), `delay=MS` (0–60000) delays it; e.g. `code=404, delay=250`. ' +
        'Honoured ones are echoed in Preference-Applied. Off with PREFER_ENABLED=false.',
    },
    'x-request-id': {
      type: 'string',
      description: 'Echoed in the x-request-id response header and used as the id in the request journal (a UUID when absent)',
    },
  },
}

export interface OpenApiOptions {
  /** Document /__admin (and its security scheme). */
  admin: boolean
  /** Document the Prefer header on /v1 routes. */
  prefer: boolean
  /** The API families' tags, in order (before authorization and admin). */
  tags: ReadonlyArray<{ name: string, description: string }>
}

export async function registerOpenApi (app: FastifyInstance, { admin, prefer, tags }: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      // 3.1: nullable fields are JSON Schema's anyOf [string, null], which 3.0 cannot express.
      openapi: '3.1.0',
      info: {
        title: 'fatora-mock',
        version: packageVersion(),
        description: "An offline mock of Fatora's payment-gateway API (https://api.fatora.io). " +
          'Every error is the envelope {"status":"FAILURE","error":{"error_code","description"}}. ' +
          'Behaviour that is a decision of the mock, not Fatora, is listed in the README.',
      },
      tags: [
        ...tags,
        { name: 'authorization', description: "Fatora's Authorize: exchange an api_key for a bearer token (JWT) that the client routes accept" },
        ...(admin ? [{ name: 'admin', description: "The mock's own test API (not Fatora's): merchants, keys, clients, seeding, reset, faults and the request journal" }] : []),
      ],
      components: {
        securitySchemes: {
          api_key: { type: 'apiKey', in: 'header', name: 'api_key', description: 'Your Fatora API key (the docs\' public test key is E4B73FEE-F492-4607-A38D-852B0EBC91C9)' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from GET or POST /v1/Authorization/Authorize, sent as "Authorization: Bearer <token>"; api_key wins when both are sent' },
          ...(admin ? { admin_token: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, only when the server sets one' } } : {}),
        },
      },
    },
    transform ({ schema, url }) {
      if ((!url.startsWith(`${V1_PREFIX}/`) && !url.startsWith(`${API_V1_PREFIX}/`)) || schema === undefined || schema.hide === true) return { schema, url }
      const headers = prefer ? V1_HEADERS : { ...V1_HEADERS, properties: { 'x-request-id': V1_HEADERS.properties['x-request-id'] } }
      return { schema: { ...schema, headers } as FastifySchema, url }
    },
    // Name components after their $id (ErrorEnvelope, Client…) instead of def-0, def-1.
    refResolver: {
      buildLocalReference (json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/documentation' })
}
