// Command-line flags, parsed one way everywhere: the fatora-mock command (cli.ts) and the
// server's own entry (`npm start -- …`, `node dist/bundle/server.mjs …`, the Docker image) share
// the parser, serve's flags, their checks and their help, so `npm start -- --port 4000` means
// exactly `fatora-mock serve --port 4000`, and anything else is refused the same way (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Config } from './config.js'

/** Bad usage: one line, exit 2. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>
export type Values = Record<string, string | boolean | undefined>

/** parseArgs, strict: an unknown flag or a missing value is a UsageError with parseArgs' first line. */
export function parseStrict (args: readonly string[], options: Options): { values: Values, positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
    return { values: parsed.values as Values, positionals: parsed.positionals }
  } catch (err) {
    // Its first line, without a closing period: the caller adds where to find help.
    throw new UsageError((err as Error).message.split('\n')[0]?.replace(/\. To specify a positional.*$/, '').replace(/\.$/, '') ?? 'bad arguments')
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US')

/** An integer flag from min to max, or undefined when absent. */
export function intOption (values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${fmt(max)}`)
  }
  return Number(raw)
}

/** --db and --help, which every command that opens a database takes. */
export const DB_OPTIONS: Options = { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
export const DB_HELP = '  --db PATH     SQLite file (default: $DB_PATH, else data/fatora-mock.db); created from the fixtures if missing'
export const HELP_HELP = '  -h, --help    this help'

/** The database file a --db flag names, or undefined when it is absent. */
export function dbOption (values: Values): string | undefined {
  if (values.db === '') throw new UsageError('--db must not be empty')
  return typeof values.db === 'string' ? values.db : undefined
}

/** serve's own flags (besides --db). */
export const SERVE_OPTIONS: Options = { port: { type: 'string' }, host: { type: 'string' }, 'no-seed': { type: 'boolean' } }

export const SERVE_SYNOPSIS = '[--port N] [--host H] [--no-seed] [--db PATH]'

export const SERVE_HELP = `Environment variables (PORT, HOST, DB_PATH, LOG_LEVEL, LOG_FORMAT, ADMIN_*, SEED_*, FIXTURES_DIR;
see docs/configuration.md) apply; these flags override them.
  --port N      TCP port (default: $PORT, else 3000)
  --host H      interface to bind (default: $HOST, else 127.0.0.1)
  --no-seed     a database created now starts empty: no fixtures, no SEED_CLIENTS`

/** What serve's flags change in the configuration (--db is the caller's: every command has it). */
export function serveOverrides (values: Values): Partial<Config> {
  const port = intOption(values, 'port', 0, 65535)
  if (values.host === '') throw new UsageError('--host must not be empty')
  return {
    ...(port !== undefined ? { PORT: port } : {}),
    ...(typeof values.host === 'string' ? { HOST: values.host } : {}),
    ...(values['no-seed'] === true ? { SEED_FIXTURES: false, SEED_CLIENTS: 0 } : {}),
  }
}

/** The server entry's command line (serve's flags, --db, --help; no argument): help, or what changes. */
export function parseServerArgs (argv: readonly string[]): { help: true } | { help: false, overrides: Partial<Config> } {
  const { values, positionals } = parseStrict(argv, { ...DB_OPTIONS, ...SERVE_OPTIONS })
  if (values.help === true) return { help: true }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  const db = dbOption(values)
  return { help: false, overrides: { ...(db === undefined ? {} : { DB_PATH: db }), ...serveOverrides(values) } }
}

/** The server entry's help, for `command` (e.g. "npm start --"). */
export function serverUsage (command: string): string {
  return `Usage: ${command} ${SERVE_SYNOPSIS}\n\nStarts the mock server (as fatora-mock serve does, with the same flags).\n${SERVE_HELP}\n${DB_HELP}\n${HELP_HELP}`
}
