// /__admin: the mock's own test-setup API (CONTRACT §5), not Fatora's. Its own prefix, token and
// OpenAPI tag; registered before /v1. Each module adds its routes (merchants, keys, clients,
// seeding); reset and state span them all. The seeding core is loaded on first use.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { modules } from '../modules.js'
import type { RouteDeps } from '../modules/module.js'
import { summarizeMerchants } from '../modules/merchants/service.js'
import { ApiError } from '../http/errors.js'
import { adminErrors as errors, adminSecurity as security } from './responses.js'
import { adminMessages as messages } from './messages.js'
import { countsBody, CountsSchema, PER_MERCHANT_COUNTS, snakeCase, StateSchema } from './schema.js'

export interface AdminRoutesOptions {
  /** The app's one RouteDeps object (modules key their per-app state on it). */
  deps: RouteDeps
  /** Fixtures directory for reset (the package's fixtures/ when undefined). */
  fixturesDir?: string | undefined
  /** Also run by reset: empties the test controls (faults, journal). */
  onReset?: () => void
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, { deps, fixturesDir, onReset }) => {
  const { stores, write } = deps
  for (const m of modules) await m.adminRoutes?.(app, deps)

  app.post('/reset', {
    schema: { tags: ['admin'], security, summary: 'Delete everything and load the fixtures again; also removes every fault and empties the request journal', response: { 200: CountsSchema, 401: errors[401], 415: errors[415] } },
  }, async (request) => {
    const [{ resetToFixtures }, { loadFixturesDir }] = await Promise.all([import('../seed/seed.js'), import('../seed/fixtures.js')])
    let fixtures
    try {
      fixtures = loadFixturesDir(fixturesDir)
    } catch (err) {
      // A broken FIXTURES_DIR is the server's problem: the detail (a path) goes to the log only.
      request.log.error({ err }, 'reset: fixtures could not be loaded')
      throw new ApiError(500, messages.fixturesUnavailable)
    }
    const summary = await write(() => resetToFixtures(stores, fixtures))
    onReset?.()
    for (const m of modules) m.reset?.(deps)
    return countsBody(summary)
  })

  app.get('/state', {
    schema: { tags: ['admin'], security, summary: 'Counts per merchant, with their keys', response: { 200: StateSchema, 401: errors[401] } },
  }, () => ({
    totals: countsBody(stores.counts()),
    merchants: summarizeMerchants(stores, PER_MERCHANT_COUNTS).map((m) => ({
      id: m.id,
      name: m.name,
      ...Object.fromEntries(PER_MERCHANT_COUNTS.map((k) => [snakeCase(k), m.counts[k] ?? 0])),
      api_keys: m.apiKeys,
    })),
  }))
}
