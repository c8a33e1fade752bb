// /__admin/merchants and /__admin/api-keys (CONTRACT §5: the mock's own test-setup API, not
// Fatora's): parse → service → answer. Writes go through the app's one write queue.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { adminErrors as errors, adminSecurity as security, storageError } from '../../admin/responses.js'
import type { Stores } from '../../db/stores.js'
import type { WriteQueue } from '../../db/write-queue.js'
import { NotFoundError } from '../../domain-errors.js'
import { errorResponse } from '../../http/responses.js'
import { merchantMessages as messages } from './messages.js'
import {
  ApiKeyListSchema, ApiKeyParamsSchema, ApiKeySchema, CreateApiKeyBodySchema, CreateMerchantBodySchema, CreateMerchantResponseSchema, UpdateApiKeyBodySchema,
} from './schema.js'
import { addApiKey, addMerchant, newApiKey } from './service.js'

export interface MerchantsAdminOptions {
  stores: Stores
  write: WriteQueue
}

export const merchantsAdminRoutes: FastifyPluginCallbackTypebox<MerchantsAdminOptions> = (app, { stores, write }, done) => {
  app.post('/merchants', {
    schema: {
      operationId: 'adminCreateMerchant',
      tags: ['admin'],
      security,
      summary: 'Create a merchant with one active key',
      body: CreateMerchantBodySchema,
      response: { 201: CreateMerchantResponseSchema, ...errors, 409: errorResponse(409, 'The chosen id is taken', 'Merchant 1 already exists'), 503: storageError },
    },
  }, async (request, reply) => {
    const { merchant, apiKey } = await write(() => addMerchant(stores, request.body.name, request.body.id))
    return await reply.code(201).send({ merchant, api_key: apiKey })
  })

  app.get('/api-keys', {
    schema: { operationId: 'adminListApiKeys', tags: ['admin'], security, summary: 'List every API key', response: { 200: ApiKeyListSchema, 401: errors[401], 503: storageError } },
  }, () => ({ api_keys: stores.keys.list().map((k) => ({ key: k.key, merchant_id: k.merchantId, status: k.status })) }))

  app.post('/api-keys', {
    schema: {
      operationId: 'adminCreateApiKey',
      tags: ['admin'],
      security,
      summary: 'Add an API key to a merchant (random unless `key` is given)',
      body: CreateApiKeyBodySchema,
      response: { 201: ApiKeySchema, ...errors, 409: errorResponse(409, 'The key exists', 'This api_key already exists'), 422: errorResponse(422, 'Unknown merchant', 'Unknown merchant_id: no merchant 9'), 503: storageError },
    },
  }, async (request, reply) => {
    const b = request.body
    const k = await write(() => addApiKey(stores, b.merchant_id, b.status ?? 'active', b.key ?? newApiKey()))
    return await reply.code(201).send({ key: k.key, merchant_id: k.merchantId, status: k.status })
  })

  app.patch('/api-keys/:key', {
    schema: {
      operationId: 'adminUpdateApiKey',
      tags: ['admin'],
      security,
      summary: 'Activate or deactivate an API key (inactive keys answer 403)',
      params: ApiKeyParamsSchema,
      body: UpdateApiKeyBodySchema,
      response: { 200: ApiKeySchema, ...errors, 404: errorResponse(404, 'No such key', messages.apiKeyNotFound), 503: storageError },
    },
  }, async (request) => {
    const k = await write(() => stores.keys.setStatus(request.params.key, request.body.status))
    if (k === undefined) throw new NotFoundError(messages.apiKeyNotFound)
    return { key: k.key, merchant_id: k.merchantId, status: k.status }
  })
  done()
}
