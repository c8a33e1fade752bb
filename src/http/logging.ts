// Logger settings: pino at the configured level, one line per request, the api_key and any
// Authorization header never printed, query strings never logged (they may carry secrets).
//
// The request line is the one log line on the hot path, so it is cheap: its JSON is
// assembled from precomputed pieces instead of going through pino's object serialisation, and
// the lines of up to 10 ms leave together in one write to an asynchronous destination (under
// load far less than one write(2) per line; when idle a line leaves within 10 ms). Request lines
// may follow other lines written in those milliseconds. Nothing is lost on exit: what is
// pending is written and flushed synchronously. Fastify's default request logging
// costs several times more CPU per line (docs/performance.md).
//
// LOG_FORMAT chooses JSON (the default when stdout is not a terminal) or lines for a person
// (pretty-log.ts): the pretty request line is a subclass, so the JSON path stays as it is.
import { LogController, type FastifyServerOptions } from 'fastify'
import { writeSync } from 'node:fs'
import { hostname } from 'node:os'
import pino from 'pino'
import type { Config } from '../config.js'
import { ADMIN_PREFIX } from './prefix.js'
import { prettyDestination, requestLine, style, type Style } from './pretty-log.js'

/**
 * Joins the lines of the next few milliseconds into one write: each write(2) to a file or pipe
 * costs about 20 µs of CPU, as much as a whole request, so under load lines leave in batches
 * (at most every FLUSH_MS, or at once past FLUSH_BYTES); a line written when idle leaves within
 * FLUSH_MS, too soon for a person to notice.
 */
class LineBatcher {
  private pending: string[] = []
  private bytes = 0
  private timer: NodeJS.Timeout | undefined

  private readonly onExit = (): void => {
    this.flush()
    try { this.destination.flushSync() } catch {}
  }

  constructor (private readonly destination: { write: (data: string) => unknown, flushSync: () => void }) {
    process.once('exit', this.onExit)
  }

  /** Writes what is pending and stops listening for exit (app.close()). */
  dispose (): void {
    this.flush()
    process.removeListener('exit', this.onExit)
  }

  write (line: string): void {
    this.pending.push(line)
    this.bytes += line.length
    if (this.bytes >= FLUSH_BYTES) this.flush()
    else if (this.timer === undefined) this.timer = setTimeout(this.flush, FLUSH_MS).unref()
  }

  /** Writes what is pending now. */
  readonly flush = (): void => {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.pending.length === 0) return
    const data = this.pending.length === 1 ? this.pending[0] as string : this.pending.join('')
    this.pending = []
    this.bytes = 0
    this.destination.write(data)
  }
}

const FLUSH_MS = 10
const FLUSH_BYTES = 64 * 1024

// The one route whose path carries a secret (an API key): logged redacted, however it is spelled.
const ADMIN_KEY_PATH = `${ADMIN_PREFIX}/api-keys/`

interface RequestLike { id: string, method: string, url: string, routeOptions?: { url?: string | undefined }, log: { error: (o: object, m: string) => void } }

function safeDecode (path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** One "request" line when the reply is sent, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  // Everything in pino's line that does not change between requests.
  private readonly head = '{"level":30,"time":'
  private readonly base = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"reqId":`

  constructor (private readonly destination: { write: (line: string) => unknown } | undefined) {
    super()
  }

  override incomingRequest (): void {}

  override requestCompleted (error: Error | null, request: RequestLike, reply: { statusCode: number, elapsedTime: number }): void {
    const q = request.url.indexOf('?')
    let path = q === -1 ? request.url : request.url.slice(0, q)
    // /__admin/api-keys/{key} names a key in its path: never log it, however the path is spelled.
    // Only a path whose second character is "_" or "%" (an escape) can decode to /__admin.
    const second = path.charCodeAt(1)
    if ((second === 95 || second === 37) && (request.routeOptions?.url === `${ADMIN_KEY_PATH}:key` || safeDecode(path).toLowerCase().startsWith(ADMIN_KEY_PATH))) path = `${ADMIN_KEY_PATH}[redacted]`
    const ms = Math.round(reply.elapsedTime * 10) / 10
    if (error) {
      request.log.error({ method: request.method, path, statusCode: reply.statusCode, ms, err: error }, 'request errored')
      return
    }
    this.line(request.id, request.method, path, reply.statusCode, ms)
  }

  protected line (id: string, method: string, path: string, statusCode: number, ms: number): void {
    // Same fields, order and escaping as pino's own line for log.info({method, path, statusCode, ms}, 'request').
    this.destination?.write(`${this.head}${Date.now()}${this.base}${JSON.stringify(id)},"method":"${method}","path":${JSON.stringify(path)},"statusCode":${statusCode},"ms":${ms},"msg":"request"}\n`)
  }
}

/** The same line for a person: time, method, path, status, milliseconds. */
class PrettyLinePerRequest extends OneLinePerRequest {
  constructor (private readonly out: { write: (line: string) => unknown } | undefined, private readonly s: Style) {
    super(out)
  }

  protected override line (_id: string, method: string, path: string, statusCode: number, ms: number): void {
    this.out?.write(requestLine(this.s, Date.now(), method, path, statusCode, ms))
  }
}

/** The terminal the logs go to, as far as LOG_FORMAT needs to know it. */
export interface LogTerminal {
  isTTY?: boolean | undefined
  /** Node's own answer for a terminal: false under NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb. */
  hasColors?: (() => boolean) | undefined
}

/** Pretty or JSON, and with colours or not: `auto` is pretty on a terminal; colours only there. */
export function logFormat (format: Config['LOG_FORMAT'], terminal: LogTerminal = process.stdout): { pretty: boolean, colours: boolean } {
  const tty = terminal.isTTY === true
  const pretty = format === 'pretty' || (format === 'auto' && tty)
  return { pretty, colours: pretty && tty && terminal.hasColors?.() === true }
}

/**
 * The exit flush (pino's and ours) must not hang on an output that is gone: sonic-boom's flushSync
 * retries a failed write forever (only EAGAIN is meant to be retried), so a server whose terminal
 * was closed (EIO) spun at exit. Once a write failed, or when the output no longer takes even an
 * empty write, flushSync does nothing. Other write errors still surface as before (uncaught: the
 * server closes); not a closed pipe (EPIPE), which pino silences on purpose, nor a closed
 * terminal (EIO), whose hangup signal closes the server already (server.ts).
 */
function neverHangAtExit (destination: ReturnType<typeof pino.destination>, fd: number): void {
  let failed = false
  destination.on('error', (err: NodeJS.ErrnoException) => {
    failed = true
    if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err
  })
  const flushSync = destination.flushSync.bind(destination)
  destination.flushSync = () => {
    if (failed) return
    try {
      writeSync(fd, '')
    } catch {
      return
    }
    flushSync()
  }
}

type Logger = ReturnType<typeof pino>
type Bindings = Record<string, unknown>

/**
 * The request's logger, made only when something logs through it: Fastify gives every request a
 * pino child (its bindings serialised, a new object), but on the happy path only the request
 * line is written, and that is ours. An error or a handler's own log line makes the real child.
 */
class LazyChild {
  private made: Logger | undefined
  constructor (private readonly parent: Logger, private readonly bindings: Bindings, private readonly options: object) {}
  private get real (): Logger { return (this.made ??= this.parent.child(this.bindings, this.options)) }
  get level (): string { return this.real.level }
  set level (level: string) { this.real.level = level }
  fatal (...args: unknown[]): void { (this.real.fatal as (...a: unknown[]) => void)(...args) }
  error (...args: unknown[]): void { (this.real.error as (...a: unknown[]) => void)(...args) }
  warn (...args: unknown[]): void { (this.real.warn as (...a: unknown[]) => void)(...args) }
  info (...args: unknown[]): void { (this.real.info as (...a: unknown[]) => void)(...args) }
  debug (...args: unknown[]): void { (this.real.debug as (...a: unknown[]) => void)(...args) }
  trace (...args: unknown[]): void { (this.real.trace as (...a: unknown[]) => void)(...args) }
  silent (): void {}
  child (bindings: Bindings, options?: object): Logger { return this.real.child(bindings, options) }
  isLevelEnabled (level: string): boolean { return this.real.isLevelEnabled(level) }
}

/** Fastify logger options for the server (buildApp uses no logger at all when LOG_LEVEL is silent). */
export function loggingOptions (level: string, format: Config['LOG_FORMAT'] = 'json'): Pick<FastifyServerOptions, 'loggerInstance' | 'logController' | 'childLoggerFactory'> & { dispose: () => void } {
  const destination = pino.destination({ dest: 1, sync: false })
  neverHangAtExit(destination, 1)
  const { pretty, colours } = logFormat(format)
  const s = style(colours)
  const infoEnabled = (pino.levels.values[level] ?? Infinity) <= (pino.levels.values.info as number)
  const batcher = infoEnabled ? new LineBatcher(destination) : undefined
  // Any other line waits for the request lines written before it: the log stays in order.
  const ordered = batcher === undefined
    ? destination
    : { write: (line: string) => { batcher.flush(); return destination.write(line) }, flushSync: () => { batcher.flush(); destination.flushSync() } }
  const logger = pino({
    level,
    redact: { paths: ['req.headers.api_key', 'req.headers.authorization', 'headers.api_key', 'headers.authorization'], censor: '[redacted]' },
  }, pretty ? prettyDestination(ordered, s) : ordered)
  const logController = pretty ? new PrettyLinePerRequest(batcher, s) : new OneLinePerRequest(batcher)
  const childLoggerFactory: FastifyServerOptions['childLoggerFactory'] = (parent, bindings, options) =>
    new LazyChild(parent as unknown as Logger, bindings, options) as unknown as ReturnType<NonNullable<FastifyServerOptions['childLoggerFactory']>>
  return { loggerInstance: logger, logController, childLoggerFactory, dispose: () => { batcher?.dispose() } }
}
