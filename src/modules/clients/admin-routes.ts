// /__admin/clients and /__admin/seed (CONTRACT §5: ours, not Fatora's): one specific client, or
// many fake ones, for a merchant named by merchant_id or api_key (the demo merchant by default).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { adminErrors as errors, adminSecurity as security } from '../../admin/responses.js'
import type { Stores } from '../../db/stores.js'
import type { WriteQueue } from '../../db/write-queue.js'
import { errorResponse } from '../../http/responses.js'
import { resolveMerchant } from '../merchants/service.js'
import { toApiClient } from './routes.js'
import { CreateClientBodySchema, SeedBodySchema, SeedResponseSchema, type Client } from './schema.js'
import { assertNotesAgree, type ClientsService } from './service.js'

export interface ClientsAdminOptions {
  stores: Stores
  clients: ClientsService
  write: WriteQueue
  /** Aborted when the server starts closing: a running seed stops after its current batch. */
  closing: AbortSignal
}

// Seeding brings faker: loaded on the first seed, so a start without one never pays for it.
const seeding = async (): Promise<typeof import('./seed.js')> => await import('./seed.js')

export const clientsAdminRoutes: FastifyPluginCallbackTypebox<ClientsAdminOptions> = (app, { stores, clients, write, closing }, done) => {
  app.post('/clients', {
    schema: {
      tags: ['admin'],
      security,
      summary: 'Create one specific client (for merchant_id or the merchant of api_key)',
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
    assertNotesAgree(b)
    const result = await write(() => {
      const merchant = resolveMerchant(stores, { merchantId: b.merchant_id, apiKey: b.api_key })
      return { merchantId: merchant.id, row: clients.add(merchant.id, b) }
    })
    return await reply.code(201).send({ merchant_id: result.merchantId, client: toApiClient(result.row) })
  })

  app.post('/seed', {
    schema: {
      tags: ['admin'],
      security,
      summary: 'Add fake clients (deterministic for a given seed, count, locale and starting data)',
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
      const { seedClientsAsync } = await seeding()
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
  done()
}
