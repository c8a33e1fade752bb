// The one seeding core behind the server's first start, the CLI and the admin API: fixtures,
// fake clients in batches, import and reset. All writes go through the stores, in transactions:
// a batch is written whole or not at all.
import type { ClientRow } from '../db/clients-store.js'
import type { KeyStatus } from '../db/keys-store.js'
import type { MerchantRecord } from '../db/merchants-store.js'
import type { Stores } from '../db/stores.js'
import type { Fixtures, Locale } from '../schemas/fixtures.js'
import { DEFAULT_REFERENCE_DATE, generateClients } from './fake-clients.js'
import { randomUUID } from 'node:crypto'

/** The docs' public test key: its merchant is the default target of a seed. */
export const DEMO_API_KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'
export const MAX_SEED_COUNT = 10_000_000
export const DEFAULT_BATCH = 5_000
/**
 * Over HTTP each batch runs between two turns of the event loop, so it bounds how long other
 * requests wait: 500 clients take ~10 ms with the e-mail index kept up to date (and a request
 * needs a few turns to be answered).
 */
export const DEFAULT_ASYNC_BATCH = 500

/** A request the current data cannot satisfy; `status` is the HTTP answer the admin API gives. */
export class StateError extends Error {
  override name = 'StateError'
  constructor (readonly status: 400 | 404 | 409 | 422 | 503, message: string) {
    super(message)
  }
}

export interface SeedSummary {
  merchants: number
  apiKeys: number
  clients: number
}

function insertFixtures (stores: Stores, fixtures: Fixtures, summary: SeedSummary): void {
  for (const m of fixtures.merchants) {
    if (stores.merchants.find(m.id) === undefined) {
      stores.merchants.insert({ id: m.id, name: m.name })
      summary.merchants++
    }
    for (const k of m.api_keys) {
      stores.keys.insert({ key: k.key, merchantId: m.id, status: k.status })
      summary.apiKeys++
    }
    for (const c of m.clients) {
      const createdAt = c.created_at ?? fixtures.reference_date
      stores.clients.insert({
        id: c.id,
        merchantId: m.id,
        name: c.name,
        address: c.address ?? null,
        phone: c.phone ?? null,
        email: c.email ?? null,
        notes: c.notes ?? null,
        createdAt,
        updatedAt: createdAt,
      })
      summary.clients++
    }
    const fake = m.fake_clients
    if (fake !== undefined) {
      for (const c of generateClients({ merchantId: m.id, firstId: fake.first_id, count: fake.count, seed: fake.seed, locale: fake.locale, referenceDate: fixtures.reference_date })) {
        stores.clients.insert(c)
        summary.clients++
      }
    }
  }
}

/** Inserts every merchant, key, hand-written client and generated fake client, in one transaction. */
export function seedFixtures (stores: Stores, fixtures: Fixtures | readonly Fixtures[]): SeedSummary {
  const summary: SeedSummary = { merchants: 0, apiKeys: 0, clients: 0 }
  const list = Array.isArray(fixtures) ? fixtures : [fixtures as Fixtures]
  stores.transaction(() => { for (const f of list) insertFixtures(stores, f, summary) })
  return summary
}

/**
 * Adds fixtures-format data to an existing database. Merchants that exist are reused (their
 * name is kept); any key or client id already taken stops the import before anything is written,
 * naming the entry.
 */
export function importFixtures (stores: Stores, fixtures: Fixtures, source: string): SeedSummary {
  for (const [mi, m] of fixtures.merchants.entries()) {
    for (const [ki, k] of m.api_keys.entries()) {
      if (stores.keys.find(k.key) !== undefined) throw new StateError(409, `${source}: /merchants/${mi}/api_keys/${ki}/key already exists`)
    }
    for (const [ci, c] of m.clients.entries()) {
      if (stores.clients.exists(c.id)) throw new StateError(409, `${source}: /merchants/${mi}/clients/${ci}/id ${c.id} already exists`)
    }
    const fake = m.fake_clients
    if (fake !== undefined && fake.count > 0) {
      for (let id = fake.first_id; id < fake.first_id + fake.count; id++) {
        if (stores.clients.exists(id)) throw new StateError(409, `${source}: /merchants/${mi}/fake_clients would reuse client id ${id}, which already exists`)
      }
    }
  }
  return seedFixtures(stores, fixtures)
}

/** Deletes everything and loads the fixtures again, in one transaction. */
export function resetToFixtures (stores: Stores, fixtures: readonly Fixtures[]): SeedSummary {
  return stores.transaction(() => {
    stores.clear()
    return seedFixtures(stores, fixtures)
  })
}

export interface MerchantRef {
  merchantId?: number | undefined
  apiKey?: string | undefined
}

/** The merchant named by id or by one of its keys; by default the demo key's (else the first). */
export function resolveMerchant (stores: Stores, ref: MerchantRef, fields = { merchantId: 'merchant_id', apiKey: 'api_key' }): MerchantRecord {
  if (ref.merchantId !== undefined && ref.apiKey !== undefined) {
    throw new StateError(400, `Give ${fields.merchantId} or ${fields.apiKey}, not both`)
  }
  if (ref.apiKey !== undefined) {
    const key = stores.keys.find(ref.apiKey)
    if (key === undefined) throw new StateError(422, `Unknown ${fields.apiKey}: no merchant has this key`)
    return stores.merchants.find(key.merchantId) as MerchantRecord
  }
  if (ref.merchantId !== undefined) {
    const m = stores.merchants.find(ref.merchantId)
    if (m === undefined) throw new StateError(422, `Unknown ${fields.merchantId}: no merchant ${ref.merchantId}`)
    return m
  }
  const demo = stores.keys.find(DEMO_API_KEY)
  const fallback = demo !== undefined ? stores.merchants.find(demo.merchantId) : stores.merchants.summaries()[0]
  if (fallback === undefined) throw new StateError(422, 'The database has no merchant: add one first')
  return { id: fallback.id, name: fallback.name }
}

export interface SeedClientsOptions {
  merchantId: number
  count: number
  seed: number
  locale: Locale
  /** Clients per transaction (and between yields in the async form). */
  batch?: number | undefined
  referenceDate?: string | undefined
  /** Called after each batch with the number of clients written so far. */
  onProgress?: ((written: number) => void) | undefined
}

export interface SeedClientsResult {
  inserted: number
  firstId: number | null
  lastId: number | null
}

function * seedBatches (stores: Stores, o: SeedClientsOptions): Generator<number, SeedClientsResult> {
  if (!Number.isInteger(o.count) || o.count < 0 || o.count > MAX_SEED_COUNT) throw new StateError(400, `count must be an integer from 0 to ${MAX_SEED_COUNT}`)
  const batch = o.batch ?? DEFAULT_BATCH
  const firstId = stores.clients.maxId() + 1
  if (firstId + o.count - 1 > Number.MAX_SAFE_INTEGER) throw new StateError(409, 'Client ids would pass 2^53−1')
  const clients = generateClients({ merchantId: o.merchantId, firstId, count: o.count, seed: o.seed, locale: o.locale, referenceDate: o.referenceDate ?? DEFAULT_REFERENCE_DATE })
  let written = 0
  while (written < o.count) {
    const n = Math.min(batch, o.count - written)
    stores.transaction(() => {
      for (let i = 0; i < n; i++) {
        const next = clients.next()
        if (next.done === true) break
        stores.clients.insert(next.value)
      }
    })
    written += n
    o.onProgress?.(written)
    yield written
  }
  return { inserted: o.count, firstId: o.count > 0 ? firstId : null, lastId: o.count > 0 ? firstId + o.count - 1 : null }
}

/** Past this many clients a synchronous seed builds the e-mail index once, at the end. */
const BULK_THRESHOLD = 20_000

/** Adds `count` fake clients after the largest id, in batches of one transaction each. */
export function seedClients (stores: Stores, o: SeedClientsOptions): SeedClientsResult {
  const run = (): SeedClientsResult => {
    const it = seedBatches(stores, o)
    for (;;) {
      const r = it.next()
      if (r.done === true) return r.value
    }
  }
  return o.count >= BULK_THRESHOLD ? stores.clients.withoutEmailIndex(run) : run()
}

/**
 * The same, yielding to the event loop between batches so other requests keep being answered
 * while a large seed runs over HTTP. Callers serialise writers (ids are taken from max + 1).
 */
export async function seedClientsAsync (stores: Stores, o: SeedClientsOptions & { signal?: AbortSignal | undefined }): Promise<SeedClientsResult> {
  const it = seedBatches(stores, { ...o, batch: o.batch ?? DEFAULT_ASYNC_BATCH })
  for (;;) {
    const r = it.next()
    if (r.done === true) return r.value
    await new Promise<void>((resolve) => setImmediate(resolve))
    // A closing server stops between batches: every batch written is whole (issue 8).
    if (o.signal?.aborted === true && r.value < o.count) {
      throw new StateError(503, `The server is shutting down: the seed stopped after ${r.value} of ${o.count} clients (whole batches only)`)
    }
  }
}

/** A new key in Fatora's format (an upper-case UUID). */
export function newApiKey (): string {
  return randomUUID().toUpperCase()
}

/** Adds a key to an existing merchant. */
export function addApiKey (stores: Stores, merchantId: number, status: KeyStatus = 'active', key: string = newApiKey()): { key: string, merchantId: number, status: KeyStatus } {
  if (stores.merchants.find(merchantId) === undefined) throw new StateError(422, `Unknown merchant_id: no merchant ${merchantId}`)
  if (stores.keys.find(key) !== undefined) throw new StateError(409, 'This api_key already exists')
  stores.keys.insert({ key, merchantId, status })
  return { key, merchantId, status }
}

/** Creates a merchant with one active key. */
export function addMerchant (stores: Stores, name: string, id?: number): { merchant: MerchantRecord, apiKey: string } {
  return stores.transaction(() => {
    if (id !== undefined && stores.merchants.find(id) !== undefined) throw new StateError(409, `Merchant ${id} already exists`)
    const merchant = stores.merchants.insert({ id, name })
    const { key } = addApiKey(stores, merchant.id)
    return { merchant, apiKey: key }
  })
}

export interface NewClient {
  id?: number | undefined
  name: string
  address?: string | null | undefined
  phone?: string | null | undefined
  email?: string | null | undefined
  notes?: string | null | undefined
}

/** Creates one specific client for a merchant; a chosen id that is taken is a conflict. */
export function addClient (stores: Stores, merchantId: number, c: NewClient): ClientRow {
  if (c.id !== undefined && stores.clients.exists(c.id)) throw new StateError(409, `Client id ${c.id} is already taken`)
  return stores.clients.create({
    id: c.id, merchantId, name: c.name, address: c.address ?? null, phone: c.phone ?? null, email: c.email ?? null, notes: c.notes ?? null,
  })
}
