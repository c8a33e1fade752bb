// /__admin/clients (CONTRACT §5: ours, not Fatora's): one specific client for a merchant named by
// merchant_id or api_key (the demo merchant by default). Fake ones in bulk: POST /__admin/seed
// (admin/routes.ts, every family's seeding).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { adminErrors as errors, adminSecurity as security, storageError } from '../../admin/responses.js'
import type { Stores } from '../../db/stores.js'
import type { WriteQueue } from '../../db/write-queue.js'
import { errorResponse } from '../../http/responses.js'
import { merchantRefMessages } from '../merchants/schema.js'
import { resolveMerchant } from '../merchants/service.js'
import { toApiClient } from './routes.js'
import { CreateClientBodySchema, type Client } from './schema.js'
import { assertNotesAgree, type ClientsService } from './service.js'

export interface ClientsAdminOptions {
  stores: Stores
  clients: ClientsService
  write: WriteQueue
}

export const clientsAdminRoutes: FastifyPluginCallbackTypebox<ClientsAdminOptions> = (app, { stores, clients, write }, done) => {
  app.post('/clients', {
    config: { validationMessages: merchantRefMessages },
    schema: {
      operationId: 'adminCreateClient',
      tags: ['admin'],
      security,
      summary: 'Create one specific client (for merchant_id or the merchant of api_key)',
      body: CreateClientBodySchema,
      response: {
        201: Type.Object({ merchant_id: Type.Integer(), client: Type.Unsafe<Client>({ $ref: 'Client#' }) }, { additionalProperties: false }),
        ...errors,
        409: errorResponse(409, 'The chosen id is taken', 'Client id 1024 is already taken'),
        422: errorResponse(422, 'Unknown merchant or key', 'Unknown merchant_id: no merchant 9'),
        503: storageError,
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

  done()
}
