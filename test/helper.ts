// Test helpers: a fresh app on a fresh in-memory database seeded from the real fixtures, per test,
// with any configuration overrides. Literal keys here are the fixture values the README documents
// (CONTRACT §3).
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { type Agent, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buildApp } from '../src/app.js'
import { createConfig, type Config, type ConfigInput } from '../src/config.js'
import { openDatabase, type Db } from '../src/db/open.js'
import { createStores } from '../src/db/stores.js'
import { loadFixtures } from '../src/seed/fixtures.js'
import { seedFixtures } from '../src/seed/seed.js'

export const DEMO_KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'
export const SECOND_KEY = '9F2D4A61-3B8E-4C7D-A5F0-6E1B2C3D4E5F'
export const INACTIVE_KEY = '0B1C7E52-6A3D-4F9E-8C21-7D5A4E3F2B10'

export const CLIENT_1024 = {
  id: 1024,
  name: 'Client Name',
  address: 'Client Address',
  phone: 'Client Phone',
  email: 'client@example.com',
  note: 'Additional notes',
  notes: 'Additional notes',
}

/** Merchant 2's hand-written client (the fixtures' tenancy example). */
export const CLIENT_2048 = {
  id: 2048,
  name: 'Second Merchant Client',
  address: 'West Bay, Doha, Qatar',
  phone: '+974 4000 2048',
  email: 'second.client@example.com',
  note: 'Belongs to merchant 2 only',
  notes: 'Belongs to merchant 2 only',
}

/** The envelope as a literal, so tests never import the messages they check. */
export function failure (code: number, description: string): object {
  return { status: 'FAILURE', error: { error_code: String(code), description } }
}

/** The configuration of a test app: the schema's defaults, silent, plus `overrides` (typed, validated). */
export function testConfig (overrides: ConfigInput = {}): Config {
  return createConfig({ LOG_LEVEL: 'silent', ...overrides })
}

/** A database with the default fixtures: in memory, or a new file at `path`. */
export function fixturesDb (path = ':memory:'): Db {
  return openDatabase(path, { onCreate: (fresh) => { seedFixtures(createStores(fresh), loadFixtures()) } }).db
}

/**
 * A new app on `db` (a new :memory: database with the default fixtures by default) with any
 * configuration `overrides`, and that database; the app is closed at teardown.
 */
export async function buildWithDb (t: Test, overrides: ConfigInput = {}, db: Db = fixturesDb()): Promise<{ app: FastifyInstance, db: Db }> {
  const app = await buildApp({ config: testConfig(overrides), stores: createStores(db) })
  t.teardown(() => app.close())
  return { app, db }
}

/** A new app on a new :memory: database with the default fixtures and any `overrides`; closed at teardown. */
export async function build (t: Test, overrides: ConfigInput = {}): Promise<FastifyInstance> {
  return (await buildWithDb(t, overrides)).app
}

/** build() plus a real socket on 127.0.0.1 and a free port. */
export async function listen (t: Test): Promise<{ app: FastifyInstance, port: number, base: string }> {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  return { app, port, base: `http://127.0.0.1:${port}` }
}

/** One GET over a real socket (a fresh connection, or `agent`'s kept-alive one), for child-process tests. */
export async function httpGet (port: number, path: string, headers: Record<string, string> = {}, agent?: Agent): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: agent ?? false, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
    req.on('timeout', () => { req.destroy(new Error(`GET ${path} timed out`)) })
    req.on('error', reject)
    req.end()
  })
}
