// buildApp({ config, stores }): the whole request pipeline, in order, on one screen — the HTTP
// edge, the test controls, /__admin, Authorize, then each API family of the registry under /v1.
// It must not listen, read the environment or hold SQL: config and stores arrive as arguments.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { adminRoutes } from './admin/routes.js'
import { createAdminTokenGate } from './auth/admin-token.js'
import { createAuthGate, createAuthorizeKeyGate } from './auth/api-key.js'
import { authorizeRoutes } from './auth/authorize-routes.js'
import { createTokenService } from './auth/tokens.js'
import type { Config } from './config.js'
import type { Stores } from './db/stores.js'
import { createWriteQueue } from './db/write-queue.js'
import { registerContentParsers } from './http/content-parsers.js'
import { createEdgeHook } from './http/edge-hook.js'
import { errorHandler, frameworkErrors, notFoundHandler } from './http/errors.js'
import { registerGracefulClose } from './http/graceful-close.js'
import { healthRoutes } from './http/health.js'
import { loggingOptions } from './http/logging.js'
import { gatesHook } from './http/gates.js'
import { mediaTypeGate } from './http/media-type.js'
import { httpMessages, MAX_PARAM_LENGTH } from './http/messages.js'
import { collectRoutesForMethodNotAllowed } from './http/method-not-allowed.js'
import { registerOpenApi } from './http/openapi.js'
import { createRequestIds } from './http/request-id.js'
import { ADMIN_PREFIX, API_V1_PREFIX, V1_PREFIX } from './http/prefix.js'
import { clientErrorHandler, rawErrorResponse, writeRawError } from './http/raw-errors.js'
import { ErrorEnvelopeSchema } from './http/responses.js'
import { rootRedirect } from './http/root-redirect.js'
import { lazySerializerFactory } from './http/serializers.js'
import { registerValidators } from './http/validators.js'
import { modules } from './modules.js'
import { createClock } from './test-controls/clock.js'
import { clockRoutes } from './test-controls/clock-routes.js'
import { createDelays } from './test-controls/delays.js'
import { createFaultStore } from './test-controls/faults.js'
import { createTestControls } from './test-controls/hook.js'
import { createJournal } from './test-controls/journal.js'
import { testControlsRoutes } from './test-controls/routes.js'

export interface BuildAppOptions {
  /** The loaded configuration (config.ts: loadConfig from the environment, or createConfig). */
  config: Config
  /** The app takes ownership: app.close() closes them. */
  stores: Stores
}

// Long enough for the longest value a path parameter legitimately takes (an API key, 200
// characters, in /__admin/api-keys/{key}); longer ones answer the 414 envelope.
const routerOptions = { maxParamLength: MAX_PARAM_LENGTH }

/** Builds the app, ready for inject() or listen(). */
export async function buildApp ({ config, stores }: BuildAppOptions): Promise<FastifyInstance> {
  // No logger at all when silent (tests, startMock): nothing to format or flush.
  const logging = config.LOG_LEVEL === 'silent' ? undefined : loggingOptions(config.LOG_LEVEL, config.LOG_FORMAT)
  const app = Fastify({
    ...(logging === undefined ? { logger: false } : { loggerInstance: logging.loggerInstance, logController: logging.logController, childLoggerFactory: logging.childLoggerFactory }),
    // Every error, even Fastify's and Node's own, is the envelope (CONTRACT §1; STACK.md).
    frameworkErrors,
    clientErrorHandler,
    // Answer HTTP/1.1 requests without Host instead of Node's empty 400. A client that trickles
    // its headers (slowloris) or its request gets 408 and is disconnected: Node checks every second.
    http: {
      requireHostHeader: false,
      headersTimeout: Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: 1000,
    },
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    bodyLimit: config.BODY_LIMIT,
    // Graceful close is ours (http/graceful-close.ts): it also drops sockets that never sent
    // a whole request, which Node's closeIdleConnections() would wait for.
    forceCloseConnections: false,
    // Fastify's own 503-while-closing body is not the envelope; requests already on an open
    // socket are answered normally while the listener is closed to new connections.
    return503OnClosing: false,
    genReqId: createRequestIds(),
    routerOptions,
    // Response serialisers compile on first use (http/serializers.ts): a faster cold start.
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Node hands CONNECT to the 'connect' event and, with no listener, closes the socket silently.
  app.server.on('connect', (_request, socket: Socket) => { socket.end(rawErrorResponse(405, httpMessages.connectNotAllowed, { Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' })) })
  // Node answers an Expect other than 100-continue with an empty 417 unless this is handled.
  app.server.on('checkExpectation', (_request, response: ServerResponse) => { writeRawError(response, 417, httpMessages.expectationFailed) })
  // Every route of these prefixes answers 405 for the methods it does not take.
  const methodNotAllowed = collectRoutesForMethodNotAllowed(app, [`${V1_PREFIX}/`, `${API_V1_PREFIX}/`, `${ADMIN_PREFIX}/`, '/health', '/pay/', '/Pay/'], routerOptions)

  // Test controls (CONTRACT §5): faults, latency and Prefer run before auth on /v1; the journal
  // records /v1 answers. The journal is off when nothing can read it (admin disabled).
  const faults = createFaultStore(config.FAULT_SEED)
  const journal = createJournal(config.ADMIN_ENABLED ? config.JOURNAL_SIZE : 0)
  const delays = createDelays()
  const testControls = createTestControls({
    faults,
    journal,
    delays,
    prefer: config.PREFER_ENABLED,
    latencyMs: config.LATENCY_MS,
    latencyJitterMs: config.LATENCY_JITTER_MS,
  })
  app.decorateRequest('controlled', null)
  // One hook for every request: the id and nosniff headers, the test controls, an ignored body
  // read, the 405 check (http/edge-hook.ts).
  app.addHook('onRequest', createEdgeHook(testControls.onRequest, methodNotAllowed.check))
  if (testControls.onResponse !== undefined) app.addHook('onResponse', testControls.onResponse)
  // A closing server answers delayed requests now instead of waiting out their delays, and
  // stops a running seed after its current batch.
  const closing = new AbortController()
  app.addHook('preClose', (done) => { delays.wakeAll(); closing.abort(); done() })
  app.addHook('onClose', (_instance, done) => { stores.close(); logging?.dispose(); done() })
  // After the hook above: the HTTPS listener's last requests finish before the database closes.
  registerGracefulClose(app)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  registerContentParsers(app)

  // Named schemas become OpenAPI components and fast-json-stringify serialisers.
  const shared = [ErrorEnvelopeSchema, ...modules.flatMap((m) => m.schemas ?? [])]
  for (const schema of shared) app.addSchema(schema)
  registerValidators(app, shared)
  // One queue for every write, /__admin and /v1 alike (db/write-queue.ts).
  const write = createWriteQueue()
  // The clock tests move (/__admin/clock): real time until then.
  const clock = createClock()
  const deps = { stores, config, write, closing: closing.signal, clock }
  await registerOpenApi(app, {
    shared,
    admin: config.ADMIN_ENABLED,
    prefer: config.PREFER_ENABLED,
    tags: modules.flatMap((m) => [m.tag, m.pagesTag].filter((tag) => tag !== undefined)),
  })

  await app.register(healthRoutes, { ping: stores.ping })
  await app.register(rootRedirect, { publicUrl: config.PUBLIC_URL })

  // /__admin before /v1 (ours, CONTRACT §5): route → admin token → media types → body schema.
  if (config.ADMIN_ENABLED) {
    await app.register(async (scope) => {
      scope.addHook('onRequest', config.ADMIN_TOKEN === undefined ? gatesHook(mediaTypeGate) : gatesHook(createAdminTokenGate(config.ADMIN_TOKEN), mediaTypeGate))
      await scope.register(adminRoutes, { deps, fixturesDir: config.FIXTURES_DIR, onReset: () => { faults.clear(); journal.clear(); clock.reset() } })
      await scope.register(testControlsRoutes, { faults, journal })
      await scope.register(clockRoutes, { clock })
    }, { prefix: ADMIN_PREFIX })
  }

  // Bearer tokens: one signer and one verifier for the app's lifetime (auth/tokens.ts).
  const tokens = createTokenService({
    secret: config.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    ttlSeconds: config.JWT_TTL,
  })

  // Authorize, in its own /v1 scope (CONTRACT §4): route match (404/405) → api_key in
  // Fatora's own error shape (401/403) → media types (415/406) → handler (200 with a token).
  await app.register(async (authorization) => {
    authorization.addHook('onRequest', gatesHook(createAuthorizeKeyGate(stores.keys), mediaTypeGate))
    await authorization.register(authorizeRoutes, { tokens })
  }, { prefix: V1_PREFIX })

  // The /v1 pipeline, in contract order: route match (404/405) → api_key, or else a bearer
  // token (401/403) → media types (415/406) → params schema (400) → handler (404 or 200).
  // Each family of the registry adds its routes here (src/modules.ts).
  const v1Gates = gatesHook(createAuthGate(stores.keys, tokens), mediaTypeGate)
  await app.register(async (v1) => {
    v1.addHook('onRequest', v1Gates)
    for (const m of modules) await m.routes?.(v1, deps)
  }, { prefix: V1_PREFIX })
  // The same pipeline under /api/v1, for the routes Fatora's samples write there (CONTRACT §6.5).
  await app.register(async (api) => {
    api.addHook('onRequest', v1Gates)
    for (const m of modules) await m.apiV1Routes?.(api, deps)
  }, { prefix: API_V1_PREFIX })

  // Pages for people (the hosted payment page, CONTRACT §6.3): HTML, no api_key.
  for (const m of modules) if (m.pageRoutes !== undefined) await app.register(async (pages) => { await m.pageRoutes?.(pages, deps) })

  methodNotAllowed.registerShadowed()
  await app.ready()
  return app
}
