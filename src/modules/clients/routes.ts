// /v1/clients routes (CONTRACT §2): parse → service → SUCCESS body. No SQL and no rules here:
// the service applies them, tenancy-scoped; the response schema serialises.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { InvalidInputError } from '../../domain-errors.js'
import { commonErrorResponses, errorResponse } from '../../http/responses.js'
import { DEFAULT_PAGE_SIZE } from '../params.js'
import { clientMessages as messages } from './messages.js'
import {
  ClientBodySchema, ClientIdParamsSchema, GetClientResponseSchema, ListClientsQuerySchema, ListClientsResponseSchema,
  type Client, type GetClientResponse, type ListClientsQuery, type ListClientsResponse,
} from './schema.js'
import type { ClientsService } from './service.js'
import type { ClientRow } from './store.js'

export interface ClientsRoutesOptions {
  clients: ClientsService
}

/** CONTRACT §2 Decision: the docs call the field both `note` and `notes`; we send both. */
export function toApiClient (row: ClientRow): Client {
  return { id: row.id, name: row.name, address: row.address, phone: row.phone, email: row.email, note: row.notes, notes: row.notes }
}

const keywordInvalid = new InvalidInputError(messages.keywordInvalid)
const JSON_TYPE = 'application/json; charset=utf-8'
/** Get Client's answer per stored row object (a WeakMap: gone with the row). */
const serialised = new WeakMap<ClientRow, string>()
const security: Array<Record<string, string[]>> = [{ api_key: [] }, { bearer: [] }]

// Schema failures described in the client API's own words (a path or query field's rule).
const idMessages = { params: messages.clientIdInvalid, 'params.client_id': messages.clientIdInvalid }
const pageMessages = { 'querystring.page': messages.pageInvalid, 'querystring.page_size': messages.pageSizeInvalid }
// The schema's e-mail pattern is the format's rule, said as such (http/patterns.ts).
const bodyMessages = { 'body.email:pattern': messages.emailInvalid }

const writeErrors = {
  400: errorResponse(400, 'The body is invalid (the description names the field)', 'Invalid body: name is required'),
  409: errorResponse(409, 'Another client of this merchant has the same email (or, without email, the same name and phone)', messages.duplicateEmail),
}

export const clientsRoutes: FastifyPluginCallbackTypebox<ClientsRoutesOptions> = (app, { clients }, done) => {
  const listSchema = {
    operationId: 'listClients',
    summary: 'List Clients',
    description: "The merchant's clients, ordered by id, filtered and paged. `/v1/clients/` (with a slash, as in Fatora's curl sample) works too.",
    tags: ['clients'],
    security,
    querystring: ListClientsQuerySchema,
    response: {
      200: ListClientsResponseSchema,
      400: errorResponse(400, 'A query parameter is invalid', messages.pageSizeInvalid),
      ...commonErrorResponses,
    },
  }
  const list = (request: { query: ListClientsQuery, merchantId: number }): ListClientsResponse => {
    const page = request.query.page ?? 1
    const pageSize = request.query.page_size ?? DEFAULT_PAGE_SIZE
    // SQLite's LIKE stops at a NUL, so "a\0b" would match like "a": refuse it rather than mislead.
    if (request.query.keyword?.includes('\0') === true) throw keywordInvalid
    const { rows, total } = clients.list({
      merchantId: request.merchantId,
      keyword: request.query.keyword === '' ? undefined : request.query.keyword,
      email: request.query.email === '' ? undefined : request.query.email,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    })
    return { status: 'SUCCESS' as const, clients: rows.map(toApiClient), page, page_size: pageSize, total }
  }
  app.get('/clients', { schema: listSchema, config: { validationMessages: pageMessages } }, list)
  app.get('/clients/', { schema: { ...listSchema, hide: true }, config: { validationMessages: pageMessages } }, list)

  app.post('/clients', {
    config: { validationMessages: bodyMessages },
    schema: {
      operationId: 'createClient',
      summary: 'Create Client',
      tags: ['clients'],
      security,
      body: ClientBodySchema,
      response: { 201: GetClientResponseSchema, ...writeErrors, ...commonErrorResponses },
    },
  }, async (request, reply) => {
    const row = await clients.create(request.merchantId, request.body)
    return await reply.code(201).send({ status: 'SUCCESS' as const, client: toApiClient(row) })
  })

  app.put('/clients/:client_id', {
    config: { validationMessages: { ...idMessages, ...bodyMessages } },
    schema: {
      operationId: 'updateClient',
      summary: 'Update Client',
      description: "Replaces the client's fields: optional fields left out become null.",
      tags: ['clients'],
      security,
      params: ClientIdParamsSchema,
      body: ClientBodySchema,
      response: {
        200: GetClientResponseSchema,
        ...writeErrors,
        ...commonErrorResponses,
        404: errorResponse(404, 'No such client for this merchant', messages.clientNotFound),
      },
    },
  }, async (request) => {
    const row = await clients.update(request.merchantId, request.params.client_id, request.body)
    return { status: 'SUCCESS' as const, client: toApiClient(row) }
  })

  app.delete('/clients/:client_id', {
    config: { validationMessages: idMessages },
    schema: {
      operationId: 'deleteClient',
      summary: 'Delete Client',
      tags: ['clients'],
      security,
      params: ClientIdParamsSchema,
      response: {
        204: { type: 'null', description: 'Deleted; no body' },
        400: errorResponse(400, 'client_id is not a positive integer', messages.clientIdInvalid),
        ...commonErrorResponses,
        404: errorResponse(404, 'No such client for this merchant', messages.clientNotFound),
      },
    },
  }, async (request, reply) => {
    await clients.remove(request.merchantId, request.params.client_id)
    return await reply.code(204).send(null)
  })

  app.get('/clients/:client_id', {
    config: { validationMessages: idMessages },
    schema: {
      operationId: 'getClient',
      summary: 'Get Client',
      description: "Retrieves one of the merchant's clients by id. Another merchant's client answers 404, exactly like a missing one.",
      tags: ['clients'],
      security,
      params: ClientIdParamsSchema,
      response: {
        200: GetClientResponseSchema,
        400: errorResponse(400, 'client_id is not a positive integer', messages.clientIdInvalid),
        ...commonErrorResponses,
        404: errorResponse(404, 'No such client for this merchant', messages.clientNotFound),
      },
    },
  }, (request, reply): void => {
    const row = clients.get(request.merchantId, request.params.client_id)
    // The store hands out the same row object until a write replaces it: its answer is
    // serialised once and served as bytes after that. JSON.stringify of the typed answer gives
    // the schema's bytes (its fields, in its order) without compiling a serialiser on the first
    // request (the response schema still documents and types it; tests compare the bytes).
    let body = serialised.get(row)
    if (body === undefined) {
      const answer: GetClientResponse = { status: 'SUCCESS', client: toApiClient(row) }
      body = JSON.stringify(answer)
      serialised.set(row, body)
    }
    // Sent as the bytes they are: the typed reply only takes the object.
    void (reply as FastifyReply).type(JSON_TYPE).send(body)
  })
  done()
}
