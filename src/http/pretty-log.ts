// LOG_FORMAT=pretty (or auto on a terminal): log lines for a person instead of JSON. The server
// start becomes a short block (where to go, what key to use, which database), a request one
// plain line, any other line its time, level and message. Pure functions of pino's objects,
// so they are tested without a terminal; colours only when the caller says the terminal has them.
import { resolve } from 'node:path'
import { COUNTS, describeCounts, type Counts } from '../db/stores.js'
import { DEMO_API_KEY } from '../modules/merchants/service.js'

/** The start of the ready line's message (server.ts): the line the block replaces. */
export const READY_MESSAGE = 'fatora-mock ready'
/** The HTTPS listener's line (its fields are in the ready line too: the pretty block shows them there). */
export const HTTPS_MESSAGE = 'HTTPS listening at'
/** Fastify's own line per listening address: the block says it already. */
const LISTENING_MESSAGE = 'Server listening at '

export interface Style {
  bold: (s: string) => string
  dim: (s: string) => string
  red: (s: string) => string
  yellow: (s: string) => string
  green: (s: string) => string
  cyan: (s: string) => string
}

const sgr = (open: number, close: number) => (s: string): string => `\u001b[${open}m${s}\u001b[${close}m`
const same = (s: string): string => s

/** ANSI colours (a terminal that has them, and no NO_COLOR), or none. */
export function style (colours: boolean): Style {
  if (!colours) return { bold: same, dim: same, red: same, yellow: same, green: same, cyan: same }
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39) }
}

const two = (n: number): string => String(n).padStart(2, '0')
/** Local wall-clock time, HH:MM:SS.mmm: a terminal shows today's lines. */
export function clockTime (ms: number): string {
  const d = new Date(ms)
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

function statusColour (s: Style, status: number): (text: string) => string {
  if (status >= 500) return s.red
  if (status >= 400) return s.yellow
  if (status >= 300) return s.cyan
  return s.green
}

/** One request: `10:21:04.123 GET /v1/clients/1024 200 1.3 ms`. */
export function requestLine (s: Style, time: number, method: string, path: string, statusCode: number, ms: number): string {
  return `${s.dim(clockTime(time))} ${method} ${path} ${statusColour(s, statusCode)(String(statusCode))} ${s.dim(`${ms} ms`)}\n`
}

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
// pino's own fields, shown otherwise (time, level) or not at all (pid, hostname).
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err'])

function value (v: unknown): string {
  return typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v) ?? String(v)
}

/** The block printed when the server is ready (the fields of server.ts's ready line). */
export function readyBlock (s: Style, line: Readonly<Record<string, unknown>>): string {
  const url = String(line.url)
  const db = String(line.db)
  const counts: Counts = {}
  for (const c of COUNTS) counts[c.key] = typeof line[c.key] === 'number' ? line[c.key] as number : 0
  const empty = Object.values(counts).every((n) => n === 0)
  const what = empty ? 'empty' : describeCounts(counts, (n) => n.toLocaleString('en-US'))
  const where = db === ':memory:' ? 'in memory, gone when the server stops' : `${resolve(db)} ${s.dim(line.created === true ? '(created now)' : '(existing)')}`
  const rows: Array<[string, string]> = [
    ['Swagger UI', s.cyan(String(line.documentation))],
    ['demo key', line.demoKey === true ? s.bold(DEMO_API_KEY) : s.dim("none: the docs' key is not active in this database")],
    ['database', where],
    ['', s.dim(what)],
  ]
  // Behind PUBLIC_URL (a proxy, a container's published port) a browser opens that instead.
  const open = typeof line.publicUrl === 'string' ? line.publicUrl : url
  if (open !== url) rows.push(['listening', url])
  // With HTTPS_PORT (CONTRACT §8): the second listener and the certificate a client must trust.
  if (typeof line.httpsUrl === 'string') {
    rows.push(['HTTPS', s.cyan(line.httpsUrl)], ['certificate', String(line.certificate)], ['SHA-256', s.dim(String(line.fingerprint))])
  }
  const width = Math.max(...rows.map(([label]) => label.length))
  const version = typeof line.version === 'string' ? ` ${line.version}` : ''
  return `${s.bold(`fatora-mock${version}`)} ${s.green('ready')} at ${s.bold(s.cyan(open))}\n` +
    rows.map(([label, text]) => `  ${s.dim(label.padEnd(width))}  ${text}\n`).join('')
}

/**
 * Any other line pino writes, from its object: `10:21:05.001 WARN message key=value`, the error's
 * stack below it; the ready line becomes the block; Fastify's "Server listening" lines go.
 */
export function logLine (s: Style, line: Readonly<Record<string, unknown>>): string {
  const msg = typeof line.msg === 'string' ? line.msg : ''
  if (msg.startsWith(READY_MESSAGE) && typeof line.url === 'string') return readyBlock(s, line)
  if (msg.startsWith(LISTENING_MESSAGE) || msg.startsWith(HTTPS_MESSAGE)) return ''
  const level = typeof line.level === 'number' ? line.level : 30
  const name = LEVELS[level]
  const label = name === undefined ? '' : ` ${(level >= 50 ? s.red : level >= 40 ? s.yellow : s.dim)(name)}`
  const time = typeof line.time === 'number' ? line.time : Date.now()
  const fields = Object.entries(line).filter(([k]) => !HIDDEN.has(k)).map(([k, v]) => ` ${s.dim(`${k}=`)}${value(v)}`).join('')
  const err = line.err as { stack?: unknown, message?: unknown } | undefined
  const detail = typeof err?.stack === 'string' ? `\n${err.stack.replace(/^/gm, '    ')}` : typeof err?.message === 'string' ? `\n    ${err.message}` : ''
  return `${s.dim(clockTime(time))}${label} ${msg}${fields}${detail}\n`
}

/**
 * A pino destination that writes pretty lines to `out` instead of pino's JSON. Parsing the JSON
 * again costs little next to a terminal; request lines never come this way (logging.ts).
 */
export function prettyDestination (out: { write: (data: string) => unknown }, s: Style): { write: (json: string) => void } {
  return {
    write (json) {
      let line: Record<string, unknown>
      try {
        line = JSON.parse(json) as Record<string, unknown>
      } catch {
        out.write(json)
        return
      }
      const text = logLine(s, line)
      if (text !== '') out.write(text)
    },
  }
}
