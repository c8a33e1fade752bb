// Client schemas, declared once for validation, types and OpenAPI: /v1/clients (CONTRACT §2), the
// /__admin bodies (CONTRACT §5) and the clients' part of the fixtures format (CONTRACT §3).
import { Type, type Static } from 'typebox'
import { EMAIL_PATTERN } from '../../http/patterns.js'
import { Id, MerchantRefFields, notBothMerchantRefs } from '../merchants/schema.js'
import { idParam, pagingQuery } from '../params.js'

export const ClientIdParamsSchema = Type.Object({ client_id: idParam('client', 1024) }, { additionalProperties: false })

export type ClientIdParams = Static<typeof ClientIdParamsSchema>

/** Longest accepted values of client fields (documented in the README). */
export const CLIENT_LIMITS = { name: 200, address: 500, phone: 50, email: 254, notes: 2000 } as const

// A type array, not anyOf [string, null]: the same JSON Schema meaning (and OpenAPI 3.1), but
// fast-json-stringify serialises it directly, where anyOf costs an ajv check per field per
// response and a slower compilation on the first request.
const nullableString = (description: string, example: string) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], description, examples: [example] })

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

export const ListClientsQuerySchema = Type.Object({
  keyword: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive substring of the name, email, phone or address' })),
  email: Type.Optional(Type.String({ maxLength: CLIENT_LIMITS.email, description: 'Exact e-mail, case-insensitive' })),
  ...pagingQuery('Clients'),
})

export type ListClientsQuery = Static<typeof ListClientsQuerySchema>

const field = (maxLength: number, description: string, example: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description, examples: [example] }))

/**
 * CONTRACT §4: `note` is an alias of `notes`. JSON Schema cannot say "equal when both are
 * strings", so the rule is in words here, beside the service that applies it (assertNotesAgree).
 */
export const NOTE_ALIAS_RULE = 'Send notes or note (its alias), or both with the same value: two different strings are a 400. ' +
  'null counts as not sent, so {"notes":"VIP","note":null} stores VIP (docs/decisions.md).'

// Fatora's Create/Update Client body. Unknown fields are ignored, as a lenient API would;
// `note` is accepted as an alias of `notes` (CONTRACT §4).
export const ClientBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: CLIENT_LIMITS.name, description: 'Full name (required)', examples: ['Client Name'] }),
  address: field(CLIENT_LIMITS.address, 'Address', 'Client Address'),
  phone: field(CLIENT_LIMITS.phone, 'Phone', 'Client Phone'),
  email: Type.Optional(Type.Union([Type.String({ maxLength: CLIENT_LIMITS.email, format: 'email', pattern: EMAIL_PATTERN }), Type.Null()], { description: 'E-mail; unique per merchant, case-insensitive', examples: ['client@example.com'] })),
  notes: field(CLIENT_LIMITS.notes, `Additional notes. ${NOTE_ALIAS_RULE}`, 'Additional notes'),
  note: field(CLIENT_LIMITS.notes, `Alias of notes. ${NOTE_ALIAS_RULE}`, 'Additional notes'),
}, { $id: 'ClientBody', title: 'ClientBody', description: `Unknown fields are ignored. ${NOTE_ALIAS_RULE}` })

export type ClientBody = Static<typeof ClientBodySchema>

export const ListClientsResponseSchema = Type.Object({
  status: Type.Literal('SUCCESS'),
  clients: Type.Array(Type.Unsafe<Client>({ $ref: 'Client#' })),
  page: Type.Integer({ minimum: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 100 }),
  total: Type.Integer({ minimum: 0, description: 'Clients matching the filters, on all pages' }),
}, {
  $id: 'ListClientsResponse',
  title: 'ListClientsResponse',
  description: "One page of the merchant's clients, ordered by id",
  additionalProperties: false,
  examples: [{ status: 'SUCCESS', clients: [CLIENT_1024_EXAMPLE], page: 1, page_size: 20, total: 1 }],
})

export type ListClientsResponse = Static<typeof ListClientsResponseSchema>

// /__admin (ours): strict bodies, a merchant named by merchant_id or api_key.
const AdminText = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description })
const AdminOptionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }))

export const CreateClientBodySchema = Type.Object({
  ...MerchantRefFields,
  id: Type.Optional(Id),
  name: AdminText(CLIENT_LIMITS.name, 'Full name'),
  address: AdminOptionalText(CLIENT_LIMITS.address, 'Address'),
  phone: AdminOptionalText(CLIENT_LIMITS.phone, 'Phone'),
  email: AdminOptionalText(CLIENT_LIMITS.email, 'Email (any text: the admin API sets up data as given)'),
  notes: AdminOptionalText(CLIENT_LIMITS.notes, `Notes. ${NOTE_ALIAS_RULE}`),
  note: AdminOptionalText(CLIENT_LIMITS.notes, `Alias of notes. ${NOTE_ALIAS_RULE}`),
}, { additionalProperties: false, ...notBothMerchantRefs })

export type CreateClientBody = Static<typeof CreateClientBodySchema>

export const LOCALES = ['en', 'ar'] as const
export type Locale = typeof LOCALES[number]

// The fixtures format: hand-written clients and a recipe for seeded fake ones, per merchant.
const FixtureText = (maxLength: number) => Type.String({ minLength: 1, maxLength })
const FixtureOptionalText = (maxLength: number) => Type.Optional(Type.Union([FixtureText(maxLength), Type.Null()]))

export const FixtureClientSchema = Type.Object({
  id: Id,
  name: FixtureText(200),
  address: FixtureOptionalText(500),
  phone: FixtureOptionalText(50),
  email: FixtureOptionalText(254),
  notes: FixtureOptionalText(2000),
  created_at: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false })

export const FakeClientsRecipeSchema = Type.Object({
  count: Type.Integer({ minimum: 0, maximum: 10000 }),
  first_id: Id,
  seed: Type.Integer({ minimum: 0 }),
  locale: Type.Union(LOCALES.map((l) => Type.Literal(l))),
}, { additionalProperties: false })

/** Each fixtures merchant's clients: hand-written ones, and optionally generated ones. */
export const clientFixtureFields = {
  clients: Type.Array(FixtureClientSchema),
  fake_clients: Type.Optional(FakeClientsRecipeSchema),
}

export const ClientsFixtureSchema = Type.Object(clientFixtureFields)
export type ClientsFixture = Static<typeof ClientsFixtureSchema> & { id: number }
export type FixtureClient = Static<typeof FixtureClientSchema>
export type FakeClientsRecipe = Static<typeof FakeClientsRecipeSchema>
