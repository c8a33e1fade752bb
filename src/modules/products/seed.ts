// Fake products in bulk (CONTRACT §5, §7), for `fatora-mock seed --family products` and POST
// /__admin/seed {"family": "products"}, and before fake invoices for a merchant without products:
// deterministic rows (fake.ts) after the largest id, one transaction per batch. Loaded on first
// use: it brings faker.
import type { Stores } from '../../db/stores.js'
import { ConflictError, InvalidInputError } from '../../domain-errors.js'
import { DEFAULT_REFERENCE_DATE, inBatches, runToEnd, runYielding } from '../../seed/batches.js'
import type { SeedOptions, SeedResult, Seeder } from '../module.js'
import { generateProducts } from './fake.js'
import { productMessages as messages } from './messages.js'
import type { ProductRecord } from './store.js'

export const MAX_SEED_COUNT = 10_000_000
export const DEFAULT_BATCH = 5_000
/** Over HTTP, as clients' (docs/performance.md): a batch bounds how long other requests wait. */
export const DEFAULT_ASYNC_BATCH = 500

type SeedStores = Pick<Stores, 'products' | 'transaction'>

/**
 * Writes a fake product; a sku the merchant already uses (a hand-written `SKU-<n>`) is left out
 * instead (CONTRACT §7: unique within a merchant), so a seed never fails on someone's data.
 */
export function insertFakeProduct (stores: SeedStores, p: ProductRecord): void {
  const sku = p.sku !== null && stores.products.findBySku(p.merchantId, p.sku) !== undefined ? null : p.sku
  stores.products.insert(sku === p.sku ? p : { ...p, sku })
}

function * seedBatches (stores: SeedStores, o: SeedOptions): Generator<number, SeedResult> {
  if (!Number.isInteger(o.count) || o.count < 0 || o.count > MAX_SEED_COUNT) throw new InvalidInputError(messages.seedCountInvalid(MAX_SEED_COUNT))
  // After the largest id, or else the lowest free run: never past 2^53 − 1 (db/free-ids.ts).
  const firstId = o.count === 0 ? 1 : stores.products.freeIds(o.count)
  if (firstId === undefined) throw new ConflictError(messages.idsExhausted(o.count))
  const rows = generateProducts({ merchantId: o.merchantId, firstId, count: o.count, seed: o.seed, locale: o.locale, referenceDate: o.referenceDate ?? DEFAULT_REFERENCE_DATE })
  yield * inBatches(stores.transaction, { count: o.count, batch: o.batch ?? DEFAULT_BATCH, rows, insert: (p) => { insertFakeProduct(stores, p) }, onProgress: o.onProgress })
  return { inserted: o.count, firstId: o.count > 0 ? firstId : null, lastId: o.count > 0 ? firstId + o.count - 1 : null }
}

/** Adds `count` fake products after the largest id, in batches of one transaction each. */
export function seedProducts (stores: SeedStores, o: SeedOptions): SeedResult {
  return runToEnd(seedBatches(stores, o))
}

/** The same, yielding to the event loop between batches (POST /__admin/seed). */
export async function seedProductsAsync (stores: SeedStores, o: SeedOptions & { signal?: AbortSignal | undefined }): Promise<SeedResult> {
  return await runYielding(seedBatches(stores, { ...o, batch: o.batch ?? DEFAULT_ASYNC_BATCH }), o.count, o.signal, (written) => messages.seedStopped(written, o.count))
}

export const productsSeeder: Seeder = { seed: seedProducts, seedAsync: seedProductsAsync }
