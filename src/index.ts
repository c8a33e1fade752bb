// The package's programmatic API: `import { startMock } from 'fatora-mock'` starts the
// real server in the test suite's own process, on a free port with an in-memory database seeded
// from the fixtures. Its helpers go through the /__admin HTTP API (app.inject, no socket), so a
// suite gets exactly what a docker-compose user gets over HTTP.
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { createConfig } from './config.js'
import type { Fault, FaultInput } from './test-controls/faults.js'
import type { JournalEntry, JournalQuery } from './test-controls/journal.js'
import { DEMO_API_KEY } from './modules/merchants/service.js'
import { startServer } from './server.js'

export type { Fault, FaultInput } from './test-controls/faults.js'
export type { JournalEntry, JournalQuery } from './test-controls/journal.js'

// DEMO_API_KEY: Fatora's public test key, the fixtures' active key of merchant 1 (CONTRACT §3).
export { DEMO_API_KEY }

export interface StartMockOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number
  host?: string
  /** SQLite file; ':memory:' (default) for a throw-away database. */
  dbPath?: string
  /** Directory of fixtures; the package's own fixtures/ by default. */
  fixturesDir?: string
  /** Load the fixtures into a new database (default true); false starts it empty. */
  seedFixtures?: boolean
  /** pino log level; 'silent' by default, so test output stays clean. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Honour the Prefer header (default true). */
  prefer?: boolean
  latencyMs?: number
  latencyJitterMs?: number
  /** Seed of the fault generator, for reproducible probabilistic faults. */
  faultSeed?: number
  /** Requests kept in the journal (default 1000). */
  journalSize?: number
  /** Protect /__admin with this token (the helpers below send it). */
  adminToken?: string
  jwtSecret?: string
}

export interface SeedOptions {
  count: number
  /** The merchant to seed (default: the merchant of `apiKey`, else merchant 1). */
  merchantId?: number
  apiKey?: string
  seed?: number
  locale?: 'en' | 'ar'
}

export interface SeedResult {
  merchant_id: number
  inserted: number
  first_id: number
  last_id: number
  ms: number
}

export interface MockServer {
  /** Base URL, e.g. http://127.0.0.1:41234 — use it where your code has https://api.fatora.io. */
  url: string
  port: number
  /** The demo merchant's active key (Fatora's public test key). */
  apiKey: string
  /** The Fastify instance, for inject() or anything the helpers do not cover. */
  app: FastifyInstance
  close: () => Promise<void>
  /** Adds fake clients (POST /__admin/seed). */
  seed: (options: SeedOptions) => Promise<SeedResult>
  /** Reloads the fixtures, removes every fault and empties the journal (POST /__admin/reset). */
  reset: () => Promise<void>
  /** The journal, newest first (GET /__admin/requests). */
  requests: (query?: JournalQuery) => Promise<JournalEntry[]>
  clearRequests: () => Promise<void>
  addFault: (fault: FaultInput) => Promise<Fault>
  faults: () => Promise<Fault[]>
  removeFault: (id: number) => Promise<void>
  clearFaults: () => Promise<void>
}

/** An /__admin call that did not succeed: the status and the envelope's description. */
export class MockAdminError extends Error {
  override name = 'MockAdminError'
  constructor (readonly statusCode: number, readonly description: string) {
    super(`fatora-mock /__admin answered ${statusCode}: ${description}`)
  }
}

/** Starts fatora-mock in this process; `await mock.close()` when done. */
export async function startMock (options: StartMockOptions = {}): Promise<MockServer> {
  const hostname = options.host ?? '127.0.0.1'
  // The options are settings of the config schema: validated and defaulted by it, like the environment.
  const { app } = await startServer(createConfig({
    PORT: options.port ?? 0,
    HOST: hostname,
    DB_PATH: options.dbPath ?? ':memory:',
    LOG_LEVEL: options.logLevel ?? 'silent',
    SEED_FIXTURES: options.seedFixtures,
    PREFER_ENABLED: options.prefer,
    LATENCY_MS: options.latencyMs,
    LATENCY_JITTER_MS: options.latencyJitterMs,
    JOURNAL_SIZE: options.journalSize,
    FIXTURES_DIR: options.fixturesDir,
    FAULT_SEED: options.faultSeed,
    ADMIN_TOKEN: options.adminToken,
    JWT_SECRET: options.jwtSecret,
  }))
  const port = (app.server.address() as AddressInfo).port
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  const auth = options.adminToken === undefined ? {} : { authorization: `Bearer ${options.adminToken}` }

  async function admin<T> (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<T> {
    const res = await app.inject({ method, url: `/__admin${url}`, headers: auth, ...(payload === undefined ? {} : { payload }) })
    if (res.statusCode >= 300) {
      const description = (res.json() as { error?: { description?: string } }).error?.description ?? res.body
      throw new MockAdminError(res.statusCode, description)
    }
    return (res.statusCode === 204 ? undefined : res.json()) as T
  }

  return {
    url: `http://${host}:${port}`,
    port,
    apiKey: DEMO_API_KEY,
    app,
    close: async () => { await app.close() },
    seed: async ({ count, merchantId, apiKey, seed, locale }) =>
      await admin<SeedResult>('POST', '/seed', { count, merchant_id: merchantId, api_key: apiKey, seed, locale }),
    reset: async () => { await admin('POST', '/reset') },
    requests: async (query = {}) => {
      const params = new URLSearchParams()
      for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value))
      const qs = params.toString()
      return (await admin<{ requests: JournalEntry[] }>('GET', `/requests${qs === '' ? '' : `?${qs}`}`)).requests
    },
    clearRequests: async () => { await admin('DELETE', '/requests') },
    addFault: async (fault) => await admin<Fault>('POST', '/faults', fault),
    faults: async () => (await admin<{ faults: Fault[] }>('GET', '/faults')).faults,
    removeFault: async (id) => { await admin('DELETE', `/faults/${id}`) },
    clearFaults: async () => { await admin('DELETE', '/faults') },
  }
}
