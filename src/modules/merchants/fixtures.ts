// The merchants' part of loading fixtures: each merchant (unless it exists) and its keys.
import { ConflictError } from '../../domain-errors.js'
import type { FixtureMerchant, FixtureWriter } from '../module.js'
import type { MerchantFixture } from './schema.js'

const own = (m: FixtureMerchant): MerchantFixture => m as unknown as MerchantFixture

export const merchantsFixtureWriter: FixtureWriter = {
  checkImport (stores, merchant, mi, source) {
    for (const [ki, k] of own(merchant).api_keys.entries()) {
      if (stores.keys.find(k.key) !== undefined) throw new ConflictError(`${source}: /merchants/${mi}/api_keys/${ki}/key already exists`)
    }
  },
  insert (stores, merchant, { summary }) {
    const m = own(merchant)
    if (stores.merchants.find(m.id) === undefined) {
      stores.merchants.insert({ id: m.id, name: m.name })
      summary.merchants = (summary.merchants ?? 0) + 1
    }
    for (const k of m.api_keys) {
      stores.keys.insert({ key: k.key, merchantId: m.id, status: k.status })
      summary.apiKeys = (summary.apiKeys ?? 0) + 1
    }
  },
}

/** Merchant ids and keys are unique across all merchants (of every fixtures file). */
export function checkMerchantReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const ids = new Set<number>()
  const keys = new Set<string>()
  for (const [mi, merchant] of merchants.entries()) {
    const m = own(merchant)
    if (ids.has(m.id)) return `/merchants/${mi}/id ${m.id} is used twice`
    ids.add(m.id)
    for (const [ki, k] of m.api_keys.entries()) {
      if (keys.has(k.key)) return `/merchants/${mi}/api_keys/${ki}/key is used twice`
      keys.add(k.key)
    }
  }
  return undefined
}
