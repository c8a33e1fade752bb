// Fake invoices in bulk (CONTRACT §5, §7), for `fatora-mock seed --family invoices` and POST
// /__admin/seed {"family": "invoices"}: deterministic invoices with their items (fake.ts) after
// the largest id, one transaction per batch, so an invoice and its items are written together.
// Their items name the merchant's products: a merchant without any first gets STARTER_PRODUCTS
// fake ones (same seed and locale), and the result says so. Loaded on first use: it brings faker.
import type { Stores } from '../../db/stores.js'
import { ConflictError, InvalidInputError } from '../../domain-errors.js'
import { DEFAULT_REFERENCE_DATE, inBatches, runToEnd, runYielding } from '../../seed/batches.js'
import type { SeedOptions, SeedResult, Seeder } from '../module.js'
import { seedProducts } from '../products/seed.js'
import { generateInvoices } from './fake.js'
import { invoiceMessages as messages } from './messages.js'

export const MAX_SEED_COUNT = 10_000_000
/** Invoices per transaction from the CLI: each brings about 1.75 item rows (docs/performance.md). */
export const DEFAULT_BATCH = 5_000
/** Over HTTP, as clients' (docs/performance.md): a batch bounds how long other requests wait. */
export const DEFAULT_ASYNC_BATCH = 200
/** Products given to a merchant that has none before its invoices are seeded. */
export const STARTER_PRODUCTS = 20
/** The products items choose from: the merchant's first ones by id (a bounded list in memory). */
export const CATALOG_LIMIT = 1_000

type SeedStores = Pick<Stores, 'invoices' | 'products' | 'transaction'>

function * seedBatches (stores: SeedStores, o: SeedOptions): Generator<number, SeedResult> {
  if (!Number.isInteger(o.count) || o.count < 0 || o.count > MAX_SEED_COUNT) throw new InvalidInputError(messages.seedCountInvalid(MAX_SEED_COUNT))
  // After the largest id, or else the lowest free run: never past 2^53 − 1 (db/free-ids.ts).
  const firstId = o.count === 0 ? 1 : stores.invoices.freeIds(o.count)
  if (firstId === undefined) throw new ConflictError(messages.idsExhausted(o.count))
  const referenceDate = o.referenceDate ?? DEFAULT_REFERENCE_DATE
  let products = stores.products.catalog(o.merchantId, CATALOG_LIMIT)
  let alsoAdded: SeedResult['alsoAdded']
  if (products.length === 0 && o.count > 0) {
    alsoAdded = { family: 'products', ...seedProducts(stores, { merchantId: o.merchantId, count: STARTER_PRODUCTS, seed: o.seed, locale: o.locale, referenceDate }) }
    products = stores.products.catalog(o.merchantId, CATALOG_LIMIT)
  }
  const rows = generateInvoices({ merchantId: o.merchantId, firstId, count: o.count, seed: o.seed, locale: o.locale, referenceDate, products })
  yield * inBatches(stores.transaction, { count: o.count, batch: o.batch ?? DEFAULT_BATCH, rows, insert: (inv) => { stores.invoices.insert(inv) }, onProgress: o.onProgress })
  return {
    inserted: o.count,
    firstId: o.count > 0 ? firstId : null,
    lastId: o.count > 0 ? firstId + o.count - 1 : null,
    ...(alsoAdded === undefined ? {} : { alsoAdded }),
  }
}

/** Past this many invoices a synchronous seed builds the date and product indexes once, at the end. */
const BULK_THRESHOLD = 20_000

/** Adds `count` fake invoices (and their items) after the largest id, in batches of one transaction each. */
export function seedInvoices (stores: SeedStores, o: SeedOptions): SeedResult {
  const run = (): SeedResult => runToEnd(seedBatches(stores, o))
  return o.count >= BULK_THRESHOLD ? stores.invoices.withoutBulkIndexes(run) : run()
}

/** The same, yielding to the event loop between batches (POST /__admin/seed). */
export async function seedInvoicesAsync (stores: SeedStores, o: SeedOptions & { signal?: AbortSignal | undefined }): Promise<SeedResult> {
  return await runYielding(seedBatches(stores, { ...o, batch: o.batch ?? DEFAULT_ASYNC_BATCH }), o.count, o.signal, (written) => messages.seedStopped(written, o.count))
}

export const invoicesSeeder: Seeder = { seed: seedInvoices, seedAsync: seedInvoicesAsync }
