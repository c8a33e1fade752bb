// loadConfig: defaults, valid values, and one clear message per bad variable.
import t from 'tap'
import { createConfig, loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  t.same(loadConfig({}), {
    PORT: 3000,
    HOST: '127.0.0.1',
    DB_PATH: 'data/fatora-mock.db',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'auto',
    ADMIN_ENABLED: true,
    SEED_FIXTURES: true,
    SEED_CLIENTS: 0,
    SEED: 1,
    SEED_LOCALE: 'en',
    JWT_TTL: 3600,
    PREFER_ENABLED: true,
    LATENCY_MS: 0,
    LATENCY_JITTER_MS: 0,
    JOURNAL_SIZE: 1000,
    HEADERS_TIMEOUT_MS: 10000,
    REQUEST_TIMEOUT_MS: 120000,
    KEEP_ALIVE_TIMEOUT_MS: 72000,
    BODY_LIMIT: 1048576,
    CHECKOUT_TTL: 1800,
    SUCCESS_PAGE_MS: 2000,
    REDIRECT_PARAMS: 'default',
    CURRENCIES: 'QAR,USD,EUR,GBP,SAR,AED,KWD,BHD,OMR,JOD,EGP',
    WEBHOOK_TIMEOUT_MS: 5000,
    WEBHOOK_RETRY_MS: '1000,5000,25000',
  })
})

t.test('values from the environment; empty means unset; unrelated variables are ignored', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DB_PATH: ':memory:',
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'pretty',
    PATH: '/usr/bin',
    NODE_ENV: 'x',
    ADMIN_ENABLED: 'false',
    ADMIN_TOKEN: 's3cret',
    FIXTURES_DIR: '/my/fixtures',
    SEED_FIXTURES: 'false',
    SEED_CLIENTS: '5000',
    SEED: '42',
    SEED_LOCALE: 'ar',
    JWT_SECRET: 'sixteen-chars-ok',
    JWT_TTL: '2592000',
    PREFER_ENABLED: 'false',
    LATENCY_MS: '250',
    LATENCY_JITTER_MS: '60000',
    FAULT_SEED: '4294967295',
    JOURNAL_SIZE: '0',
    HEADERS_TIMEOUT_MS: '2000',
    REQUEST_TIMEOUT_MS: '5000',
    KEEP_ALIVE_TIMEOUT_MS: '100',
    BODY_LIMIT: '2048',
  })
  t.same(config, {
    PORT: 8080,
    HOST: '0.0.0.0',
    DB_PATH: ':memory:',
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'pretty',
    ADMIN_ENABLED: false,
    ADMIN_TOKEN: 's3cret',
    FIXTURES_DIR: '/my/fixtures',
    SEED_FIXTURES: false,
    SEED_CLIENTS: 5000,
    SEED: 42,
    SEED_LOCALE: 'ar',
    JWT_SECRET: 'sixteen-chars-ok',
    JWT_TTL: 2592000,
    PREFER_ENABLED: false,
    LATENCY_MS: 250,
    LATENCY_JITTER_MS: 60000,
    FAULT_SEED: 4294967295,
    JOURNAL_SIZE: 0,
    HEADERS_TIMEOUT_MS: 2000,
    REQUEST_TIMEOUT_MS: 5000,
    KEEP_ALIVE_TIMEOUT_MS: 100,
    BODY_LIMIT: 2048,
    CHECKOUT_TTL: 1800,
    SUCCESS_PAGE_MS: 2000,
    REDIRECT_PARAMS: 'default',
    CURRENCIES: 'QAR,USD,EUR,GBP,SAR,AED,KWD,BHD,OMR,JOD,EGP',
    WEBHOOK_TIMEOUT_MS: 5000,
    WEBHOOK_RETRY_MS: '1000,5000,25000',
  })
  t.ok(Object.isFrozen(config))
  t.same(loadConfig({ PORT: '', LOG_LEVEL: '' }).PORT, 3000)
  t.same(loadConfig({ PORT: '0' }).PORT, 0, 'PORT=0 picks a free port')
  t.equal(loadConfig({ ADMIN_TOKEN: '' }).ADMIN_TOKEN, undefined, 'an empty token means no token')
  t.equal(loadConfig({ JWT_SECRET: '' }).JWT_SECRET, undefined, 'an empty JWT_SECRET means a random one per start')
  t.equal(loadConfig({ JWT_TTL: '1' }).JWT_TTL, 1, 'JWT_TTL=1 is the shortest')
})

t.test('a bad value names the variable and what it expects', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'Invalid environment variable PORT="abc": expected an integer from 0 to 65535'],
    [{ PORT: '65536' }, 'Invalid environment variable PORT="65536": expected an integer from 0 to 65535'],
    [{ PORT: '-1' }, 'Invalid environment variable PORT="-1": expected an integer from 0 to 65535'],
    [{ PORT: '3000.5' }, 'Invalid environment variable PORT="3000.5": expected an integer from 0 to 65535'],
    [{ PORT: '0x10' }, 'Invalid environment variable PORT="0x10": expected an integer from 0 to 65535'],
    [{ PORT: '1e3' }, 'Invalid environment variable PORT="1e3": expected an integer from 0 to 65535'],
    [{ PORT: '080' }, 'Invalid environment variable PORT="080": expected an integer from 0 to 65535'],
    [{ PORT: '3000 ' }, 'Invalid environment variable PORT="3000 ": expected an integer from 0 to 65535'],
    [{ SEED: '+5' }, 'Invalid environment variable SEED="+5": expected an integer from 0 to 4294967295'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid environment variable LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_LEVEL: 'INFO' }, 'Invalid environment variable LOG_LEVEL="INFO": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_FORMAT: 'loud' }, 'Invalid environment variable LOG_FORMAT="loud": expected one of auto, json, pretty'],
    [{ LOG_FORMAT: 'JSON' }, 'Invalid environment variable LOG_FORMAT="JSON": expected one of auto, json, pretty'],
    [{ ADMIN_ENABLED: 'yes' }, 'Invalid environment variable ADMIN_ENABLED="yes": expected true or false'],
    [{ SEED_FIXTURES: '0' }, 'Invalid environment variable SEED_FIXTURES="0": expected true or false'],
    [{ SEED_CLIENTS: '-5' }, 'Invalid environment variable SEED_CLIENTS="-5": expected an integer from 0 to 10000000'],
    [{ SEED_CLIENTS: '20000000' }, 'Invalid environment variable SEED_CLIENTS="20000000": expected an integer from 0 to 10000000'],
    [{ SEED: 'abc' }, 'Invalid environment variable SEED="abc": expected an integer from 0 to 4294967295'],
    [{ SEED_LOCALE: 'fr' }, 'Invalid environment variable SEED_LOCALE="fr": expected en or ar'],
    [{ JWT_TTL: '0' }, 'Invalid environment variable JWT_TTL="0": expected an integer number of seconds from 1 to 2592000'],
    [{ JWT_TTL: '2592001' }, 'Invalid environment variable JWT_TTL="2592001": expected an integer number of seconds from 1 to 2592000'],
    [{ JWT_TTL: '1h' }, 'Invalid environment variable JWT_TTL="1h": expected an integer number of seconds from 1 to 2592000'],
    [{ JWT_TTL: '3.6e3' }, 'Invalid environment variable JWT_TTL="3.6e3": expected an integer number of seconds from 1 to 2592000'],
    [{ JWT_TTL: '-60' }, 'Invalid environment variable JWT_TTL="-60": expected an integer number of seconds from 1 to 2592000'],
    [{ PREFER_ENABLED: 'no' }, 'Invalid environment variable PREFER_ENABLED="no": expected true or false'],
    [{ LATENCY_MS: '60001' }, 'Invalid environment variable LATENCY_MS="60001": expected an integer number of milliseconds from 0 to 60000'],
    [{ LATENCY_MS: '1s' }, 'Invalid environment variable LATENCY_MS="1s": expected an integer number of milliseconds from 0 to 60000'],
    [{ LATENCY_JITTER_MS: '-1' }, 'Invalid environment variable LATENCY_JITTER_MS="-1": expected an integer number of milliseconds from 0 to 60000'],
    [{ FAULT_SEED: '4294967296' }, 'Invalid environment variable FAULT_SEED="4294967296": expected an integer from 0 to 4294967295'],
    [{ JOURNAL_SIZE: '100001' }, 'Invalid environment variable JOURNAL_SIZE="100001": expected an integer from 0 to 100000'],
    [{ JOURNAL_SIZE: 'many' }, 'Invalid environment variable JOURNAL_SIZE="many": expected an integer from 0 to 100000'],
    [{ HEADERS_TIMEOUT_MS: '999' }, 'Invalid environment variable HEADERS_TIMEOUT_MS="999": expected an integer number of milliseconds from 1000 to 600000'],
    [{ BODY_LIMIT: '1mb' }, 'Invalid environment variable BODY_LIMIT="1mb": expected an integer number of bytes from 1024 to 104857600'],
    // A secret is never echoed, not even a rejected one.
    [{ JWT_SECRET: 'too-short' }, 'Invalid environment variable JWT_SECRET: expected a secret of at least 16 characters'],
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message }, JSON.stringify(env))
  }
})

t.test('typed settings (startMock, tests) get the same defaults and the same rules, with no string coercion', async (t) => {
  t.same(createConfig(), loadConfig({}), 'no settings: exactly the environment\'s defaults')
  t.same(createConfig({ PORT: 0, LATENCY_MS: 250, ADMIN_ENABLED: false }), loadConfig({ PORT: '0', LATENCY_MS: '250', ADMIN_ENABLED: 'false' }))
  t.ok(Object.isFrozen(createConfig()), 'frozen')
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ PORT: 70000 }, 'Invalid option PORT=70000: expected an integer from 0 to 65535'],
    [{ PORT: '3000' }, 'Invalid option PORT="3000": expected an integer from 0 to 65535'],
    [{ LATENCY_MS: 1.5 }, 'Invalid option LATENCY_MS=1.5: expected an integer number of milliseconds from 0 to 60000'],
    [{ ADMIN_ENABLED: 'false' }, 'Invalid option ADMIN_ENABLED="false": expected true or false'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid option LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_FORMAT: 'colour' }, 'Invalid option LOG_FORMAT="colour": expected one of auto, json, pretty'],
    [{ HOST: '' }, 'Invalid option HOST="": expected a non-empty host name or IP address'],
    [{ ADMIN_TOKEN: 'has space' }, 'Invalid option ADMIN_TOKEN: expected a non-empty token of visible ASCII characters, without spaces'],
    [{ JWT_SECRET: 'short' }, 'Invalid option JWT_SECRET: expected a secret of at least 16 characters'],
    [{ NOT_A_SETTING: 1 }, 'Invalid configuration: unknown setting NOT_A_SETTING'],
  ]
  for (const [values, message] of cases) {
    t.throws(() => createConfig(values as never), { name: 'ConfigError', message }, JSON.stringify(values))
  }
})

t.test('only the given environment is read: the process\'s own variables, even empty ones, do not leak in', async (t) => {
  const saved = { HOST: process.env.HOST, PORT: process.env.PORT }
  t.teardown(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name)
      else process.env[name] = value
    }
  })
  process.env.HOST = 'example.org'
  process.env.PORT = ''
  t.same([loadConfig({ JWT_TTL: '60' }).HOST, loadConfig({ JWT_TTL: '60' }).PORT], ['127.0.0.1', 3000], 'an explicit environment is all there is')
  t.same([loadConfig().HOST, loadConfig().PORT], ['example.org', 3000], 'process.env: PORT= (empty) means unset')
})
