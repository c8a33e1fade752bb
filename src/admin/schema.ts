// Schemas of the registry-wide /__admin answers (CONTRACT §5: ours): the counts a reset reports and
// the state summary, with one entry per count the modules declare.
import { Type, type TSchema } from 'typebox'
import { COUNTS } from '../db/stores.js'
import { Id, KeyStatusSchema } from '../modules/merchants/schema.js'

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
