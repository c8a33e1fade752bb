// /__admin/faults and /__admin/requests (CONTRACT §5): configure faults on /v1 and read
// the request journal. Registered inside the admin scope, so ADMIN_TOKEN guards them too.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { adminErrors as errors, adminSecurity as security, noContent } from '../admin/responses.js'
import { ApiError } from '../http/errors.js'
import { errorResponse } from '../http/responses.js'
import type { FaultStore } from './faults.js'
import type { Journal } from './journal.js'
import { controlMessages as messages } from './messages.js'
import { FaultBodySchema, FaultListSchema, FaultParamsSchema, FaultSchema, RequestsQuerySchema, RequestsResponseSchema } from './schema.js'

export interface AdminControlsOptions {
  faults: FaultStore
  journal: Journal
}

const faultNotFound = new ApiError(404, messages.faultNotFound)

export const testControlsRoutes: FastifyPluginCallbackTypebox<AdminControlsOptions> = (app, { faults, journal }, done) => {
  app.post('/faults', {
    config: { validationMessages: { 'body.path:pattern': messages.faultPathOutsideV1 } },
    schema: {
      operationId: 'adminAddFault',
      tags: ['admin'],
      security,
      summary: 'Add a fault: delay, fail (documented envelope) or reset matching /v1 requests',
      body: FaultBodySchema,
      response: { 201: FaultSchema, ...errors },
    },
  }, async (request, reply) => {
    const b = request.body
    if (b.connection !== undefined && b.status !== undefined) throw new ApiError(400, messages.faultResetWithStatus)
    if (b.status === undefined && b.connection === undefined && (b.delay_ms ?? 0) === 0 && (b.jitter_ms ?? 0) === 0) {
      throw new ApiError(400, messages.faultNeedsEffect)
    }
    return await reply.code(201).send(faults.add(b))
  })

  app.get('/faults', {
    schema: { operationId: 'adminListFaults', tags: ['admin'], security, summary: 'List the faults, with their hits and the generator seed', response: { 200: FaultListSchema, 401: errors[401] } },
  }, () => ({ seed: faults.seed, faults: faults.list() }))

  app.delete('/faults/:id', {
    schema: {
      operationId: 'adminDeleteFault',
      tags: ['admin'],
      security,
      summary: 'Remove one fault',
      params: FaultParamsSchema,
      response: { 204: noContent, 400: errorResponse(400, 'id is not a positive integer', 'Invalid params field id: must be integer'), 401: errors[401], 404: errorResponse(404, 'No such fault', messages.faultNotFound) },
    },
  }, async (request, reply) => {
    if (!faults.remove(request.params.id)) throw faultNotFound
    return await reply.code(204).send(null)
  })

  app.delete('/faults', {
    schema: { operationId: 'adminClearFaults', tags: ['admin'], security, summary: 'Remove every fault', response: { 204: noContent, 401: errors[401] } },
  }, async (_request, reply) => {
    faults.clear()
    return await reply.code(204).send(null)
  })

  app.get('/requests', {
    schema: {
      operationId: 'adminListRequests',
      tags: ['admin'],
      security,
      summary: 'The request journal: the last JOURNAL_SIZE /v1 requests, newest first, filtered',
      querystring: RequestsQuerySchema,
      response: { 200: RequestsResponseSchema, 400: errorResponse(400, 'A query parameter is invalid', 'Invalid query field status: must match pattern "^[1-5]([0-9]{2}|xx)$"'), 401: errors[401] },
    },
  }, (request) => ({ size: journal.size, recorded: journal.recorded, requests: journal.query(request.query) }))

  app.delete('/requests', {
    schema: { operationId: 'adminClearRequests', tags: ['admin'], security, summary: 'Empty the request journal', response: { 204: noContent, 401: errors[401] } },
  }, async (_request, reply) => {
    journal.clear()
    return await reply.code(204).send(null)
  })
  done()
}
