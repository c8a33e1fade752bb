// What every /__admin route shares in its OpenAPI entry: the error answers and the security scheme.
import { authMessages } from '../auth/messages.js'
import { commonErrorResponses, errorResponse } from '../http/responses.js'

export const adminErrors = {
  400: errorResponse(400, 'The body is invalid (the description names the field)', 'Invalid body: name is required'),
  401: errorResponse(401, 'ADMIN_TOKEN is set and the Authorization header is missing or wrong', authMessages.adminTokenInvalid),
  415: commonErrorResponses[415],
}

/** For the routes that read or write the database: the 503 it answers while unavailable. */
export const storageError = commonErrorResponses[503]

export const adminSecurity = [{ admin_token: [] }]

export const noContent = { type: 'null', description: 'Done; no body' } as const
