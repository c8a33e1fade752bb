// OpenAPI 3 from the route schemas (@fastify/swagger) and Swagger UI at /documentation.
// The security schemes (api_key, bearer) and the servers are declared once here; routes only
// reference them. The document describes exactly what the server does: docs/openapi.md says how
// that is checked (Redocly's recommended rules, a typed client compiled and run against it).
//
// Built on first use, not at start: loading @fastify/swagger (and its YAML), Swagger UI and its
// static files was a quarter of the time to the first answer, for pages most runs never open.
// The app records each route as it is added; the first /documentation request (or openapi())
// gives those routes, schemas unchanged, to a second Fastify instance that has the plugins and
// serves the documentation from then on.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify'
import { packageVersion } from '../package-root.js'
import { edgeResponsesHook } from './edge-responses.js'
import { errorHandler, notFoundHandler } from './errors.js'
import { API_V1_PREFIX, V1_PREFIX } from './prefix.js'
import { OPTIONAL_BODY } from './responses.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenAPI document (as YAML text with `yaml: true`). */
    openapi: (options?: { yaml?: boolean }) => Promise<unknown>
  }
}

const DOCS_PREFIX = '/documentation'

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
  /** The named schemas the routes refer to (app.addSchema). */
  shared: readonly object[]
  /** Document /__admin (and its security scheme). */
  admin: boolean
  /** Document the Prefer header on /v1 routes. */
  prefer: boolean
  /** The API families' tags, in order (before authorization and admin). */
  tags: ReadonlyArray<{ name: string, description: string }>
}

// What an answer looks like, said once for the whole document (CONTRACT §1, §4, §6.3).
const DESCRIPTION = "An offline mock of Fatora's payment-gateway API (https://api.fatora.io): point your code at the mock's URL instead. " +
  'Errors are the envelope {"status":"FAILURE","error":{"error_code":"404","description":"Client not found"}}, with error_code the HTTP status as a string, ' +
  "except where an operation documents otherwise: Authorize answers a missing, unknown or inactive api_key in Fatora's own shape " +
  '{"status":"ERROR","error":"Invalid API Key"} (401, 403), and the hosted payment pages answer people in HTML (their 404 too) and with 303 redirects. ' +
  'Beyond what each operation lists, any request can meet 408 (too slow), 414 (request line too long) or 431 (headers too large), answered with the envelope before routing. ' +
  'Behaviour that is a decision of the mock, not Fatora, is listed in docs/decisions.md (in the package and the repository).'

// Relative first: Swagger UI then calls the server that served it, whatever its port, host or
// proxy. The other two are the defaults a local start uses (CONTRACT §8), for tools that need a
// whole URL; their variables say what changes them.
const SERVERS = [
  { url: '/', description: 'The mock that serves this document' },
  {
    url: 'http://{host}:{port}',
    description: 'The mock over HTTP',
    variables: {
      host: { default: 'localhost', description: 'The name or address the mock listens on (HOST: 127.0.0.1 by default, 0.0.0.0 in containers)' },
      port: { default: '3000', description: 'PORT' },
    },
  },
  {
    url: 'https://{host}:{port}',
    description: 'The mock over HTTPS, when started with HTTPS_PORT: TLS_CERT/TLS_KEY, or a self-signed certificate for localhost and 127.0.0.1 kept beside the database (its path printed at start)',
    variables: {
      host: { default: 'localhost', description: 'localhost or 127.0.0.1, the names the self-signed certificate covers (or a name of your TLS_CERT)' },
      port: { default: '3443', description: 'HTTPS_PORT (no default: HTTPS is off until it is set)' },
    },
  },
]

/**
 * Named schemas are added to the app for every route (app.ts), but some serve only /__admin:
 * with ADMIN_ENABLED=false nothing refers to them, and the document leaves them out rather than
 * list components no operation uses.
 */
function dropUnusedSchemas (document: { components?: { schemas?: Record<string, unknown> } }): void {
  const schemas = document.components?.schemas
  if (schemas === undefined) return
  const refs = (value: unknown): string[] => JSON.stringify(value).match(/#\/components\/schemas\/[^"]+/g) ?? []
  const used = new Set<string>()
  const pending = refs({ ...document, components: { ...document.components, schemas: {} } })
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    const name = decodeURIComponent(ref.slice('#/components/schemas/'.length))
    if (used.has(name)) continue
    used.add(name)
    pending.push(...refs(schemas[name]))
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) Reflect.deleteProperty(schemas, name)
}

export async function registerOpenApi (app: FastifyInstance, { shared, admin, prefer, tags }: OpenApiOptions): Promise<void> {
  // Before any route: each route's documented answers include the edge's (http/edge-responses.ts).
  app.addHook('onRoute', edgeResponsesHook({ prefer }))
  // Then each route as the document will describe it (the documentation's own routes aside).
  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => { if (route.url !== DOCS_PREFIX && !route.url.startsWith(`${DOCS_PREFIX}/`)) routes.push(route) })

  let docs: Promise<FastifyInstance> | undefined
  // A build that failed is tried again by the next request (and never fails app.close()).
  const documentation = async (): Promise<FastifyInstance> => await (docs ??= buildDocumentation(routes, { shared, admin, prefer, tags })
    .catch((err: unknown) => { docs = undefined; throw err }))
  app.decorate('openapi', async (options?: { yaml?: boolean }) => {
    const built = await documentation()
    return options?.yaml === true ? built.swagger({ yaml: true }) : built.swagger()
  })
  // The second instance answers on this request's own socket; the headers every answer
  // carries (x-request-id, nosniff: app.ts) go with it.
  const serve = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const built = await documentation()
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value)
    reply.hijack()
    built.routing(request.raw, reply.raw)
  }
  app.get(DOCS_PREFIX, { schema: { hide: true } }, serve)
  app.get(`${DOCS_PREFIX}/*`, { schema: { hide: true } }, serve)
  app.addHook('onClose', async () => { await docs?.then(async (built) => { await built.close() }, () => {}) })
}

/** The instance that serves /documentation: the app's routes (handlers aside) with the plugins. */
async function buildDocumentation (routes: readonly RouteOptions[], { shared, admin, prefer, tags }: OpenApiOptions): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'), import('@fastify/swagger'), import('@fastify/swagger-ui'),
  ])
  const docs = Fastify({ logger: false })
  // The routes here are never called: nothing to validate or serialise.
  docs.setValidatorCompiler(() => () => true)
  docs.setSerializerCompiler(() => (data) => JSON.stringify(data))
  docs.setErrorHandler(errorHandler)
  docs.setNotFoundHandler(notFoundHandler)
  for (const schema of shared) docs.addSchema(schema)
  await docs.register(swagger, {
    openapi: {
      // 3.1: nullable fields are JSON Schema's anyOf [string, null], which 3.0 cannot express.
      openapi: '3.1.0',
      info: {
        title: 'fatora-mock',
        version: packageVersion(),
        description: DESCRIPTION,
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: SERVERS,
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
    // @fastify/swagger marks every request body required (it assumes Fastify needs one when a
    // route has a body schema, which is not so for a schema that admits anything): a route that
    // takes an optional body says so with OPTIONAL_BODY, and only that is changed here.
    transformObject (document) {
      if (!('openapiObject' in document)) return document.swaggerObject
      const { openapiObject } = document
      for (const item of Object.values(openapiObject.paths ?? {})) {
        for (const operation of Object.values(item as Record<string, Record<string, unknown>>)) {
          if (operation[OPTIONAL_BODY] !== true) continue
          delete operation[OPTIONAL_BODY]
          const body = operation.requestBody as { required?: boolean } | undefined
          if (body !== undefined) body.required = false
        }
      }
      dropUnusedSchemas(openapiObject as { components?: { schemas?: Record<string, unknown> } })
      return openapiObject
    },
    // Name components after their $id (ErrorEnvelope, Client…) instead of def-0, def-1.
    refResolver: {
      buildLocalReference (json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`
      },
    },
  })
  await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX })
  await docs.register(async (scope) => {
    for (const route of routes) {
      // Fastify adds HEAD for each GET itself (and the document leaves HEAD out).
      if (route.method === 'HEAD') continue
      scope.route({ method: route.method, url: route.url, schema: route.schema, config: route.config, handler: unreachable })
    }
  })
  await docs.ready()
  return docs
}

function unreachable (): never {
  throw new Error('the documentation instance serves /documentation only')
}
