// The only reader of process.env: one TypeBox schema gives defaults, validation and the Config type.
// A bad value stops the start with a message naming the variable (never a stack trace).
import { Type, type Static, type TSchema } from 'typebox'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof LOG_LEVELS[number]

// Annotations for the messages (never validated): `x-unit` of an integer, `x-noun` of a string;
// a secret is `writeOnly` and never echoed back.
const ms = { 'x-unit': 'milliseconds' }

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on (0 = any free port)' }),
  // HTTPS (CONTRACT §8): a second listener on the same app, with TLS_CERT/TLS_KEY or a self-signed
  // certificate for localhost made once beside the database (http/tls.ts).
  HTTPS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'Also listen with HTTPS on this TCP port (0 = any free port); unset: HTTP only' })),
  TLS_CERT: Type.Optional(Type.String({ minLength: 1, 'x-noun': 'file path', description: 'PEM certificate (chain) of the HTTPS listener, with TLS_KEY; default: a self-signed one for localhost, made once in tls/ beside DB_PATH' })),
  TLS_KEY: Type.Optional(Type.String({ minLength: 1, 'x-noun': 'file path', description: 'PEM private key of TLS_CERT (unencrypted)' })),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', 'x-noun': 'host name or IP address', description: 'Interface to bind; 0.0.0.0 in containers' }),
  DB_PATH: Type.String({ minLength: 1, default: 'data/fatora-mock.db', 'x-noun': 'file path or :memory:', description: 'SQLite file, created and seeded from fixtures/ if missing; :memory: for a throw-away database' }),
  LOG_LEVEL: Type.Unsafe<LogLevel>(Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), { default: 'info', description: 'pino log level' })),
  LOG_FORMAT: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], { default: 'auto', description: 'Log lines: json (pino), pretty (for people: the start as a short block, one plain line per request), or auto: pretty when stdout is a terminal, json otherwise' }),
  ADMIN_ENABLED: Type.Boolean({ default: true, description: 'Serve the /__admin API (CONTRACT §5); false answers 404 there' }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 1, pattern: '^[\\x21-\\x7e]+$', writeOnly: true, 'x-noun': 'token of visible ASCII characters, without spaces', description: 'When set, /__admin requires Authorization: Bearer <token> (visible ASCII, no spaces: a Bearer token cannot carry them)' })),
  FIXTURES_DIR: Type.Optional(Type.String({ minLength: 1, 'x-noun': 'directory path', description: "Directory of *.json fixtures loaded into a new database (default: the package's fixtures/)" })),
  SEED_FIXTURES: Type.Boolean({ default: true, description: 'Load the fixtures into a new database; false starts it empty' }),
  SEED_CLIENTS: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Fake clients added to the demo merchant when the database is created' }),
  SEED: Type.Integer({ minimum: 0, maximum: 4294967295, default: 1, description: 'Faker seed for SEED_CLIENTS' }),
  SEED_LOCALE: Type.Union([Type.Literal('en'), Type.Literal('ar')], { default: 'en', description: 'Locale of SEED_CLIENTS' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 16, writeOnly: true, 'x-noun': 'secret', description: 'HS256 secret of the Authorize bearer tokens; a random one per start when unset' })),
  JWT_TTL: Type.Integer({ minimum: 1, maximum: 2_592_000, default: 3600, 'x-unit': 'seconds', description: 'Lifetime of an Authorize bearer token, in seconds' }),
  PREFER_ENABLED: Type.Boolean({ default: true, description: 'Honour the Prefer header on /v1 (code=NNN, delay=MS); false for strict Fatora behaviour' }),
  LATENCY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0, ...ms, description: 'Delay added to every /v1 request, in milliseconds' }),
  LATENCY_JITTER_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0, ...ms, description: 'Extra random delay per /v1 request, uniform from 0 to this' }),
  FAULT_SEED: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Seed of the fault and jitter generator (random per start when unset; GET /__admin/faults shows it)' })),
  JOURNAL_SIZE: Type.Integer({ minimum: 0, maximum: 100_000, default: 1000, description: 'How many /v1 requests the journal keeps (0: off)' }),
  HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 600_000, default: 10_000, ...ms, description: 'A client must send its request headers within this time, or gets 408 and is disconnected (slowloris)' }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 120_000, ...ms, description: 'A client must send its whole request within this time, or gets 408 and is disconnected' }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 72_000, ...ms, description: 'An idle kept-alive connection is closed after this time' }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 104_857_600, default: 1_048_576, 'x-unit': 'bytes', description: 'Largest request body in bytes; larger bodies get 413' }),
  // Payments (CONTRACT §6): the hosted page, its redirects and notifications.
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$', 'x-noun': 'http(s) base URL such as http://localhost:3000', description: "Origin of checkout_url (e.g. the host a browser uses when backends reach the mock as http://fatora-mock:3000); default: the request's own scheme and Host" })),
  CHECKOUT_TTL: Type.Integer({ minimum: 1, maximum: 2_592_000, default: 1800, 'x-unit': 'seconds', description: 'A payment page expires this long after checkout; the payment then ends FAILURE, response code 102' }),
  SUCCESS_PAGE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 2000, ...ms, description: 'How long the /Pay/Success interstitial shows before it forwards to success_url (0 skips it)' }),
  REDIRECT_PARAMS: Type.Union([Type.Literal('default'), Type.Literal('legacy')], { default: 'default', description: 'Names of the redirect parameters: default (transaction_id, order_id, …) or legacy (transid, orderId, Failerdescription)' }),
  CURRENCIES: Type.String({ pattern: '^[A-Z]{3}(,[A-Z]{3})*$', default: 'QAR,USD,EUR,GBP,SAR,AED,KWD,BHD,OMR,JOD,EGP', 'x-noun': 'comma-separated list of three-letter codes', description: 'Currencies checkout accepts' }),
  WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://\\S+$', 'x-noun': 'http(s) URL', description: 'Notified (POST) when any payment finishes; a merchant\'s own URL (PUT /__admin/merchants/{id}/webhook) wins' })),
  WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 1, writeOnly: true, 'x-noun': 'secret', description: "When set, webhooks carry x-fatora-mock-signature: sha256=<HMAC of the body> (the mock's, not Fatora's)" })),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000, ...ms, description: 'Each webhook attempt is abandoned after this time' }),
  WEBHOOK_RETRY_MS: Type.String({ pattern: '^(0|[1-9][0-9]{0,6})(,(0|[1-9][0-9]{0,6})){0,2}$', default: '1000,5000,25000', 'x-noun': 'comma-separated list of at most 3 delays in milliseconds', description: 'Delays before the webhook retries (at most 3); tests shorten them' }),
})

export type Config = Readonly<Static<typeof ConfigSchema>>

/** Thrown for an invalid environment; `message` is the one line to print. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Field = TSchema & {
  type?: string
  default?: unknown
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  writeOnly?: boolean
  anyOf?: Array<{ const?: unknown }>
  'x-unit'?: string
  'x-noun'?: string
}

const FIELDS = ConfigSchema.properties as unknown as Readonly<Record<string, Field>>

/** What a variable must be, in words, read off its schema ("an integer from 0 to 65535"). */
export function expected (name: string): string {
  const f = FIELDS[name] as Field
  if (f.type === 'integer') return `an integer${f['x-unit'] === undefined ? '' : ` number of ${f['x-unit']}`} from ${f.minimum} to ${f.maximum}`
  if (f.type === 'boolean') return 'true or false'
  if (f.anyOf !== undefined) {
    const values = f.anyOf.map((v) => String(v.const))
    return values.length === 2 ? values.join(' or ') : `one of ${values.join(', ')}`
  }
  const noun = f['x-noun'] ?? 'value'
  return (f.minLength ?? 0) <= 1 ? `a non-empty ${noun}` : `a ${noun} of at least ${f.minLength} characters`
}

function invalid (name: string, value: unknown, source: 'environment variable' | 'option'): ConfigError {
  // Never echo a secret back, even a malformed one.
  const shown = FIELDS[name]?.writeOnly === true ? '' : `=${source === 'option' ? (typeof value === 'number' ? String(value) : JSON.stringify(value)) : JSON.stringify(value ?? '')}`
  return new ConfigError(`Invalid ${source} ${name}${shown}: expected ${expected(name)}`)
}

// The schema read directly: its fields are integers with bounds, strings with a length or a
// pattern, booleans and choices of literals, so no validator is compiled for one object read once
// (an Ajv compile was a tenth of the time to the first answer). Only `data` is read: an empty or
// absent variable takes the default, whatever the process's own environment holds.
type Check = (value: unknown) => { ok: true, value: unknown } | { ok: false }

const INTEGER_TEXT = /^(0|[1-9][0-9]*)$/

function checkOf (field: Field): Check {
  if (field.anyOf !== undefined) {
    const allowed = new Set(field.anyOf.map((option) => option.const))
    return (value) => allowed.has(value) ? { ok: true, value } : { ok: false }
  }
  switch (field.type) {
    case 'integer': {
      const min = field.minimum ?? -Infinity
      const max = field.maximum ?? Infinity
      return (value) => {
        const n = typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value
        return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max ? { ok: true, value: n } : { ok: false }
      }
    }
    case 'boolean':
      return (value) => {
        const b = value === 'true' ? true : value === 'false' ? false : value
        return typeof b === 'boolean' ? { ok: true, value: b } : { ok: false }
      }
    default: {
      const minLength = field.minLength ?? 0
      const pattern = field.pattern === undefined ? undefined : new RegExp(field.pattern, 'u')
      // Lengths in characters (code points), as JSON Schema counts them.
      return (value) => typeof value === 'string' && [...value].length >= minLength && (pattern === undefined || pattern.test(value)) ? { ok: true, value } : { ok: false }
    }
  }
}

const CHECKS: ReadonlyArray<[string, Field, Check]> = Object.entries(FIELDS).map(([name, field]) => [name, field, checkOf(field)])

function validate (data: Record<string, unknown>, source: 'environment variable' | 'option'): Config {
  const out: Record<string, unknown> = {}
  for (const [name, field, check] of CHECKS) {
    const given = data[name]
    if (given === undefined) {
      if (field.default !== undefined) out[name] = field.default
      continue
    }
    const checked = check(given)
    if (!checked.ok) throw invalid(name, given, source)
    out[name] = checked.value
  }
  const config = Object.freeze(out) as Config
  checkHttps(config, data, source)
  return config
}

// Rules across variables, which one schema field cannot say. Whether the files exist and hold a
// certificate and its key is checked at start (http/tls.ts), like DB_PATH's file.
function checkHttps (config: Config, data: Record<string, unknown>, source: 'environment variable' | 'option'): void {
  const pair = `Invalid ${source}s TLS_CERT and TLS_KEY`
  if ((config.TLS_CERT === undefined) !== (config.TLS_KEY === undefined)) {
    throw new ConfigError(`${pair}: set both (a certificate and its private key) or neither; only ${config.TLS_CERT === undefined ? 'TLS_KEY' : 'TLS_CERT'} is set`)
  }
  if (config.TLS_CERT !== undefined && config.HTTPS_PORT === undefined) {
    throw new ConfigError(`${pair}: they are for the HTTPS listener, but HTTPS_PORT is not set (e.g. HTTPS_PORT=3443)`)
  }
  // Port 0 asks for any free port, a different one for each listener.
  if (config.HTTPS_PORT !== undefined && config.HTTPS_PORT !== 0 && config.HTTPS_PORT === config.PORT) {
    const shown = source === 'option' ? String(config.HTTPS_PORT) : JSON.stringify(data.HTTPS_PORT)
    throw new ConfigError(`Invalid ${source} HTTPS_PORT=${shown}: expected a port other than PORT (${config.PORT}), which serves HTTP`)
  }
}

/** Reads and validates the environment (defaults to process.env) into a frozen Config. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const data: Record<string, string> = {}
  for (const name of Object.keys(FIELDS)) {
    const value = env[name]
    // An empty variable (`PORT=`) means "not set", as in most shells' tooling.
    if (value === undefined || value === '') continue
    data[name] = value
  }
  return validate(data, 'environment variable')
}

/**
 * A loaded configuration with command-line flags on top (serve's --port, --host, --db, --no-seed),
 * checked again across variables: `HTTPS_PORT=3443 … --port 3443` is the same mistake as PORT=3443.
 */
export function withFlags (config: Config, flags: Partial<Config>): Config {
  const merged: Config = Object.freeze({ ...config, ...flags })
  checkHttps(merged, { HTTPS_PORT: String(merged.HTTPS_PORT) }, 'environment variable')
  return merged
}

/** Typed settings, as a program passes them (startMock, tests): any left out take the schema's defaults. */
export type ConfigInput = Partial<Static<typeof ConfigSchema>>

/** The same validation for settings given as values, not strings: defaults fill the rest. */
export function createConfig (values: ConfigInput = {}): Config {
  const data: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    if (!Object.hasOwn(FIELDS, name)) throw new ConfigError(`Invalid configuration: unknown setting ${name}`)
    if (value === undefined) continue
    // No coercion from strings here: a typed setting must have its type.
    const f = FIELDS[name] as Field
    const type = f.type ?? 'string'
    const ok = type === 'integer' ? Number.isSafeInteger(value) : type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string'
    if (!ok) throw invalid(name, value, 'option')
    data[name] = value
  }
  return validate(data, 'option')
}

/**
 * Whether a package manager's script runner started this process (npm start, npm run, npx,
 * pnpm, yarn: they all set npm_execpath). Not a setting: it decides whether the server watches
 * for that launcher being killed (http/parent-watch.ts).
 */
export function startedByPackageManager (env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.npm_execpath ?? '') !== ''
}
