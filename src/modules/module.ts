// The shape of one API family (a resource module). The registry (src/modules.ts) lists them and
// everything that needs "every family" — the database, stores, routes, OpenAPI, fixtures, seeding,
// admin summaries, the tests' route tables — loops over it instead of keeping its own list.
import type { FastifyInstance } from 'fastify'
import type { TSchema } from 'typebox'
import type { Config } from '../config.js'
import type { Db } from '../db/open.js'
import type { Freshness } from '../db/read-cache.js'
import type { Stores } from '../db/stores.js'
import type { WriteQueue } from '../db/write-queue.js'
import type { Clock } from '../test-controls/clock.js'

/** A row count reported by summaries (start-up log, reset, /__admin/state, the CLI). */
export interface CountSpec {
  /** Key in summaries (camelCase; the admin API answers it in snake_case). */
  key: string
  table: string
  /** Word after the number in one-line summaries ("3 keys"). */
  noun: string
  /** The word after 1 ("1 payment"). */
  one: string
  /** Also counted per merchant in /__admin/state and `fatora-mock merchants list`. */
  perMerchant?: boolean
}

/**
 * What a module's routes get: the stores, the app's one write queue, the settings and the shutdown
 * signal. One object per app: a module may key its per-app state (e.g. a notifier) on it.
 */
export interface RouteDeps {
  stores: Stores
  config: Config
  write: WriteQueue
  /** Aborted when the server starts closing: long writes (seeds) stop after a whole batch. */
  closing: AbortSignal
  /** The mock's clock (/__admin/clock): the time a module's routes read and write. */
  clock: Clock
}

/** One merchant of a fixtures file, as validated (each module reads its own fields). */
export interface FixtureMerchant {
  id: number
  name: string
  [field: string]: unknown
}

/** Per-seed context: "now" for generated data, and the counts being added up. */
export interface FixtureContext {
  referenceDate: string
  summary: Record<string, number>
}

/** The module's part of loading fixtures; loaded on first use (it may need faker). */
export interface FixtureWriter {
  /** Import into an existing database: throws ConflictError naming the entry when data would collide. */
  checkImport?: (stores: Stores, merchant: FixtureMerchant, index: number, source: string) => void
  /** Writes the merchant's part (inside the caller's transaction) and counts it in the summary. */
  insert: (stores: Stores, merchant: FixtureMerchant, context: FixtureContext) => void
}

/** The module's part of the fixtures format (fixtures/*.json, CONTRACT §3). */
export interface FixturesPart {
  /** Properties of each merchant entry, in the order they are documented. */
  fields: Readonly<Record<string, TSchema>>
  /** What a schema cannot check across all merchants (unique ids…): the first problem, or undefined. */
  checkReferences?: (merchants: readonly FixtureMerchant[]) => string | undefined
  load: () => Promise<FixtureWriter>
}

/** The locales fake data is written in (names, addresses, descriptions). */
export type SeedLocale = 'en' | 'ar'

/** What one seed of fake rows is asked for (the CLI's `seed`, POST /__admin/seed; CONTRACT §5). */
export interface SeedOptions {
  merchantId: number
  count: number
  seed: number
  locale: SeedLocale
  /** Rows per transaction (and between yields in the async form). */
  batch?: number | undefined
  /** "Now" for generated dates; the fixtures' default reference date when undefined. */
  referenceDate?: string | undefined
  /** Called after each batch with the number of rows written so far. */
  onProgress?: ((written: number) => void) | undefined
}

/** The ids a seed wrote (null when it wrote none). */
export interface SeededIds {
  inserted: number
  firstId: number | null
  lastId: number | null
}

export interface SeedResult extends SeededIds {
  /** Rows of another family written first so these have something to name (invoices' products). */
  alsoAdded?: SeededIds & { family: string }
}

/** A family's bulk fake-data writer: deterministic rows after the largest id, one transaction per batch. */
export interface Seeder {
  seed: (stores: Stores, options: SeedOptions) => SeedResult
  /** The same, yielding to the event loop between batches; a closing server stops it after a whole batch. */
  seedAsync: (stores: Stores, options: SeedOptions & { signal?: AbortSignal | undefined }) => Promise<SeedResult>
}

/** The module's part of seeding fake rows (CONTRACT §5), loaded on first use (it brings faker). */
export interface SeedingPart {
  /** Plural noun in messages ("clients"). */
  noun: string
  load: () => Promise<Seeder>
}

/** One API family: its data, its routes and its fixtures. */
export interface FatoraModule<S extends object = object> {
  name: string
  /** Its tables, in creation order: checked when a database opens, emptied (in reverse) by reset. */
  tables: readonly string[]
  /** Schema version → the DDL this module adds at that version (append only; see db/migrations.ts). */
  migrations: Readonly<Record<number, string>>
  counts?: readonly CountSpec[]
  /** Its stores, by name (merged into the app's Stores). */
  createStores: (db: Db, freshness: Freshness) => S
  /** The store methods that write: refused while the database is read-only. */
  writes: { readonly [K in keyof S]: ReadonlyArray<keyof S[K] & string> }
  /** Named ($id) schemas its routes reference: registered once, OpenAPI components. */
  schemas?: readonly TSchema[]
  /** Its OpenAPI tag. */
  tag?: { name: string, description: string }
  /** The OpenAPI tag of its pages (pageRoutes). */
  pagesTag?: { name: string, description: string }
  /** Its Fatora routes, registered under /v1 after authentication. */
  routes?: (v1: FastifyInstance, deps: RouteDeps) => Promise<void>
  /** Routes it also serves under /api/v1 (same pipeline), where Fatora's samples write that path. */
  apiV1Routes?: (api: FastifyInstance, deps: RouteDeps) => Promise<void>
  /** Its pages for people (HTML, outside /v1 and without api_key), e.g. the hosted payment page. */
  pageRoutes?: (app: FastifyInstance, deps: RouteDeps) => Promise<void>
  /** Its /__admin routes (ours, CONTRACT §5). */
  adminRoutes?: (admin: FastifyInstance, deps: RouteDeps) => Promise<void>
  /** Empties its in-memory state (logs, outboxes) when /__admin/reset runs. */
  reset?: (deps: RouteDeps) => void
  fixtures?: FixturesPart
  /** Fake rows in bulk for one merchant (`fatora-mock seed --family`, POST /__admin/seed {family}). */
  seeding?: SeedingPart
}

/** Declares a module, keeping its stores' type for the registry. */
export function defineModule<S extends object> (module: FatoraModule<S>): FatoraModule<S> {
  return module
}
