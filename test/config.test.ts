// loadConfig (issue 2, item 7): defaults, valid values, and one clear message per bad variable.
import t from 'tap'
import { loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  t.same(loadConfig({}), { PORT: 3000, HOST: '127.0.0.1', DB_PATH: 'data/fatora-mock.db', LOG_LEVEL: 'info' })
})

t.test('values from the environment; empty means unset; unrelated variables are ignored', async (t) => {
  const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DB_PATH: ':memory:', LOG_LEVEL: 'silent', PATH: '/usr/bin', NODE_ENV: 'x' })
  t.same(config, { PORT: 8080, HOST: '0.0.0.0', DB_PATH: ':memory:', LOG_LEVEL: 'silent' })
  t.ok(Object.isFrozen(config))
  t.same(loadConfig({ PORT: '', LOG_LEVEL: '' }).PORT, 3000)
  t.same(loadConfig({ PORT: '0' }).PORT, 0, 'PORT=0 picks a free port')
})

t.test('a bad value names the variable and what it expects', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'Invalid environment variable PORT="abc": expected an integer from 0 to 65535'],
    [{ PORT: '65536' }, 'Invalid environment variable PORT="65536": expected an integer from 0 to 65535'],
    [{ PORT: '-1' }, 'Invalid environment variable PORT="-1": expected an integer from 0 to 65535'],
    [{ PORT: '3000.5' }, 'Invalid environment variable PORT="3000.5": expected an integer from 0 to 65535'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid environment variable LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_LEVEL: 'INFO' }, 'Invalid environment variable LOG_LEVEL="INFO": expected one of fatal, error, warn, info, debug, trace, silent'],
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message }, JSON.stringify(env))
  }
})
