// buildApp: wires plugins, hooks and routes in order, so the whole request pipeline reads here.
// It must not listen, read the environment or hold SQL: stores arrive as options.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { randomBytes, randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { createTokenService, DEFAULT_TOKEN_TTL } from './auth/tokens.js'
import { createDelays } from './controls/delays.js'
import { createFaultStore } from './controls/faults.js'
import { createJournal } from './controls/journal.js'
import type { Stores } from './db/stores.js'
import { clientErrorHandler, errorHandler, frameworkErrors, messages, notFoundHandler, rawErrorResponse, writeRawError } from './errors.js'
import { createAdminTokenHook } from './hooks/admin-token.js'
import { createAuthHook, createAuthorizeKeyHook } from './hooks/auth.js'
import { mediaTypeHook } from './hooks/media-type.js'
import { createTestControls } from './hooks/test-controls.js'
import { loggingOptions } from './logging.js'
import { registerOpenApi } from './openapi.js'
import { registerContentParsers } from './plugins/content-parsers.js'
import { registerGracefulClose } from './plugins/graceful-close.js'
import { lazySerializerFactory } from './plugins/serializers.js'
import { collectRoutesForMethodNotAllowed } from './plugins/method-not-allowed.js'
import { registerValidators } from './plugins/validators.js'
import { createWriteQueue } from './plugins/write-queue.js'
import { adminControlsRoutes } from './routes/admin-controls.js'
import { adminRoutes } from './routes/admin.js'
import { authorizeRoutes } from './routes/authorize.js'
import { clientsRoutes } from './routes/clients.js'
import { healthRoutes } from './routes/health.js'
import { ClientSchema } from './schemas/client.js'
import { ErrorEnvelopeSchema } from './schemas/envelope.js'

export interface BuildAppOptions {
  /** The app takes ownership: app.close() closes them. */
  stores: Stores
  /** Log level; none (silent) when omitted, as in tests. */
  logLevel?: string
  /** The /__admin API (CONTRACT §5): on unless `enabled` is false; `token` guards it. */
  admin?: { enabled?: boolean, token?: string | undefined, fixturesDir?: string | undefined }
  /** Bearer tokens (CONTRACT §4): HS256 secret (random per build when unset) and lifetime in seconds. */
  auth?: { jwtSecret?: string | undefined, jwtTtl?: number | undefined }
  /** Connection limits (issue 8): slow or oversized clients. Defaults as in config.ts. */
  limits?: { headersTimeoutMs?: number, requestTimeoutMs?: number, keepAliveTimeoutMs?: number, bodyLimit?: number }
  /** Test controls on /v1 (issue 6): Prefer header, latency, fault generator seed, journal size (0: off). */
  controls?: {
    prefer?: boolean
    latencyMs?: number
    latencyJitterMs?: number
    faultSeed?: number | undefined
    journalSize?: number
  }
}

export const DEFAULT_JOURNAL_SIZE = 1000

// x-request-id: the caller's when it is a sane token, else a fresh UUID.
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/
function genReqId (req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/** Builds the app, ready for inject() or listen(). */
export async function buildApp ({ stores, logLevel, admin = {}, auth = {}, controls = {}, limits = {} }: BuildAppOptions): Promise<FastifyInstance> {
  const logging = logLevel === undefined ? undefined : loggingOptions(logLevel)
  const app = Fastify({
    ...(logging === undefined ? { logger: false } : { loggerInstance: logging.loggerInstance, logController: logging.logController }),
    // Every error, even Fastify's and Node's own, is the envelope (CONTRACT §1; STACK.md).
    frameworkErrors,
    clientErrorHandler,
    // Answer HTTP/1.1 requests without Host instead of Node's empty 400. A client that trickles
    // its headers (slowloris) or its request gets 408 and is disconnected: Node checks every second.
    http: {
      requireHostHeader: false,
      headersTimeout: limits.headersTimeoutMs ?? 10_000,
      connectionsCheckingInterval: 1000,
    },
    requestTimeout: limits.requestTimeoutMs ?? 120_000,
    keepAliveTimeout: limits.keepAliveTimeoutMs ?? 72_000,
    bodyLimit: limits.bodyLimit ?? 1_048_576,
    // Graceful close is ours (plugins/graceful-close.ts): it also drops sockets that never sent
    // a whole request, which Node's closeIdleConnections() would wait for.
    forceCloseConnections: false,
    // Fastify's own 503-while-closing body is not the envelope; requests already on an open
    // socket are answered normally while the listener is closed to new connections.
    return503OnClosing: false,
    genReqId,
    // Response serialisers compile on first use (plugins/serializers.ts): cold start (issue 7).
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Node hands CONNECT to the 'connect' event and, with no listener, closes the socket silently.
  app.server.on('connect', (_request, socket: Socket) => { socket.end(rawErrorResponse(405, messages.connectNotAllowed, { Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' })) })
  // Node answers an Expect other than 100-continue with an empty 417 unless this is handled.
  app.server.on('checkExpectation', (_request, response: ServerResponse) => { writeRawError(response, 417, messages.expectationFailed) })
  registerGracefulClose(app)
  // Every answer names its request (issue 6), so a test can find it in the journal, and tells
  // browsers not to guess its type (issue 8). Set before anything can fail, so errors carry them too.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    reply.header('x-content-type-options', 'nosniff')
    done()
  })

  // Test controls (issue 6, CONTRACT §5): faults, latency and Prefer run before auth on /v1; the
  // journal records /v1 answers. The journal is off when nothing can read it (admin disabled).
  const faults = createFaultStore(controls.faultSeed)
  const journal = createJournal(admin.enabled === false ? 0 : controls.journalSize ?? DEFAULT_JOURNAL_SIZE)
  const delays = createDelays()
  const testControls = createTestControls({
    faults,
    journal,
    delays,
    prefer: controls.prefer !== false,
    latencyMs: controls.latencyMs ?? 0,
    latencyJitterMs: controls.latencyJitterMs ?? 0,
  })
  app.decorateRequest('controlled', null)
  app.addHook('onRequest', testControls.onRequest)
  if (testControls.onResponse !== undefined) app.addHook('onResponse', testControls.onResponse)
  // A closing server answers delayed requests now instead of waiting out their delays, and
  // stops a running seed after its current batch.
  const closing = new AbortController()
  app.addHook('preClose', (done) => { delays.wakeAll(); closing.abort(); done() })
  app.addHook('onClose', (_instance, done) => { stores.close(); logging?.dispose(); done() })
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  registerContentParsers(app)
  const registerMethodNotAllowed = collectRoutesForMethodNotAllowed(app, ['/v1/', '/__admin/', '/health'])

  // Named schemas become OpenAPI components and fast-json-stringify serialisers.
  app.addSchema(ErrorEnvelopeSchema)
  app.addSchema(ClientSchema)
  registerValidators(app, [ErrorEnvelopeSchema, ClientSchema])
  // One queue for every write, /__admin and /v1 alike (plugins/write-queue.ts).
  const write = createWriteQueue()
  await registerOpenApi(app, { admin: admin.enabled !== false, prefer: controls.prefer !== false })

  await app.register(healthRoutes, { ping: stores.ping })

  // /__admin before /v1 (ours, CONTRACT §5): route → admin token → media types → body schema.
  if (admin.enabled !== false) {
    await app.register(async (scope) => {
      if (admin.token !== undefined) scope.addHook('onRequest', createAdminTokenHook(admin.token))
      scope.addHook('onRequest', mediaTypeHook)
      await scope.register(adminRoutes, { stores, fixturesDir: admin.fixturesDir, write, onReset: () => { faults.clear(); journal.clear() }, closing: closing.signal })
      await scope.register(adminControlsRoutes, { faults, journal })
    }, { prefix: '/__admin' })
  }

  // Bearer tokens: one signer and one verifier for the app's lifetime (auth/tokens.ts).
  const tokens = createTokenService({
    secret: auth.jwtSecret ?? randomBytes(32).toString('base64url'),
    ttlSeconds: auth.jwtTtl ?? DEFAULT_TOKEN_TTL,
  })

  // Authorize, in its own /v1 scope (CONTRACT §4): route match (404/405) → api_key in
  // Fatora's own error shape (401/403) → media types (415/406) → handler (200 with a token).
  await app.register(async (authorization) => {
    authorization.addHook('onRequest', createAuthorizeKeyHook(stores.keys))
    authorization.addHook('onRequest', mediaTypeHook)
    await authorization.register(authorizeRoutes, { tokens })
  }, { prefix: '/v1' })

  // The /v1 pipeline, in contract order: route match (404/405) → api_key, or else a bearer
  // token (401/403) → media types (415/406) → params schema (400) → handler (404 or 200).
  await app.register(async (v1) => {
    v1.addHook('onRequest', createAuthHook(stores.keys, tokens))
    v1.addHook('onRequest', mediaTypeHook)
    await v1.register(clientsRoutes, { clients: stores.clients, write })
  }, { prefix: '/v1' })

  registerMethodNotAllowed()
  await app.ready()
  return app
}
