// The only reader of process.env: one TypeBox schema gives defaults, validation and the Config type.
// A bad value stops the start with a message naming the variable (never a stack trace).
import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on (0 = any free port)' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to bind; 0.0.0.0 in containers' }),
  DB_PATH: Type.String({ minLength: 1, default: 'data/fatora-mock.db', description: 'SQLite file, created and seeded from fixtures/ if missing; :memory: for a throw-away database' }),
  LOG_LEVEL: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), { default: 'info', description: 'pino log level' }),
  ADMIN_ENABLED: Type.Boolean({ default: true, description: 'Serve the /__admin API (CONTRACT §5); false answers 404 there' }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 1, pattern: '^[\\x21-\\x7e]+$', description: 'When set, /__admin requires Authorization: Bearer <token> (visible ASCII, no spaces: a Bearer token cannot carry them)' })),
  FIXTURES_DIR: Type.Optional(Type.String({ minLength: 1, description: "Directory of *.json fixtures loaded into a new database (default: the package's fixtures/)" })),
  SEED_FIXTURES: Type.Boolean({ default: true, description: 'Load the fixtures into a new database; false starts it empty' }),
  SEED_CLIENTS: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Fake clients added to the demo merchant when the database is created' }),
  SEED: Type.Integer({ minimum: 0, maximum: 4294967295, default: 1, description: 'Faker seed for SEED_CLIENTS' }),
  SEED_LOCALE: Type.Union([Type.Literal('en'), Type.Literal('ar')], { default: 'en', description: 'Locale of SEED_CLIENTS' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 16, description: 'HS256 secret of the Authorize bearer tokens; a random one per start when unset' })),
  JWT_TTL: Type.Integer({ minimum: 1, maximum: 2_592_000, default: 3600, description: 'Lifetime of an Authorize bearer token, in seconds' }),
  PREFER_ENABLED: Type.Boolean({ default: true, description: 'Honour the Prefer header on /v1 (code=NNN, delay=MS); false for strict Fatora behaviour' }),
  LATENCY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0, description: 'Delay added to every /v1 request, in milliseconds' }),
  LATENCY_JITTER_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0, description: 'Extra random delay per /v1 request, uniform from 0 to this' }),
  FAULT_SEED: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Seed of the fault and jitter generator (random per start when unset; GET /__admin/faults shows it)' })),
  JOURNAL_SIZE: Type.Integer({ minimum: 0, maximum: 100_000, default: 1000, description: 'How many /v1 requests the journal keeps (0: off)' }),
  HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 600_000, default: 10_000, description: 'A client must send its request headers within this time, or gets 408 and is disconnected (slowloris)' }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 120_000, description: 'A client must send its whole request within this time, or gets 408 and is disconnected' }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 72_000, description: 'An idle kept-alive connection is closed after this time' }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 104_857_600, default: 1_048_576, description: 'Largest request body in bytes; larger bodies get 413' }),
})

export type Config = Readonly<Static<typeof ConfigSchema>>

/** Thrown for an invalid environment; `message` is the one line to print. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const HINTS: Record<string, string> = {
  PORT: 'an integer from 0 to 65535',
  HOST: 'a non-empty host name or IP address',
  DB_PATH: 'a non-empty file path or :memory:',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  ADMIN_ENABLED: 'true or false',
  ADMIN_TOKEN: 'a non-empty token of visible ASCII characters, without spaces',
  FIXTURES_DIR: 'a non-empty directory path',
  SEED_FIXTURES: 'true or false',
  SEED_CLIENTS: 'an integer from 0 to 10000000',
  SEED: 'an integer from 0 to 4294967295',
  SEED_LOCALE: 'en or ar',
  JWT_SECRET: 'a secret of at least 16 characters',
  JWT_TTL: 'an integer number of seconds from 1 to 2592000',
  PREFER_ENABLED: 'true or false',
  LATENCY_MS: 'an integer number of milliseconds from 0 to 60000',
  LATENCY_JITTER_MS: 'an integer number of milliseconds from 0 to 60000',
  FAULT_SEED: 'an integer from 0 to 4294967295',
  JOURNAL_SIZE: 'an integer from 0 to 100000',
  HEADERS_TIMEOUT_MS: 'an integer number of milliseconds from 1000 to 600000',
  REQUEST_TIMEOUT_MS: 'an integer number of milliseconds from 1000 to 3600000',
  KEEP_ALIVE_TIMEOUT_MS: 'an integer number of milliseconds from 100 to 600000',
  BODY_LIMIT: 'an integer number of bytes from 1024 to 104857600',
}

const INTEGERS = new Set(['PORT', 'SEED_CLIENTS', 'SEED', 'JWT_TTL', 'LATENCY_MS', 'LATENCY_JITTER_MS', 'FAULT_SEED', 'JOURNAL_SIZE', 'HEADERS_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS', 'KEEP_ALIVE_TIMEOUT_MS', 'BODY_LIMIT'])
const SECRETS = new Set(['ADMIN_TOKEN', 'JWT_SECRET'])

/** Reads and validates the environment (defaults to process.env) into a frozen Config. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const data: Record<string, string> = {}
  for (const name of Object.keys(HINTS)) {
    const value = env[name]
    // An empty variable (`PORT=`) means "not set", as in most shells' tooling.
    if (value === undefined || value === '') continue
    // ajv's coercion reads 0x10, 1e3, 080 and "3000 " as numbers: integers must be plain digits.
    if (INTEGERS.has(name) && !/^(0|[1-9][0-9]*)$/.test(value)) {
      throw new ConfigError(`Invalid environment variable ${name}=${JSON.stringify(value)}: expected ${HINTS[name]}`)
    }
    data[name] = value
  }
  try {
    return Object.freeze(envSchema<Static<typeof ConfigSchema>>({ schema: ConfigSchema, data, dotenv: false }))
  } catch (err) {
    const errors = (err as { errors?: Array<{ instancePath?: string }> }).errors ?? []
    const name = errors.map((e) => e.instancePath?.replace(/^\//, '')).find((n): n is string => n !== undefined && n in HINTS)
    if (name === undefined) throw new ConfigError('Invalid configuration: ' + (err as Error).message)
    // Never echo a secret back, even a malformed one.
    const shown = SECRETS.has(name) ? '' : `=${JSON.stringify(data[name] ?? '')}`
    throw new ConfigError(`Invalid environment variable ${name}${shown}: expected ${HINTS[name]}`)
  }
}
