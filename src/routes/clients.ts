// /v1/clients routes (CONTRACT §2): schemas, handlers and SUCCESS bodies. No SQL here: the
// store answers, tenancy-scoped; the response schema serialises.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import type { ClientFields, ClientRow, ClientsStore } from '../db/clients-store.js'
import { ApiError, MAX_CLIENT_ID, messages } from '../errors.js'
import type { WriteQueue } from '../plugins/write-queue.js'
import {
  ClientBodySchema, ClientIdParamsSchema, GetClientResponseSchema, ListClientsQuerySchema, ListClientsResponseSchema,
  type Client, type ClientBody, type ListClientsQuery, type ListClientsResponse,
} from '../schemas/client.js'
import { errorResponse } from '../schemas/envelope.js'

export interface ClientsRoutesOptions {
  clients: ClientsStore
  /** The app's single queue of writers (shared with /__admin). */
  write: WriteQueue
}

/** CONTRACT §2 Decision: the docs call the field both `note` and `notes`; we send both. */
export function toApiClient (row: ClientRow): Client {
  return { id: row.id, name: row.name, address: row.address, phone: row.phone, email: row.email, note: row.notes, notes: row.notes }
}

/** The error responses every authenticated /v1 route can give, for OpenAPI. */
export const commonErrorResponses = {
  401: errorResponse(401, 'api_key missing, empty or unknown', "Merchant API key isn't valid"),
  403: errorResponse(403, 'api_key exists but is inactive', 'Merchant API key is inactive'),
  406: errorResponse(406, 'The Accept header admits no JSON', messages.notAcceptable),
  415: errorResponse(415, 'A Content-Type other than application/json was sent', messages.unsupportedMediaType),
  500: errorResponse(500, 'Unexpected failure (details are logged, never sent)', messages.internal),
  503: errorResponse(503, 'The database is unavailable', messages.storageUnavailable),
}

const clientNotFound = new ApiError(404, messages.clientNotFound)
const clientIdInvalid = new ApiError(400, messages.clientIdInvalid)
const pageSizeInvalid = new ApiError(400, messages.pageSizeInvalid)
const keywordInvalid = new ApiError(400, messages.keywordInvalid)
const security: Array<Record<string, string[]>> = [{ api_key: [] }, { bearer: [] }]

// The pattern allows up to 16 digits; past 2^53−1 the id would lose precision.
function clientId (raw: string): number {
  const id = Number(raw)
  if (id > MAX_CLIENT_ID) throw clientIdInvalid
  return id
}

/** A body as stored: absent optional fields are null; `note` is an alias of `notes`. */
function toFields (body: ClientBody): ClientFields {
  if (body.note !== undefined && body.notes !== undefined && body.note !== body.notes) throw new ApiError(400, messages.noteMismatch)
  return {
    name: body.name,
    address: body.address ?? null,
    phone: body.phone ?? null,
    email: body.email ?? null,
    notes: body.notes ?? body.note ?? null,
  }
}

/**
 * CONTRACT §4 Decision: a duplicate is another client of the merchant with the same e-mail
 * (case-insensitive) or, when this one has no e-mail, the same name and phone.
 */
function assertNoDuplicate (clients: ClientsStore, merchantId: number, f: ClientFields, exceptId?: number): void {
  if (f.email !== null) {
    if (clients.findByEmail(merchantId, f.email, exceptId) !== undefined) throw new ApiError(409, messages.duplicateEmail)
  } else if (clients.findByNameAndPhone(merchantId, f.name, f.phone, exceptId) !== undefined) {
    throw new ApiError(409, messages.duplicateNamePhone)
  }
}

const writeErrors = {
  400: errorResponse(400, 'The body is invalid (the description names the field)', 'Invalid body: name is required'),
  409: errorResponse(409, 'Another client of this merchant has the same email (or, without email, the same name and phone)', messages.duplicateEmail),
}

export const clientsRoutes: FastifyPluginCallbackTypebox<ClientsRoutesOptions> = (app, { clients, write }, done) => {
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
    const page = Number(request.query.page ?? 1)
    const pageSize = Number(request.query.page_size ?? 20)
    if (pageSize > 100) throw pageSizeInvalid
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
  app.get('/clients', { schema: listSchema }, list)
  app.get('/clients/', { schema: { ...listSchema, hide: true } }, list)

  app.post('/clients', {
    schema: {
      operationId: 'createClient',
      summary: 'Create Client',
      tags: ['clients'],
      security,
      body: ClientBodySchema,
      response: { 201: GetClientResponseSchema, ...writeErrors, ...commonErrorResponses },
    },
  }, async (request, reply) => {
    const fields = toFields(request.body)
    const row = await write(() => {
      assertNoDuplicate(clients, request.merchantId, fields)
      return clients.create({ merchantId: request.merchantId, ...fields })
    })
    return await reply.code(201).send({ status: 'SUCCESS' as const, client: toApiClient(row) })
  })

  app.put('/clients/:client_id', {
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
    const id = clientId(request.params.client_id)
    const fields = toFields(request.body)
    const row = await write(() => {
      if (clients.findForMerchant(request.merchantId, id) === undefined) throw clientNotFound
      assertNoDuplicate(clients, request.merchantId, fields, id)
      return clients.update(request.merchantId, id, fields)
    })
    if (row === undefined) throw clientNotFound
    return { status: 'SUCCESS' as const, client: toApiClient(row) }
  })

  app.delete('/clients/:client_id', {
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
    const id = clientId(request.params.client_id)
    const removed = await write(() => clients.remove(request.merchantId, id))
    if (!removed) throw clientNotFound
    return await reply.code(204).send(null)
  })

  app.get('/clients/:client_id', {
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
  }, (request) => {
    const row = clients.findForMerchant(request.merchantId, clientId(request.params.client_id))
    if (row === undefined) throw clientNotFound
    return { status: 'SUCCESS' as const, client: toApiClient(row) }
  })
  done()
}
