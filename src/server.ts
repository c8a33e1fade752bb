// npm start: loadConfig → openDatabase (seeded only when created) → buildApp → listen, with
// graceful shutdown. With cli.ts, the only file that may exit the process.
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { pathToFileURL } from 'node:url'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { DatabaseFileError, openDatabase } from './db/open.js'
import { createStores, describeCounts } from './db/stores.js'
import { watchDatabaseFile } from './db/watchdog.js'
import { httpsUrl, listenHttps } from './http/https.js'
import { loadCertificate, type Certificate, type Notice } from './http/tls.js'
import { loadSeeder } from './seed/initial-data.js'

export interface StartedServer {
  app: FastifyInstance
  url: string
  /** With HTTPS_PORT (CONTRACT §8): https://localhost:<port> (or HOST's name), the same app. */
  httpsUrl?: string
  httpsPort?: number
  /** With HTTPS_PORT: the certificate to trust (its file, PEM and SHA-256 fingerprint). */
  certificate?: { path: string, pem: string, fingerprint: string }
}

/** Opens (or creates and seeds) the database, builds the app and listens. */
export async function startServer (config: Config): Promise<StartedServer> {
  // Before the database: a certificate problem stops the start before anything is created.
  const tlsNotices: Notice[] = []
  const certificate: Certificate | undefined = config.HTTPS_PORT === undefined ? undefined : await loadCertificate(config, tlsNotices)
  const notices: string[] = []
  const { db, created } = openDatabase(config.DB_PATH, {
    // An existing file is used as it is: never re-seeded (CONTRACT §3).
    onCreate: await loadSeeder(config),
    log: (message) => notices.push(message),
  })
  const stores = createStores(db)
  let app: FastifyInstance
  try {
    app = await buildApp({ config, stores })
  } catch (err) {
    stores.close()
    throw err
  }
  for (const message of notices) app.log.warn(message)
  for (const { level, message } of tlsNotices) app.log[level](message)
  // A file database is watched: deleted, replaced or read-only → 503 until it is back.
  const stop = config.DB_PATH === ':memory:' ? () => {} : watchDatabaseFile(config.DB_PATH, stores, (level, message) => { app.log[level](message) })
  app.server.once('close', stop)
  let url: string
  let httpsPort: number | undefined
  try {
    url = await app.listen({ port: config.PORT, host: config.HOST })
    if (certificate !== undefined) httpsPort = (await listenHttps(app, certificate, { port: config.HTTPS_PORT ?? 0, host: config.HOST })).port
  } catch (err) {
    // Nothing stays open behind a failed start (startMock in a test suite would keep it).
    stop()
    await app.close()
    throw err
  }
  const counts = stores.counts()
  app.log.info({ db: config.DB_PATH, created, ...counts }, `fatora-mock ready: ${created ? 'created and seeded' : 'using existing'} database ${config.DB_PATH} (${describeCounts(counts)})`)
  if (certificate === undefined || httpsPort === undefined) return { app, url }
  const https = { httpsUrl: httpsUrl(config.HOST, httpsPort), httpsPort, certificate: { path: certificate.path, pem: certificate.cert, fingerprint: certificate.fingerprint } }
  app.log.info({ url: https.httpsUrl, certificate: certificate.path, fingerprint: certificate.fingerprint }, `HTTPS listening at ${https.httpsUrl} with certificate ${certificate.path} (SHA-256 ${certificate.fingerprint})`)
  return { app, url, ...https }
}

// One line for a failed start: the variable or file at fault, never a stack trace.
function startError (err: unknown, config: Config | undefined): string {
  if (err instanceof ConfigError || err instanceof DatabaseFileError) return err.message
  const e = err as NodeJS.ErrnoException
  const where = config === undefined ? '' : `HOST=${config.HOST} PORT=${config.PORT}`
  switch (e.code) {
    case 'EADDRINUSE': return `${where}: the address is already in use (set PORT to a free port)`
    case 'EACCES': return `${where}: permission denied (ports below 1024 need privileges; set PORT)`
    case 'ENOTFOUND': case 'EAI_AGAIN': return `${where}: HOST is not a known host name or IP address`
    case 'EADDRNOTAVAIL': return `${where}: HOST is not an address of this machine (use 127.0.0.1, or 0.0.0.0 for all)`
  }
  return `failed to start: ${e.message ?? String(err)}`
}

/** Runs the server until SIGTERM/SIGINT; start-up problems print one line and exit 1. */
export async function main (given?: Config): Promise<void> {
  let config: Config | undefined = given
  let starting: Promise<StartedServer> | undefined
  // Installed before anything starts: a signal during start-up (even while a new database is
  // being seeded) waits for the start to finish, then closes cleanly. A second signal exits at once.
  closeWithGrace({ delay: 5000, logger: { error: (m: string) => process.stderr.write(`fatora-mock: ${m}\n`) } }, async ({ signal, err }) => {
    const started = await starting?.catch(() => undefined)
    if (started === undefined) return
    if (err !== undefined) started.app.log.error({ err }, 'closing after an unexpected error')
    else started.app.log.info(`${signal ?? 'close'} received, closing`)
    await started.app.close()
  })
  try {
    config ??= loadConfig()
    starting = startServer(config)
    await starting
  } catch (err) {
    process.stderr.write(`fatora-mock: ${startError(err, config)}\n`)
    process.exit(1)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
