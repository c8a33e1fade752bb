// The children of the child-process tests (test/support/child.ts) never see the developer's own
// configuration: every variable of the config schema set in this process (ADMIN_TOKEN, PORT,
// DB_PATH, …) is absent from a child's environment, and the real server and CLI started with it
// behave as on a clean machine. Nor do they get tap's variables and hooks.
import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../src/config.js'
import { httpGet } from './helper.js'
import { childEnv, CONFIG_VARIABLES, runCli, spawnNode, startServer } from './support/child.js'

// Each variable set to a value that the server would notice if it got it: 'leaked' is not a
// number, a boolean, a log level, a locale, a host, a 16-character JWT secret or a fixtures
// directory (each of those stops the start), and as ADMIN_TOKEN it would lock /__admin.
const LEAKED = 'leaked'
const UNRELATED = 'FATORA_CHILD_ENV_TEST_UNRELATED'

t.test('the list is the config schema: every variable the server reads', async (t) => {
  for (const name of ['PORT', 'HOST', 'DB_PATH', 'LOG_LEVEL', 'ADMIN_ENABLED', 'ADMIN_TOKEN', 'FIXTURES_DIR', 'SEED', 'SEED_CLIENTS', 'JWT_SECRET', 'JWT_TTL', 'PREFER_ENABLED', 'JOURNAL_SIZE', 'BODY_LIMIT']) {
    t.ok(CONFIG_VARIABLES.includes(name), `${name} is stripped`)
  }
  const parent = Object.fromEntries([...CONFIG_VARIABLES.map((n) => [n, LEAKED]), [UNRELATED, 'kept'], ['NODE_OPTIONS', '--import=x'], ['TAP_CHILD_ID', '3']])
  const env = childEnv({ PORT: '0' }, parent)
  t.same(Object.keys(env).sort(), [UNRELATED, 'PORT'], 'only the unrelated variable and the one passed explicitly remain')
  t.same(loadConfig(childEnv({}, parent)), loadConfig({}), 'what the config reads from it: the defaults')
})

t.test('a child process sees none of this process\'s config variables', async (t) => {
  const saved = { ...process.env }
  t.teardown(() => {
    for (const name of [...CONFIG_VARIABLES, UNRELATED]) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })
  for (const name of CONFIG_VARIABLES) process.env[name] = LEAKED
  process.env[UNRELATED] = 'kept'

  await t.test('node -e: its whole environment', async (t) => {
    const child = spawnNode(t, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], childEnv(), 10_000)
    const exit = await child.exited
    t.equal(exit.code, 0)
    const seen = JSON.parse(child.stdout()) as Record<string, string>
    t.same(CONFIG_VARIABLES.filter((name) => name in seen), [], 'no config variable (ADMIN_TOKEN, PORT, DB_PATH, …)')
    t.equal(seen[UNRELATED], 'kept', 'other variables pass through')
    const tap = Object.keys(seen).filter((name) => name === 'NODE_OPTIONS' || name.startsWith('TAP') || name.startsWith('_TAPJS_'))
    t.same(tap.filter((name) => name.startsWith('TAP')), [], "none of tap's TAP* variables")
    // `npm run coverage` keeps tap's hooks in the children, to see the code they run.
    if (process.env._TAPJS_PROCESSINFO_COVERAGE_ !== '1') t.same(tap, [], "nor tap's hooks (NODE_OPTIONS, _TAPJS_*): as from a user's shell")
  })

  await t.test('the real server: starts with the defaults, /__admin open, the fixtures', async (t) => {
    const dir = t.testdir({})
    const dbPath = join(dir, 'clean.db')
    const child = startServer(t, { DB_PATH: dbPath })
    const port = await child.ready
    const state = await httpGet(port, '/__admin/state')
    t.equal(state.status, 200, 'no ADMIN_TOKEN: /__admin/state answers without one')
    t.match(JSON.parse(state.body), { totals: { merchants: 2, api_keys: 3, clients: 83 } }, 'the default fixtures, no SEED_CLIENTS')
    t.ok(existsSync(dbPath), 'the database is at the DB_PATH the test gave')
    child.kill('SIGTERM')
    t.equal((await child.exited).code, 0, 'SIGTERM → exit 0')
    t.equal(child.stderr(), '', 'nothing on stderr')
  })

  await t.test('the CLI: keys list on a new database', async (t) => {
    const dir = t.testdir({})
    const run = await runCli(['keys', 'list', '--db', join(dir, 'cli.db')])
    t.same({ code: run.code, stderr: run.stderr }, { code: 0, stderr: '' }, 'exit 0, nothing on stderr')
    t.equal(run.stdout.split('\n').length, 5, 'a header and the 3 fixture keys')
  })
})
