// Schemas of the registry-wide /__admin routes (CONTRACT §5: ours): the counts a reset reports, the
// state summary (one entry per count the modules declare), and seeding (one family per module
// with a seeding part).
import { Type, type TSchema } from 'typebox'
import { COUNTS } from '../db/stores.js'
import { modules } from '../modules.js'
import { Id, KeyStatusSchema, MerchantRefFields, notBothMerchantRefs } from '../modules/merchants/schema.js'

/** A count's name in admin answers: snake_case, like every field of the API (apiKeys → api_keys). */
export function snakeCase (key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

const integers = (keys: readonly string[]): Record<string, TSchema> => Object.fromEntries(keys.map((k) => [snakeCase(k), Type.Integer()]))

export const CountsSchema = Type.Object(integers(COUNTS.map((c) => c.key)), { additionalProperties: false })

/** The counts /__admin/state also gives per merchant (clients…). */
export const PER_MERCHANT_COUNTS = COUNTS.filter((c) => c.perMerchant === true).map((c) => c.key)

export const StateSchema = Type.Object({
  totals: CountsSchema,
  merchants: Type.Array(Type.Object({
    id: Id,
    name: Type.String(),
    ...integers(PER_MERCHANT_COUNTS),
    api_keys: Type.Array(Type.Object({ key: Type.String(), status: KeyStatusSchema }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

/** Counts as the admin API answers them. */
export function countsBody (counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(COUNTS.map((c) => [snakeCase(c.key), counts[c.key] ?? 0]))
}

/** The families POST /__admin/seed (and `fatora-mock seed --family`) can add, in registry order. */
export const SEED_FAMILIES: readonly string[] = modules.flatMap((m) => m.seeding === undefined ? [] : [m.name])

// Clients stay the default: a body without `family` means what it meant before families existed.
export const SeedBodySchema = Type.Object({
  ...MerchantRefFields,
  family: Type.Optional(Type.Enum([...SEED_FAMILIES], { default: 'clients', description: 'What to add: clients (the default), products, or invoices with their items (a merchant without products first gets 20 fake ones)' })),
  count: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'How many fake rows to add' }),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, default: 1, description: 'Faker seed: the same family, seed, count, locale and starting data give the same rows' })),
  locale: Type.Optional(Type.Enum(['en', 'ar'], { default: 'en' })),
  batch: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Rows per transaction' })),
}, { additionalProperties: false, ...notBothMerchantRefs })

const seededIds = {
  inserted: Type.Integer(),
  first_id: Id,
  last_id: Id,
}

export const SeedResponseSchema = Type.Object({
  merchant_id: Id,
  ...seededIds,
  ms: Type.Number({ description: 'Time taken' }),
  also_added: Type.Optional(Type.Object({ family: Type.String(), ...seededIds }, {
    additionalProperties: false,
    description: 'Rows of another family added first so these have something to name: invoices for a merchant without products',
  })),
}, { additionalProperties: false })
