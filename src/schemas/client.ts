// Client schemas for /v1/clients (CONTRACT §2): params, the client object and the SUCCESS body.
import { Type, type Static } from 'typebox'
import { MAX_CLIENT_ID } from '../errors.js'

// A string with a strict pattern, not an integer: Fastify's integer coercion accepts 1e3,
// 0x10, 1.0, " 12" and 01024 (STACK.md). The range check up to 2^53−1 follows in the handler.
export const ClientIdParamsSchema = Type.Object({
  client_id: Type.String({
    pattern: '^[1-9][0-9]{0,15}$',
    description: `Unique identifier of the client: a positive integer from 1 to ${MAX_CLIENT_ID}`,
    examples: ['1024'],
  }),
}, { additionalProperties: false })

export type ClientIdParams = Static<typeof ClientIdParamsSchema>

/** Longest accepted values of client fields (documented in the README). */
export const CLIENT_LIMITS = { name: 200, address: 500, phone: 50, email: 254, notes: 2000 } as const

const nullableString = (description: string, example: string) =>
  Type.Union([Type.String(), Type.Null()], { description, examples: [example] })

export const ClientSchema = Type.Object({
  id: Type.Integer({ description: 'The id of the client', examples: [1024] }),
  name: Type.String({ description: 'The full name of the client', examples: ['Client Name'] }),
  address: nullableString('The address of the client', 'Client Address'),
  phone: nullableString('The phone of the client', 'Client Phone'),
  email: nullableString('The email of the client', 'client@example.com'),
  note: nullableString('Additional note (the docs\' field table name; same value as notes — CONTRACT §2 Decision)', 'Additional notes'),
  notes: nullableString('Additional notes (the docs\' JSON sample name; same value as note)', 'Additional notes'),
}, { $id: 'Client', title: 'Client', additionalProperties: false })

export type Client = Static<typeof ClientSchema>

export const CLIENT_1024_EXAMPLE: Client = {
  id: 1024,
  name: 'Client Name',
  address: 'Client Address',
  phone: 'Client Phone',
  email: 'client@example.com',
  note: 'Additional notes',
  notes: 'Additional notes',
}

export const GetClientResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  client: Type.Unsafe<Client>({ $ref: 'Client#' }),
}, {
  $id: 'GetClientResponse',
  title: 'GetClientResponse',
  description: 'The client',
  additionalProperties: false,
  examples: [{ status: 'SUCCESS', client: CLIENT_1024_EXAMPLE }],
})

export type GetClientResponse = Static<typeof GetClientResponseSchema>
