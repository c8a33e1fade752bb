// npm start: loadConfig → openDatabase (seeded only when created) → buildApp → listen, with
// graceful shutdown. With cli.ts, the only file that may exit the process.
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { DatabaseFileError, openDatabase, type Db } from './db/open.js'
import { createStores } from './db/stores.js'

export interface StartedServer {
  app: FastifyInstance
  url: string
}

// What a new database is filled with: the fixtures (unless SEED_FIXTURES=false), then
// SEED_CLIENTS fake clients for the demo merchant. The seeding modules (faker, fixture
// validation) cost ~0.4 s to load, so only a start that creates a database loads them.
export async function loadSeeder (config: Config): Promise<(db: Db) => void> {
  if (config.DB_PATH !== ':memory:' && existsSync(config.DB_PATH)) {
    return () => { throw new DatabaseFileError(`${config.DB_PATH} disappeared while starting; start again`) }
  }
  const [{ loadFixturesDir }, { seedFixtures, seedClients, resolveMerchant }] = await Promise.all([import('./seed/fixtures.js'), import('./seed/seed.js')])
  return (fresh) => {
    const stores = createStores(fresh)
    if (config.SEED_FIXTURES) seedFixtures(stores, loadFixturesDir(config.FIXTURES_DIR))
    if (config.SEED_CLIENTS > 0) {
      const merchant = resolveMerchant(stores, {})
      seedClients(stores, { merchantId: merchant.id, count: config.SEED_CLIENTS, seed: config.SEED, locale: config.SEED_LOCALE })
    }
  }
}

/** Opens (or creates and seeds) the database, builds the app and listens. */
export async function startServer (config: Config): Promise<StartedServer> {
  const notices: string[] = []
  const { db, created } = openDatabase(config.DB_PATH, {
    // An existing file is used as it is: never re-seeded (CONTRACT §3).
    onCreate: await loadSeeder(config),
    log: (message) => notices.push(message),
  })
  const stores = createStores(db)
  let app: FastifyInstance
  try {
    app = await buildApp({
      stores,
      logLevel: config.LOG_LEVEL,
      admin: { enabled: config.ADMIN_ENABLED, token: config.ADMIN_TOKEN, fixturesDir: config.FIXTURES_DIR },
    })
  } catch (err) {
    stores.close()
    throw err
  }
  for (const message of notices) app.log.warn(message)
  const url = await app.listen({ port: config.PORT, host: config.HOST })
  const counts = stores.counts()
  app.log.info({ db: config.DB_PATH, created, ...counts }, `fatora-mock ready: ${created ? 'created and seeded' : 'using existing'} database ${config.DB_PATH} (${counts.merchants} merchants, ${counts.apiKeys} keys, ${counts.clients} clients)`)
  return { app, url }
}

/** Runs the server until SIGTERM/SIGINT; start-up problems print one line and exit 1. */
export async function main (config?: Config): Promise<void> {
  let started: StartedServer
  try {
    started = await startServer(config ?? loadConfig())
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseFileError) {
      process.stderr.write(`fatora-mock: ${err.message}\n`)
    } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`fatora-mock: ${(err as Error).message} (set PORT to a free port)\n`)
    } else {
      process.stderr.write(`fatora-mock: failed to start: ${(err as Error).stack ?? String(err)}\n`)
    }
    process.exit(1)
  }
  const { app } = started
  // A second signal during the close exits at once (close-with-grace's behaviour).
  closeWithGrace({ delay: 5000, logger: { error: (m: string) => app.log.error(m) } }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an unexpected error')
    else app.log.info(`${signal ?? 'close'} received, closing`)
    await app.close()
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
