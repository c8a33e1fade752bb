// The fixtures file format (fixtures/*.json): merchants with their keys, hand-written clients
// and a recipe for seeded fake clients. Issue-3's import reads the same format.
import { Type, type Static } from 'typebox'

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
const OptionalText = (maxLength: number) =>
  Type.Optional(Type.Union([Text(maxLength), Type.Null()]))

export const LOCALES = ['en', 'ar'] as const

export const FixtureClientSchema = Type.Object({
  id: Id,
  name: Text(200),
  address: OptionalText(500),
  phone: OptionalText(50),
  email: OptionalText(254),
  notes: OptionalText(2000),
  created_at: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false })

export const FakeClientsRecipeSchema = Type.Object({
  count: Type.Integer({ minimum: 0, maximum: 10000 }),
  first_id: Id,
  seed: Type.Integer({ minimum: 0 }),
  locale: Type.Union(LOCALES.map((l) => Type.Literal(l))),
}, { additionalProperties: false })

export const FixtureMerchantSchema = Type.Object({
  id: Id,
  name: Text(200),
  api_keys: Type.Array(Type.Object({
    key: Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    note: Type.Optional(Type.String()),
  }, { additionalProperties: false })),
  clients: Type.Array(FixtureClientSchema),
  fake_clients: Type.Optional(FakeClientsRecipeSchema),
}, { additionalProperties: false })

export const FixturesSchema = Type.Object({
  $comment: Type.Optional(Type.String()),
  reference_date: Type.String({ format: 'date-time', description: 'Fixed "now" for generated dates, so every machine gets the same data' }),
  merchants: Type.Array(FixtureMerchantSchema, { minItems: 1 }),
}, { additionalProperties: false })

export type Fixtures = Static<typeof FixturesSchema>
export type FixtureMerchant = Static<typeof FixtureMerchantSchema>
export type FixtureClient = Static<typeof FixtureClientSchema>
export type FakeClientsRecipe = Static<typeof FakeClientsRecipeSchema>
export type Locale = typeof LOCALES[number]
