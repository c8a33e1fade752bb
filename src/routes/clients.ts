// /v1/clients routes (CONTRACT §2): schemas, handlers and SUCCESS bodies. No SQL here: the
// store answers, tenancy-scoped; the response schema serialises.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import type { ClientRow, ClientsStore } from '../db/clients-store.js'
import { ApiError, MAX_CLIENT_ID, messages } from '../errors.js'
import { ClientIdParamsSchema, GetClientResponseSchema, type Client } from '../schemas/client.js'
import { errorResponse } from '../schemas/envelope.js'

export interface ClientsRoutesOptions {
  clients: ClientsStore
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

export const clientsRoutes: FastifyPluginCallbackTypebox<ClientsRoutesOptions> = (app, { clients }, done) => {
  app.get('/clients/:client_id', {
    schema: {
      operationId: 'getClient',
      summary: 'Get Client',
      description: "Retrieves one of the merchant's clients by id. Another merchant's client answers 404, exactly like a missing one.",
      tags: ['clients'],
      security: [{ api_key: [] }],
      params: ClientIdParamsSchema,
      response: {
        200: GetClientResponseSchema,
        400: errorResponse(400, 'client_id is not a positive integer', messages.clientIdInvalid),
        ...commonErrorResponses,
        404: errorResponse(404, 'No such client for this merchant', messages.clientNotFound),
      },
    },
  }, (request) => {
    // The pattern allows up to 16 digits; past 2^53−1 the id would lose precision.
    const id = Number(request.params.client_id)
    if (id > MAX_CLIENT_ID) throw clientIdInvalid
    const row = clients.findForMerchant(request.merchantId, id)
    if (row === undefined) throw clientNotFound
    return { status: 'SUCCESS' as const, client: toApiClient(row) }
  })
  done()
}
