// /__admin for notifications (CONTRACT §6.7 Decision): the webhook delivery log, the push outbox,
// and a merchant's own webhook URL (which wins over WEBHOOK_URL).
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { adminErrors as errors, adminSecurity as security, noContent, storageError } from '../../admin/responses.js'
import type { Stores } from '../../db/stores.js'
import type { WriteQueue } from '../../db/write-queue.js'
import { UnknownReferenceError } from '../../domain-errors.js'
import { errorResponse } from '../../http/responses.js'
import { paymentMessages as messages } from './messages.js'
import type { Notifier } from './notifications.js'
import {
  MerchantWebhookBodySchema, MerchantWebhookParamsSchema, MerchantWebhookSchema, MerchantWebhookSetSchema, PushesSchema, WebhookDeliveriesQuerySchema, WebhookDeliveriesSchema,
} from './notifications-schema.js'
import { absoluteHttpUrl } from './service.js'

export interface NotificationsAdminOptions {
  notifier: Notifier
  stores: Stores
  write: WriteQueue
  /** WEBHOOK_URL, for the effective URL of a merchant without its own. */
  globalUrl: string | undefined
}

const unknownMerchant = errorResponse(422, 'No merchant has this id', messages.unknownMerchant(9))
const badMerchantId = errorResponse(400, 'merchantId is not a positive integer', 'Invalid params field merchantId: must be integer')

export const notificationsAdminRoutes: FastifyPluginCallbackTypebox<NotificationsAdminOptions> = (app, { notifier, stores, write, globalUrl }, done) => {
  const assertMerchant = (merchantId: number): void => {
    if (stores.merchants.find(merchantId) === undefined) throw new UnknownReferenceError(messages.unknownMerchant(merchantId))
  }

  app.get('/webhooks', {
    schema: {
      operationId: 'adminListWebhookDeliveries',
      tags: ['admin'],
      security,
      summary: 'The webhook delivery log: every attempt (the last 1,000), newest first',
      description: 'One entry per attempt: a non-2xx, unreachable or timed-out attempt is retried after each WEBHOOK_RETRY_MS delay, then given up. The signing secret is never shown.',
      querystring: WebhookDeliveriesQuerySchema,
      response: { 200: WebhookDeliveriesSchema, 400: errorResponse(400, 'A query parameter is invalid', 'Invalid query field merchant_id: must be integer'), 401: errors[401] },
    },
  }, (request) => ({ deliveries: notifier.deliveries({ paymentId: request.query.payment_id, merchantId: request.query.merchant_id }) }))

  app.delete('/webhooks', {
    schema: { operationId: 'adminClearWebhookDeliveries', tags: ['admin'], security, summary: 'Empty the webhook delivery log (pending retries still run)', response: { 204: noContent, 401: errors[401] } },
  }, async (_request, reply) => {
    notifier.clearDeliveries()
    return await reply.code(204).send(null)
  })

  app.get('/push', {
    schema: {
      operationId: 'adminListPushes',
      tags: ['admin'],
      security,
      summary: 'The push outbox: what a checkout with an fcm_token would have sent to the app (nothing leaves the machine), newest first',
      response: { 200: PushesSchema, 401: errors[401] },
    },
  }, () => ({ pushes: notifier.pushes() }))

  app.delete('/push', {
    schema: { operationId: 'adminClearPushes', tags: ['admin'], security, summary: 'Empty the push outbox', response: { 204: noContent, 401: errors[401] } },
  }, async (_request, reply) => {
    notifier.clearPushes()
    return await reply.code(204).send(null)
  })

  app.put('/merchants/:merchantId/webhook', {
    schema: {
      operationId: 'adminSetMerchantWebhook',
      tags: ['admin'],
      security,
      summary: "Set the merchant's own webhook URL (it wins over WEBHOOK_URL)",
      params: MerchantWebhookParamsSchema,
      body: MerchantWebhookBodySchema,
      response: { 200: MerchantWebhookSetSchema, ...errors, 422: unknownMerchant, 503: storageError },
    },
  }, async (request) => {
    const { merchantId } = request.params
    const url = absoluteHttpUrl(request.body.url, 'url')
    await write(() => {
      assertMerchant(merchantId)
      stores.payments.setWebhookUrl(merchantId, url)
    })
    return { merchant_id: merchantId, url }
  })

  app.get('/merchants/:merchantId/webhook', {
    schema: {
      operationId: 'adminGetMerchantWebhook',
      tags: ['admin'],
      security,
      summary: "The merchant's own webhook URL and the one its payments use",
      params: MerchantWebhookParamsSchema,
      response: { 200: MerchantWebhookSchema, 400: badMerchantId, 401: errors[401], 422: unknownMerchant, 503: storageError },
    },
  }, (request) => {
    const { merchantId } = request.params
    assertMerchant(merchantId)
    const own = stores.payments.webhookUrl(merchantId) ?? null
    return { merchant_id: merchantId, url: own, effective_url: own ?? globalUrl ?? null }
  })

  app.delete('/merchants/:merchantId/webhook', {
    schema: {
      operationId: 'adminDeleteMerchantWebhook',
      tags: ['admin'],
      security,
      summary: "Remove the merchant's own webhook URL (WEBHOOK_URL applies again, if set)",
      params: MerchantWebhookParamsSchema,
      response: { 204: noContent, 400: badMerchantId, 401: errors[401], 422: unknownMerchant, 503: storageError },
    },
  }, async (request, reply) => {
    const { merchantId } = request.params
    await write(() => {
      assertMerchant(merchantId)
      stores.payments.setWebhookUrl(merchantId, null)
    })
    return await reply.code(204).send(null)
  })
  done()
}
