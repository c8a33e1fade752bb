// npm start: loadConfig → openDatabase (seeded only when created) → buildApp → listen, with
// graceful shutdown. With cli.ts, the only file that may exit the process.
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, startedByPackageManager, withFlags, type Config } from './config.js'
import { DatabaseFileError, openDatabase } from './db/open.js'
import { createStores, describeCounts } from './db/stores.js'
import { watchDatabaseFile } from './db/watchdog.js'
import { DEMO_API_KEY } from './modules/merchants/service.js'
import { httpsUrl, listenHttps } from './http/https.js'
import { loadCertificate, type Certificate, type Notice } from './http/tls.js'
import { packageVersion } from './package-root.js'
import { HTTPS_MESSAGE, READY_MESSAGE } from './http/pretty-log.js'
import { watchParent } from './http/parent-watch.js'
import { loadSeeder } from './seed/initial-data.js'
import { parseServerArgs, serverUsage, UsageError } from './serve-args.js'

export interface StartedServer {
  app: FastifyInstance
  url: string
  /** With HTTPS_PORT (CONTRACT §8): https://localhost:<port> (or HOST's name), the same app. */
  httpsUrl?: string
  httpsPort?: number
  /** With HTTPS_PORT: the certificate to trust (its file, PEM and SHA-256 fingerprint). */
  certificate?: { path: string, pem: string, fingerprint: string }
}

export interface StartOptions {
  /**
   * Log the ready line whatever LOG_LEVEL says (but silent): the server's own start (main) says
   * where it listens even at warn; startMock in a test suite stays as quiet as its level.
   */
  announce?: boolean
}

/** A host to put in a URL: the one given, bracketed if IPv6; "all interfaces" is opened as localhost. */
function urlHost (host: string): string {
  if (host === '0.0.0.0' || /^[0:]+$/.test(host)) return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

/** Opens (or creates and seeds) the database, builds the app and listens. */
export async function startServer (config: Config, { announce = false }: StartOptions = {}): Promise<StartedServer> {
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
  const https = certificate === undefined || httpsPort === undefined
    ? undefined
    : { httpsUrl: httpsUrl(config.HOST, httpsPort), httpsPort, certificate: { path: certificate.path, pem: certificate.cert, fingerprint: certificate.fingerprint } }
  // The ready line: where to go (JSON for programs; a short block on a terminal, http/pretty-log.ts).
  // The demo key is never written, only whether it works: logs carry no api_key (http/logging.ts).
  const origin = `http://${urlHost(config.HOST)}:${(app.server.address() as AddressInfo).port}`
  const base = config.PUBLIC_URL?.replace(/\/+$/, '') ?? origin
  const ready = {
    version: packageVersion(),
    url: origin,
    ...(config.PUBLIC_URL === undefined ? {} : { publicUrl: base }),
    documentation: `${base}/documentation`,
    demoKey: stores.keys.find(DEMO_API_KEY)?.status === 'active',
    db: config.DB_PATH,
    created,
    ...counts,
    // With HTTPS_PORT (CONTRACT §8): where, and the certificate to trust.
    ...(https === undefined ? {} : { httpsUrl: https.httpsUrl, certificate: https.certificate.path, fingerprint: https.certificate.fingerprint }),
  }
  const log = announce && config.LOG_LEVEL !== 'silent' ? app.log.child({}, { level: 'info' }) : app.log
  const how = !created ? 'using existing' : Object.values(counts).some((n) => n > 0) ? 'created and seeded' : 'created empty'
  log.info(ready, `${READY_MESSAGE}: ${how} database ${config.DB_PATH} (${describeCounts(counts)})`)
  if (https !== undefined) log.info({ url: https.httpsUrl, certificate: https.certificate.path, fingerprint: https.certificate.fingerprint }, `${HTTPS_MESSAGE} ${https.httpsUrl} with certificate ${https.certificate.path} (SHA-256 ${https.certificate.fingerprint})`)
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

export interface MainOptions {
  /** The command line, when no one parsed it yet (serve's flags: serve-args.ts). */
  argv?: readonly string[]
  /** How it was started, for --help and usage errors (e.g. "npm start --"). */
  command?: string
}

/**
 * Runs the server until SIGTERM/SIGINT; start-up problems print one line and exit 1, a bad
 * command line one line and exit 2 (as the fatora-mock command does).
 */
export async function main (given?: Config, { argv = [], command = 'fatora-mock serve' }: MainOptions = {}): Promise<void> {
  let config: Config | undefined = given
  let overrides: Partial<Config> = {}
  if (given === undefined) {
    try {
      const args = parseServerArgs(argv)
      if (args.help) {
        process.stdout.write(serverUsage(command) + '\n')
        return
      }
      overrides = args.overrides
    } catch (err) {
      if (!(err instanceof UsageError)) throw err
      process.stderr.write(`fatora-mock: ${err.message} (see ${command} --help)\n`)
      process.exit(2)
    }
  }
  let starting: Promise<StartedServer> | undefined
  // Installed before anything starts: a signal during start-up (even while a new database is
  // being seeded) waits for the start to finish, then closes cleanly. A second signal exits at once.
  const grace = closeWithGrace({ delay: 5000, logger: { error: (m: string) => process.stderr.write(`fatora-mock: ${m}\n`) } }, async ({ signal, err, manual }) => {
    const started = await starting?.catch(() => undefined)
    if (started === undefined) return
    if (err !== undefined) started.app.log.error({ err }, 'closing after an unexpected error')
    else started.app.log.info(manual === true ? 'the process that started fatora-mock has exited, closing' : `${signal ?? 'close'} received, closing`)
    await started.app.close()
    // A hangup (the terminal was closed) ends the process as a hangup does, not through exit():
    // Node 20 asserts there while restoring a terminal that is gone, and close-with-grace, which
    // listens to SIGSEGV too, turns that crash into a process spinning forever.
    if (signal === 'SIGHUP') {
      process.removeAllListeners('SIGHUP')
      process.kill(process.pid, 'SIGHUP')
    }
  })
  // Under npm or npx, a killed launcher must not leave this server running (http/parent-watch.ts).
  if (startedByPackageManager()) watchParent(() => { grace.close() })
  try {
    config ??= withFlags(loadConfig(), overrides)
    starting = startServer(config, { announce: true })
    await starting
  } catch (err) {
    process.stderr.write(`fatora-mock: ${startError(err, config)}\n`)
    process.exit(1)
  }
}

// Not awaited: a top-level await here would make the package's whole module graph async, and
// `require('fatora-mock')` (require of ESM, Node ≥ 20.19) refuses such a graph. main() handles
// its own errors.
const entry = process.argv[1] ?? ''
if (import.meta.url === pathToFileURL(entry).href) void main(undefined, { argv: process.argv.slice(2), command: `node ${relative(process.cwd(), entry)}` })
