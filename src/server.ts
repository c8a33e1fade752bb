// npm start: loadConfig → openDatabase (seeded from fixtures/ only when created) → buildApp →
// listen, with graceful shutdown. With cli.ts, the only file that may exit the process.
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

// The seeding modules (faker, fixture validation) cost ~0.4 s to load: only a start that
// creates a database pays for them.
async function loadSeeder (path: string): Promise<(db: Db) => void> {
  if (path !== ':memory:' && existsSync(path)) {
    return () => { throw new DatabaseFileError(`${path} disappeared while starting; start again`) }
  }
  const [{ loadFixtures }, { seedFixtures }] = await Promise.all([import('./seed/fixtures.js'), import('./seed/seed.js')])
  return (fresh) => { seedFixtures(createStores(fresh), loadFixtures()) }
}

/** Opens (or creates and seeds) the database, builds the app and listens. */
export async function startServer (config: Config): Promise<StartedServer> {
  const notices: string[] = []
  const { db, created } = openDatabase(config.DB_PATH, {
    // Fixtures are read only for a new database: an existing file is used as it is.
    onCreate: await loadSeeder(config.DB_PATH),
    log: (message) => notices.push(message),
  })
  const stores = createStores(db)
  let app: FastifyInstance
  try {
    app = await buildApp({ stores, logLevel: config.LOG_LEVEL })
  } catch (err) {
    stores.close()
    throw err
  }
  for (const message of notices) app.log.warn(message)
  const url = await app.listen({ port: config.PORT, host: config.HOST })
  app.log.info({ db: config.DB_PATH, created }, `fatora-mock ready: ${created ? 'created and seeded' : 'using existing'} database ${config.DB_PATH}`)
  return { app, url }
}

/** Runs the server until SIGTERM/SIGINT; start-up problems print one line and exit 1. */
export async function main (): Promise<void> {
  let started: StartedServer
  try {
    started = await startServer(loadConfig())
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
