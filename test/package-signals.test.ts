// The server must not outlive a launcher that was killed (src/http/parent-watch.ts): under npm or
// npx, `kill $!` signals npm, and the shell npm runs the bin in dies without passing the signal
// on. Here: a launcher process (with npm's npm_execpath) SIGKILLed under a running server; the
// same without npm's variables (the server stays: a shell's background job may outlive the
// shell); and the two CI patterns the docs give, in a scratch project where the packed package is
// installed (scripts/package-check.mjs): `node_modules/.bin/fatora-mock serve & … kill $!` and
// `npx fatora-mock serve & … kill $!`.
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLIENT_1024, DEMO_KEY } from './helper.js'
import { CLI_ENTRY, spawnAsUser } from './support/child.js'
// @ts-expect-error: a plain-JS script without declarations
import * as packageCheck from '../scripts/package-check.mjs'

interface Run { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number }
const check = packageCheck as {
  setSpawner: (spawner: typeof spawnAsUser) => void
  pack: (dest: string) => Promise<{ tarball: string }>
  scratchProject: (dir: string) => void
  linkInstall: (dir: string, tarball: string) => void
  start: (command: string, args: readonly string[], options: { cwd: string, env: NodeJS.ProcessEnv, limitMs?: number }) => { child: { kill: (signal: NodeJS.Signals) => boolean }, result: Promise<Run> }
  run: (command: string, args: readonly string[], options: { cwd: string, env: NodeJS.ProcessEnv, limitMs?: number }) => Promise<Run>
  cleanEnv: (vars?: Record<string, string>) => NodeJS.ProcessEnv
  freePort: () => Promise<number>
  waitFor: (url: string, ms: number) => Promise<void>
}
check.setSpawner(spawnAsUser)

t.setTimeout(120_000)

/** Generous: the server looks at its parent once a second, then closes gracefully. */
const GONE_WITHIN_MS = 15_000
const NPM_ENV = { npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js', npm_lifecycle_event: 'npx', npm_command: 'exec' }

const work = mkdtempSync(join(tmpdir(), 'fatora-mock-signals-test-'))
t.teardown(() => { rmSync(work, { recursive: true, force: true }) })

/** Whether process `pid` has exited (a zombie not yet reaped by its new parent counts as exited). */
function exited (pid: number): boolean {
  try {
    // Field 3 of /proc/<pid>/stat, after the parenthesised command name, is the state.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true
  }
  try {
    process.kill(pid, 0)
    return false
  } catch {
    return true
  }
}

async function until (what: string, ok: () => boolean | Promise<boolean>, ms = GONE_WITHIN_MS): Promise<void> {
  const deadline = Date.now() + ms
  while (!await ok()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Whether nothing listens on 127.0.0.1:`port` (this process can listen there). */
const portFree = async (port: number): Promise<boolean> => await new Promise((resolve) => {
  const server = createServer().once('error', () => { resolve(false) }).listen(port, '127.0.0.1', () => { server.close(() => { resolve(true) }) })
})

/** A process no test may leave behind: SIGKILLed at teardown if it still runs. */
const reap = (pid: number): void => { t.teardown(() => { if (!exited(pid)) process.kill(pid, 'SIGKILL') }) }

// The launcher: a node process that starts the server (the built CLI) as its child, writes the
// child's pid to $PID_FILE and stays until it is killed. The server shares its stdout and stderr.
const LAUNCHER = "const c = require('node:child_process').spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' }); require('node:fs').writeFileSync(process.env.PID_FILE, String(c.pid))"

/** A launcher and its server, listening; then the launcher is SIGKILLed. */
async function launchThenKill (vars: Record<string, string>): Promise<{ output: Promise<Run>, pid: number, port: number }> {
  const port = await check.freePort()
  const pidFile = join(work, `server-${port}.pid`)
  const launcher = check.start(process.execPath, ['-e', LAUNCHER, CLI_ENTRY, 'serve', '--port', String(port), '--db', join(work, `server-${port}.db`)], { cwd: work, env: check.cleanEnv({ ...vars, PID_FILE: pidFile }), limitMs: 60_000 })
  await check.waitFor(`http://127.0.0.1:${port}/health`, 30_000)
  const pid = Number(readFileSync(pidFile, 'utf8'))
  reap(pid)
  launcher.child.kill('SIGKILL')
  // Settles once the server, which holds the launcher's stdout and stderr, has exited too.
  return { output: launcher.result, pid, port }
}

t.test('under npm (npm_execpath set), a server whose launcher is SIGKILLed closes by itself and frees its port', async (t) => {
  const { output, pid, port } = await launchThenKill(NPM_ENV)
  t.ok(pid > 0)
  await until('the server exits', () => exited(pid))
  t.ok(await portFree(port), 'its port is free')
  const out = await output
  t.match(out.stdout, 'the process that started fatora-mock has exited, closing', 'it says why it closed')
  t.equal(out.stderr, '')
})

t.test('not under npm, a server outlives its launcher (a shell that started it in the background may end)', async (t) => {
  const { output, pid, port } = await launchThenKill({})
  // Three times the watch's period: a watching server would have closed by then.
  await new Promise((resolve) => setTimeout(resolve, 3000))
  t.notOk(exited(pid), 'still running')
  const res = await fetch(`http://127.0.0.1:${port}/v1/clients/1024`, { headers: { api_key: DEMO_KEY } })
  t.same(await res.json(), { status: 'SUCCESS', client: CLIENT_1024 })
  process.kill(pid, 'SIGTERM')
  await until('the server exits on SIGTERM', () => exited(pid))
  t.ok(await portFree(port))
  t.match((await output).stdout, 'SIGTERM received, closing')
})

t.test('the CI patterns in a project where the packed package is installed', async (t) => {
  const packed = await check.pack(work)
  const project = join(work, 'ci')
  check.scratchProject(project)
  check.linkInstall(project, packed.tarball)
  // Polls with node's fetch, so the script needs nothing but bash and node.
  const health = 'until node -e "fetch(\'http://127.0.0.1:$PORT/health\').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do tries=$((tries + 1)); [ $tries -lt 150 ] || exit 3; sleep 0.2; done'
  const client = `node -e "fetch('http://127.0.0.1:$PORT/v1/clients/1024', { headers: { api_key: '${DEMO_KEY}' } }).then((r) => r.text()).then(console.log)"`

  t.test('node_modules/.bin/fatora-mock serve & … kill $!: the signal reaches the server, which exits 0', async (t) => {
    const port = await check.freePort()
    const script = [
      'tries=0',
      'node_modules/.bin/fatora-mock serve --port "$PORT" --db "$PWD/ci.db" > server.log 2>&1 &',
      'pid=$!',
      health,
      client,
      'kill $pid',
      'wait $pid',
      'echo "exit $?"',
    ].join('\n')
    const r = await check.run('bash', ['-c', script], { cwd: project, env: check.cleanEnv({ PORT: String(port) }), limitMs: 60_000 })
    t.same([r.code, r.stderr], [0, ''])
    t.equal(r.stdout, `${JSON.stringify({ status: 'SUCCESS', client: CLIENT_1024 })}\nexit 0\n`)
    t.ok(await portFree(port), 'the port is free')
    t.match(readFileSync(join(project, 'server.log'), 'utf8'), 'SIGTERM received, closing')
  })

  t.test('npx fatora-mock serve & … kill $!: npm dies, and the server closes by itself and frees its port', async (t) => {
    const port = await check.freePort()
    const script = [
      'tries=0',
      'npx fatora-mock serve --port "$PORT" --db "$PWD/npx.db" > npx.log 2>&1 &',
      'launcher=$!',
      health,
      client,
      'kill $launcher',
      'wait $launcher',
      'echo "launcher exit $?"',
    ].join('\n')
    // Offline: npx finds the package in the project's node_modules and must not ask the registry.
    const r = await check.run('bash', ['-c', script], { cwd: project, env: check.cleanEnv({ PORT: String(port), npm_config_offline: 'true', npm_config_update_notifier: 'false' }), limitMs: 60_000 })
    t.same([r.code, r.stderr], [0, ''])
    t.match(r.stdout, `${JSON.stringify({ status: 'SUCCESS', client: CLIENT_1024 })}\nlauncher exit `)
    const log = (): string => readFileSync(join(project, 'npx.log'), 'utf8')
    const pid = Number(/"pid":(\d+)/.exec(log())?.[1])
    t.ok(pid > 0, 'the server logged its pid')
    reap(pid)
    await until('the server exits', () => exited(pid))
    t.ok(await portFree(port), 'the port is free')
    t.match(log(), 'the process that started fatora-mock has exited, closing')
  })
})
