// Merchant and API key schemas: the /__admin bodies and answers (CONTRACT §5: ours, strict — an
// unknown field or a wrong type is a 400 naming it) and the merchants' part of the fixtures format.
import { Type, type Static } from 'typebox'
import { merchantMessages } from './messages.js'

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
export const KeyText = Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Visible ASCII, no spaces' })
// Enums (not unions of literals) so a bad value reports the allowed ones.
export const KeyStatusSchema = Type.Enum(['active', 'inactive'])

/** `merchant_id` or `api_key`: how admin bodies name the merchant they act for. */
export const MerchantRefFields = {
  merchant_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The merchant to act for (not with api_key; neither: the demo merchant)' })),
  api_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Or the merchant of this key (not with merchant_id)' })),
}

/**
 * The object options of a body with MerchantRefFields: the two exclude each other. The route maps
 * the failure to its sentence with the validation message key "body:not" (merchantRefMessages).
 */
export const notBothMerchantRefs = {
  // "Not an object with both": `type` keeps a body that is no object at all (`not` is checked
  // first) to its own error, and `properties` only names the two (any value) for readers and
  // linters of the document that look for a required property's definition beside it.
  not: { type: 'object', required: ['merchant_id', 'api_key'], properties: { merchant_id: {}, api_key: {} }, description: 'merchant_id and api_key together' },
  description: 'merchant_id or api_key names the merchant, not both; with neither, the demo merchant (or else the first one)',
}

/** The validation message of a body with notBothMerchantRefs (a route's config.validationMessages). */
export const merchantRefMessages = { 'body:not': merchantMessages.bothGiven('merchant_id', 'api_key') }

export const MerchantSchema = Type.Object({ id: Id, name: Type.String() }, { additionalProperties: false })
export const ApiKeySchema = Type.Object({ key: Type.String(), merchant_id: Id, status: KeyStatusSchema }, { additionalProperties: false })

export const CreateMerchantBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Merchant name' }),
  id: Type.Optional(Id),
}, { additionalProperties: false })

export const CreateMerchantResponseSchema = Type.Object({
  merchant: MerchantSchema,
  api_key: Type.String({ description: 'A new active key of this merchant' }),
}, { additionalProperties: false })

export const CreateApiKeyBodySchema = Type.Object({
  merchant_id: Id,
  status: Type.Optional(KeyStatusSchema),
  key: Type.Optional(KeyText),
}, { additionalProperties: false })

export const UpdateApiKeyBodySchema = Type.Object({ status: KeyStatusSchema }, { additionalProperties: false })
export const ApiKeyParamsSchema = Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) })
export const ApiKeyListSchema = Type.Object({ api_keys: Type.Array(ApiKeySchema) }, { additionalProperties: false })

/** Each fixtures merchant: its id, name and keys (the other families add their own fields). */
export const merchantFixtureFields = {
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  api_keys: Type.Array(Type.Object({
    key: Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    note: Type.Optional(Type.String()),
  }, { additionalProperties: false })),
}

export const MerchantFixtureSchema = Type.Object(merchantFixtureFields)
export type MerchantFixture = Static<typeof MerchantFixtureSchema>
