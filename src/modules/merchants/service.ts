// The rules for merchants and keys, shared by /__admin, the CLI and seeding: no HTTP here, only
// domain errors (http/errors.ts maps them; the CLI prints them).
import { randomUUID } from 'node:crypto'
import type { Stores } from '../../db/stores.js'
import { ConflictError, InvalidInputError, UnknownReferenceError } from '../../domain-errors.js'
import type { KeyStatus } from './keys-store.js'
import { merchantMessages as messages } from './messages.js'
import type { MerchantRecord } from './store.js'

/** The docs' public test key (CONTRACT §3): its merchant is the default target of a seed. */
export const DEMO_API_KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'

type MerchantStores = Pick<Stores, 'merchants' | 'keys' | 'transaction'>

/** A new key in Fatora's format (an upper-case UUID). */
export function newApiKey (): string {
  return randomUUID().toUpperCase()
}

/** Adds a key to an existing merchant. */
export function addApiKey (stores: MerchantStores, merchantId: number, status: KeyStatus = 'active', key: string = newApiKey()): { key: string, merchantId: number, status: KeyStatus } {
  if (stores.merchants.find(merchantId) === undefined) throw new UnknownReferenceError(messages.unknownMerchant('merchant_id', merchantId))
  if (stores.keys.find(key) !== undefined) throw new ConflictError(messages.keyExists)
  stores.keys.insert({ key, merchantId, status })
  return { key, merchantId, status }
}

/** Creates a merchant with one active key. */
export function addMerchant (stores: MerchantStores, name: string, id?: number): { merchant: MerchantRecord, apiKey: string } {
  return stores.transaction(() => {
    if (id !== undefined && stores.merchants.find(id) !== undefined) throw new ConflictError(messages.merchantExists(id))
    const merchant = stores.merchants.insert({ id, name })
    const { key } = addApiKey(stores, merchant.id)
    return { merchant, apiKey: key }
  })
}

export interface MerchantRef {
  merchantId?: number | undefined
  apiKey?: string | undefined
}

/**
 * The merchant named by id or by one of its keys; by default the demo key's (else the first).
 * `fields` names the inputs in messages (merchant_id/api_key over HTTP, --merchant/--api-key in the CLI).
 */
export function resolveMerchant (stores: MerchantStores, ref: MerchantRef, fields = { merchantId: 'merchant_id', apiKey: 'api_key' }): MerchantRecord {
  if (ref.merchantId !== undefined && ref.apiKey !== undefined) {
    throw new InvalidInputError(messages.bothGiven(fields.merchantId, fields.apiKey))
  }
  if (ref.apiKey !== undefined) {
    const key = stores.keys.find(ref.apiKey)
    if (key === undefined) throw new UnknownReferenceError(messages.unknownKey(fields.apiKey))
    return stores.merchants.find(key.merchantId) as MerchantRecord
  }
  if (ref.merchantId !== undefined) {
    const m = stores.merchants.find(ref.merchantId)
    if (m === undefined) throw new UnknownReferenceError(messages.unknownMerchant(fields.merchantId, ref.merchantId))
    return m
  }
  const demo = stores.keys.find(DEMO_API_KEY)
  const fallback = demo !== undefined ? stores.merchants.find(demo.merchantId) : stores.merchants.list()[0]
  if (fallback === undefined) throw new UnknownReferenceError(messages.noMerchant)
  return { id: fallback.id, name: fallback.name }
}

export interface MerchantSummary extends MerchantRecord {
  /** The other families' per-merchant counts (clients…). */
  counts: Record<string, number>
  apiKeys: Array<{ key: string, status: KeyStatus }>
}

/** Every merchant with its per-merchant counts and keys, by id (for /__admin/state and the CLI). */
export function summarizeMerchants (stores: Pick<Stores, 'merchants' | 'keys' | 'countsPerMerchant'>, countKeys: readonly string[]): MerchantSummary[] {
  const counts = stores.countsPerMerchant()
  const keys = new Map<number, Array<{ key: string, status: KeyStatus }>>()
  for (const r of stores.keys.list()) {
    const list = keys.get(r.merchantId) ?? []
    list.push({ key: r.key, status: r.status })
    keys.set(r.merchantId, list)
  }
  return stores.merchants.list().map((m) => {
    const own = counts.get(m.id) ?? {}
    return { ...m, counts: Object.fromEntries(countKeys.map((k) => [k, own[k] ?? 0])), apiKeys: keys.get(m.id) ?? [] }
  })
}
