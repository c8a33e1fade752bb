// /__admin: the mock's own test-setup API (CONTRACT §5), not Fatora's. Its own prefix, token and
// OpenAPI tag; registered before /v1. Handlers call the seeding core, loaded on first use so a
// start without admin calls never pays for faker.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Stores } from '../db/stores.js'
import { ApiError, messages } from '../errors.js'
import { Type } from 'typebox'
import {
  ApiKeyListSchema, ApiKeyParamsSchema, ApiKeySchema, CountsSchema, CreateApiKeyBodySchema, CreateClientBodySchema,
  CreateMerchantBodySchema, CreateMerchantResponseSchema, SeedBodySchema, SeedResponseSchema, StateSchema, UpdateApiKeyBodySchema,
} from '../schemas/admin.js'
import { type Client } from '../schemas/client.js'
import { errorResponse } from '../schemas/envelope.js'
import type { WriteQueue } from '../plugins/write-queue.js'
import { commonErrorResponses, toApiClient } from './clients.js'

export interface AdminRoutesOptions {
  stores: Stores
  /** Fixtures directory for reset (the package's fixtures/ when undefined). */
  fixturesDir?: string | undefined
  /** The app's single queue of writers (shared with /v1's writes). */
  write: WriteQueue
  /** Also run by reset: empties the test controls (faults, journal). */
  onReset?: () => void
  /** Aborted when the server starts closing: a running seed stops after its current batch. */
  closing?: AbortSignal
}

const seeding = async (): Promise<typeof import('../seed/seed.js')> => await import('../seed/seed.js')

export const adminErrors = {
  400: errorResponse(400, 'The body is invalid (the description names the field)', 'Invalid body: name is required'),
  401: errorResponse(401, 'ADMIN_TOKEN is set and the Authorization header is missing or wrong', messages.adminTokenInvalid),
  415: commonErrorResponses[415],
}
export const adminSecurity = [{ admin_token: [] }]
const errors = adminErrors
const security = adminSecurity

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, { stores, fixturesDir, write, onReset, closing }) => {
  app.post('/merchants', {
    schema: {
      tags: ['admin'], security, summary: 'Create a merchant with one active key',
      body: CreateMerchantBodySchema,
      response: { 201: CreateMerchantResponseSchema, ...errors, 409: errorResponse(409, 'The chosen id is taken', 'Merchant 1 already exists') },
    },
  }, async (request, reply) => {
    const { merchant, apiKey } = await write(async () => (await seeding()).addMerchant(stores, request.body.name, request.body.id))
    return await reply.code(201).send({ merchant, api_key: apiKey })
  })

  app.get('/api-keys', {
    schema: { tags: ['admin'], security, summary: 'List every API key', response: { 200: ApiKeyListSchema, 401: errors[401] } },
  }, () => ({ api_keys: stores.keys.list().map((k) => ({ key: k.key, merchant_id: k.merchantId, status: k.status })) }))

  app.post('/api-keys', {
    schema: {
      tags: ['admin'], security, summary: 'Add an API key to a merchant (random unless `key` is given)',
      body: CreateApiKeyBodySchema,
      response: { 201: ApiKeySchema, ...errors, 409: errorResponse(409, 'The key exists', 'This api_key already exists'), 422: errorResponse(422, 'Unknown merchant', 'Unknown merchant_id: no merchant 9') },
    },
  }, async (request, reply) => {
    const b = request.body
    const k = await write(async () => {
      const { addApiKey, newApiKey } = await seeding()
      return addApiKey(stores, b.merchant_id, b.status ?? 'active', b.key ?? newApiKey())
    })
    return await reply.code(201).send({ key: k.key, merchant_id: k.merchantId, status: k.status })
  })

  app.patch('/api-keys/:key', {
    schema: {
      tags: ['admin'], security, summary: 'Activate or deactivate an API key (inactive keys answer 403)',
      params: ApiKeyParamsSchema,
      body: UpdateApiKeyBodySchema,
      response: { 200: ApiKeySchema, ...errors, 404: errorResponse(404, 'No such key', messages.apiKeyNotFound) },
    },
  }, async (request) => {
    const k = await write(() => stores.keys.setStatus(request.params.key, request.body.status))
    if (k === undefined) throw new ApiError(404, messages.apiKeyNotFound)
    return { key: k.key, merchant_id: k.merchantId, status: k.status }
  })

  app.post('/clients', {
    schema: {
      tags: ['admin'], security, summary: 'Create one specific client (for merchant_id or the merchant of api_key)',
      body: CreateClientBodySchema,
      response: {
        201: Type.Object({ merchant_id: Type.Integer(), client: Type.Unsafe<Client>({ $ref: 'Client#' }) }, { additionalProperties: false }),
        ...errors,
        409: errorResponse(409, 'The chosen id is taken', 'Client id 1024 is already taken'),
        422: errorResponse(422, 'Unknown merchant or key', 'Unknown merchant_id: no merchant 9'),
      },
    },
  }, async (request, reply) => {
    const b = request.body
    if (b.notes !== undefined && b.note !== undefined && b.notes !== b.note) throw new ApiError(400, messages.noteMismatch)
    const result = await write(async () => {
      const { addClient, resolveMerchant } = await seeding()
      const merchant = resolveMerchant(stores, { merchantId: b.merchant_id, apiKey: b.api_key })
      return { merchantId: merchant.id, row: addClient(stores, merchant.id, { ...b, notes: b.notes ?? b.note }) }
    })
    return await reply.code(201).send({ merchant_id: result.merchantId, client: toApiClient(result.row) })
  })

  app.post('/seed', {
    schema: {
      tags: ['admin'], security, summary: 'Add fake clients (deterministic for a given seed, count, locale and starting data)',
      body: SeedBodySchema,
      response: {
        201: SeedResponseSchema,
        ...errors,
        422: errorResponse(422, 'Unknown merchant or key', 'Unknown api_key: no merchant has this key'),
        503: errorResponse(503, 'The server began shutting down: the seed stopped after a whole batch', 'The server is shutting down: the seed stopped after 1000 of 5000 clients (whole batches only)'),
      },
    },
  }, async (request, reply) => {
    const b = request.body
    const started = performance.now()
    const result = await write(async () => {
      const { resolveMerchant, seedClientsAsync } = await seeding()
      const merchant = resolveMerchant(stores, { merchantId: b.merchant_id, apiKey: b.api_key })
      const r = await seedClientsAsync(stores, { merchantId: merchant.id, count: b.count, seed: b.seed ?? 1, locale: b.locale ?? 'en', batch: b.batch, signal: closing })
      return { merchantId: merchant.id, ...r }
    })
    return await reply.code(201).send({
      merchant_id: result.merchantId,
      inserted: result.inserted,
      first_id: result.firstId as number,
      last_id: result.lastId as number,
      ms: Math.round(performance.now() - started),
    })
  })

  app.post('/reset', {
    schema: { tags: ['admin'], security, summary: 'Delete everything and load the fixtures again; also removes every fault and empties the request journal', response: { 200: CountsSchema, 401: errors[401], 415: errors[415] } },
  }, async (request) => {
    const [{ resetToFixtures }, { loadFixturesDir }] = await Promise.all([seeding(), import('../seed/fixtures.js')])
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
    return { merchants: summary.merchants, api_keys: summary.apiKeys, clients: summary.clients }
  })

  app.get('/state', {
    schema: { tags: ['admin'], security, summary: 'Counts per merchant, with their keys', response: { 200: StateSchema, 401: errors[401] } },
  }, () => {
    const c = stores.counts()
    return {
      totals: { merchants: c.merchants, api_keys: c.apiKeys, clients: c.clients },
      merchants: stores.merchants.summaries().map((m) => ({ id: m.id, name: m.name, clients: m.clients, api_keys: m.apiKeys as Array<{ key: string, status: 'active' | 'inactive' }> })),
    }
  })
}
