// The fixtures file format (fixtures/*.json, CONTRACT §3): merchants, each with the fields every
// module adds (keys, clients, a recipe for fake clients…). `fatora-mock import` reads it too.
import { Type, type Static, type TSchema } from 'typebox'
import { modules } from '../modules.js'
import type { FixtureMerchant } from '../modules/module.js'

const merchantFields: Record<string, TSchema> = {}
for (const m of modules) Object.assign(merchantFields, m.fixtures?.fields)

export const FixtureMerchantSchema = Type.Object(merchantFields, { additionalProperties: false })

export const FixturesSchema = Type.Object({
  $comment: Type.Optional(Type.String()),
  reference_date: Type.String({ format: 'date-time', description: 'Fixed "now" for generated dates, so every machine gets the same data' }),
  merchants: Type.Array(FixtureMerchantSchema, { minItems: 1 }),
}, { additionalProperties: false })

/** A validated fixtures file; each module reads its own fields of a merchant. */
export type Fixtures = Omit<Static<typeof FixturesSchema>, 'merchants'> & { merchants: FixtureMerchant[] }
