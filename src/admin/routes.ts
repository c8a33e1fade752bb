// /__admin: the mock's own test-setup API (CONTRACT §5), not Fatora's. Its own prefix, token and
// OpenAPI tag; registered before /v1. Each module adds its routes (merchants, keys, clients…);
// seed, reset and state span them all. The seeding code is loaded on first use.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { modules } from '../modules.js'
import type { RouteDeps } from '../modules/module.js'
import { merchantRefMessages } from '../modules/merchants/schema.js'
import { resolveMerchant, summarizeMerchants } from '../modules/merchants/service.js'
import { ApiError } from '../http/errors.js'
import { errorResponse } from '../http/responses.js'
import { adminErrors as errors, adminSecurity as security, storageError } from './responses.js'
import { adminMessages as messages } from './messages.js'
import { countsBody, CountsSchema, PER_MERCHANT_COUNTS, SeedBodySchema, SeedResponseSchema, snakeCase, StateSchema } from './schema.js'

export interface AdminRoutesOptions {
  /** The app's one RouteDeps object (modules key their per-app state on it). */
  deps: RouteDeps
  /** Fixtures directory for reset (the package's fixtures/ when undefined). */
  fixturesDir?: string | undefined
  /** Also run by reset: empties the test controls (faults, journal). */
  onReset?: () => void
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, { deps, fixturesDir, onReset }) => {
  const { stores, write } = deps
  for (const m of modules) await m.adminRoutes?.(app, deps)

  app.post('/seed', {
    config: { validationMessages: merchantRefMessages },
    schema: {
      operationId: 'adminSeed',
      tags: ['admin'],
      security,
      summary: 'Add fake clients, products or invoices (deterministic for a given family, seed, count, locale and starting data)',
      body: SeedBodySchema,
      response: {
        201: SeedResponseSchema,
        ...errors,
        422: errorResponse(422, 'Unknown merchant or key', 'Unknown api_key: no merchant has this key'),
        503: errorResponse(503, 'The server began shutting down (the seed stopped after a whole batch), or the database is unavailable', 'The server is shutting down: the seed stopped after 1000 of 5000 clients (whole batches only)'),
      },
    },
  }, async (request, reply) => {
    const b = request.body
    // The schema admits only the families of SEED_FAMILIES, each a module with a seeding part.
    const seeding = modules.find((m) => m.name === (b.family ?? 'clients'))?.seeding as NonNullable<typeof modules[number]['seeding']>
    const started = performance.now()
    const result = await write(async () => {
      // Seeding brings faker: loaded on the first seed, so a start without one never pays for it.
      const seeder = await seeding.load()
      const merchant = resolveMerchant(stores, { merchantId: b.merchant_id, apiKey: b.api_key })
      const r = await seeder.seedAsync(stores, { merchantId: merchant.id, count: b.count, seed: b.seed ?? 1, locale: b.locale ?? 'en', batch: b.batch, signal: deps.closing })
      return { merchantId: merchant.id, ...r }
    })
    const also = result.alsoAdded
    return await reply.code(201).send({
      merchant_id: result.merchantId,
      inserted: result.inserted,
      first_id: result.firstId as number,
      last_id: result.lastId as number,
      ms: Math.round(performance.now() - started),
      ...(also === undefined ? {} : { also_added: { family: also.family, inserted: also.inserted, first_id: also.firstId as number, last_id: also.lastId as number } }),
    })
  })

  app.post('/reset', {
    schema: { operationId: 'adminReset', tags: ['admin'], security, summary: 'Delete everything and load the fixtures again; also removes every fault and empties the request journal', response: { 200: CountsSchema, 401: errors[401], 415: errors[415], 503: storageError } },
  }, async (request) => {
    const [{ resetToFixtures }, { loadFixturesDir }] = await Promise.all([import('../seed/seed.js'), import('../seed/fixtures.js')])
    let fixtures
    try {
      fixtures = loadFixturesDir(fixturesDir)
    } catch (err) {
      // A broken FIXTURES_DIR is the server's problem: the detail (a path) goes to the log only.
      request.log.error({ err }, 'reset: fixtures could not be loaded')
      throw new ApiError(500, messages.fixturesUnavailable)
    }
    const summary = await write(() => resetToFixtures(stores, fixtures))
    onReset?.()
    for (const m of modules) m.reset?.(deps)
    return countsBody(summary)
  })

  app.get('/state', {
    schema: { operationId: 'adminGetState', tags: ['admin'], security, summary: 'Counts per merchant, with their keys', response: { 200: StateSchema, 401: errors[401], 503: storageError } },
  }, () => ({
    totals: countsBody(stores.counts()),
    merchants: summarizeMerchants(stores, PER_MERCHANT_COUNTS).map((m) => ({
      id: m.id,
      name: m.name,
      ...Object.fromEntries(PER_MERCHANT_COUNTS.map((k) => [snakeCase(k), m.counts[k] ?? 0])),
      api_keys: m.apiKeys,
    })),
  }))
}
