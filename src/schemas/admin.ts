// Schemas of the /__admin API (CONTRACT §5: ours, not Fatora's): bodies are strict (unknown
// fields and wrong types are a 400 naming the field), responses are serialised from these.
import { Type, type Static } from 'typebox'
import { CLIENT_LIMITS } from './client.js'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const KeyText = Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Visible ASCII, no spaces' })
// Enums (not unions of literals) so a bad value reports the allowed ones.
const Status = Type.Enum(['active', 'inactive'])
const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description })
const OptionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }))

const MerchantRefFields = {
  merchant_id: Type.Optional(Id),
  api_key: Type.Optional(KeyText),
}

export const MerchantSchema = Type.Object({ id: Id, name: Type.String() }, { additionalProperties: false })
export const ApiKeySchema = Type.Object({ key: Type.String(), merchant_id: Id, status: Status }, { additionalProperties: false })

export const CreateMerchantBodySchema = Type.Object({
  name: Text(200, 'Merchant name'),
  id: Type.Optional(Id),
}, { additionalProperties: false })

export const CreateMerchantResponseSchema = Type.Object({
  merchant: MerchantSchema,
  api_key: Type.String({ description: 'A new active key of this merchant' }),
}, { additionalProperties: false })

export const CreateApiKeyBodySchema = Type.Object({
  merchant_id: Id,
  status: Type.Optional(Status),
  key: Type.Optional(KeyText),
}, { additionalProperties: false })

export const UpdateApiKeyBodySchema = Type.Object({ status: Status }, { additionalProperties: false })
export const ApiKeyParamsSchema = Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) })
export const ApiKeyListSchema = Type.Object({ api_keys: Type.Array(ApiKeySchema) }, { additionalProperties: false })

export const CreateClientBodySchema = Type.Object({
  ...MerchantRefFields,
  id: Type.Optional(Id),
  name: Text(CLIENT_LIMITS.name, 'Full name'),
  address: OptionalText(CLIENT_LIMITS.address, 'Address'),
  phone: OptionalText(CLIENT_LIMITS.phone, 'Phone'),
  email: OptionalText(CLIENT_LIMITS.email, 'Email'),
  notes: OptionalText(CLIENT_LIMITS.notes, 'Notes'),
  note: OptionalText(CLIENT_LIMITS.notes, 'Alias of notes'),
}, { additionalProperties: false })

export const SeedBodySchema = Type.Object({
  ...MerchantRefFields,
  count: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'How many fake clients to add' }),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, default: 1, description: 'Faker seed: the same seed, count, locale and starting data give the same rows' })),
  locale: Type.Optional(Type.Enum(['en', 'ar'], { default: 'en' })),
  batch: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Clients per transaction' })),
}, { additionalProperties: false })

export const SeedResponseSchema = Type.Object({
  merchant_id: Id,
  inserted: Type.Integer(),
  first_id: Id,
  last_id: Id,
  ms: Type.Number({ description: 'Time taken' }),
}, { additionalProperties: false })

export const CountsSchema = Type.Object({
  merchants: Type.Integer(),
  api_keys: Type.Integer(),
  clients: Type.Integer(),
}, { additionalProperties: false })

export const StateSchema = Type.Object({
  totals: CountsSchema,
  merchants: Type.Array(Type.Object({
    id: Id,
    name: Type.String(),
    clients: Type.Integer(),
    api_keys: Type.Array(Type.Object({ key: Type.String(), status: Status }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

export type CreateClientBody = Static<typeof CreateClientBodySchema>
