// Fake clients in bulk, for the CLI's `seed`, POST /__admin/seed and SEED_CLIENTS: deterministic
// rows (fake.ts) after the largest id, one transaction per batch, so a batch is written whole or
// not at all. Loaded on first use: it brings faker.
import type { Stores } from '../../db/stores.js'
import { ConflictError, InvalidInputError } from '../../domain-errors.js'
import type { Seeder } from '../module.js'
import { inBatches, runToEnd, runYielding } from '../../seed/batches.js'
import { DEFAULT_REFERENCE_DATE, generateClients } from './fake.js'
import { clientMessages as messages } from './messages.js'
import type { Locale } from './schema.js'

export const MAX_SEED_COUNT = 10_000_000
export const DEFAULT_BATCH = 5_000
/**
 * Over HTTP each batch runs between two turns of the event loop, so it bounds how long other
 * requests wait (and a request needs a few turns to be answered): small enough to keep them
 * answered promptly with the e-mail index kept up to date (docs/performance.md). 100 rather than
 * 500: as fast in all (a 50,000 seed into 1,000,000 clients), with the longest pause 25 ms, not 50–110.
 */
export const DEFAULT_ASYNC_BATCH = 100

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

type SeedStores = Pick<Stores, 'clients' | 'transaction'>

function * seedBatches (stores: SeedStores, o: SeedClientsOptions): Generator<number, SeedClientsResult> {
  if (!Number.isInteger(o.count) || o.count < 0 || o.count > MAX_SEED_COUNT) throw new InvalidInputError(messages.seedCountInvalid(MAX_SEED_COUNT))
  // After the largest id, or else the lowest free run: never past 2^53 − 1 (db/free-ids.ts).
  const firstId = o.count === 0 ? 1 : stores.clients.freeIds(o.count)
  if (firstId === undefined) throw new ConflictError(messages.idsExhausted(o.count))
  const rows = generateClients({ merchantId: o.merchantId, firstId, count: o.count, seed: o.seed, locale: o.locale, referenceDate: o.referenceDate ?? DEFAULT_REFERENCE_DATE })
  yield * inBatches(stores.transaction, { count: o.count, batch: o.batch ?? DEFAULT_BATCH, rows, insert: (c) => { stores.clients.insert(c) }, insertMany: (cs) => { stores.clients.insertMany(cs) }, onProgress: o.onProgress })
  return { inserted: o.count, firstId: o.count > 0 ? firstId : null, lastId: o.count > 0 ? firstId + o.count - 1 : null }
}

/** Past this many clients a synchronous seed builds the e-mail index once, at the end. */
const BULK_THRESHOLD = 20_000

/** Adds `count` fake clients after the largest id, in batches of one transaction each. */
export function seedClients (stores: SeedStores, o: SeedClientsOptions): SeedClientsResult {
  const run = (): SeedClientsResult => runToEnd(seedBatches(stores, o))
  return o.count >= BULK_THRESHOLD ? stores.clients.withoutBulkIndexes(run) : run()
}

/**
 * The same, yielding to the event loop between batches so other requests keep being answered
 * while a large seed runs over HTTP. Callers serialise writers (the run of ids chosen first must stay free).
 */
export async function seedClientsAsync (stores: SeedStores, o: SeedClientsOptions & { signal?: AbortSignal | undefined }): Promise<SeedClientsResult> {
  return await runYielding(seedBatches(stores, { ...o, batch: o.batch ?? DEFAULT_ASYNC_BATCH }), o.count, o.signal, (written) => messages.seedStopped(written, o.count))
}

/** The clients' part of seeding (the registry's `seeding`): `fatora-mock seed`, POST /__admin/seed. */
export const clientsSeeder: Seeder = { seed: seedClients, seedAsync: seedClientsAsync }
