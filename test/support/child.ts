// The server and the CLI in child processes, as a user runs them: the BUILT output (node
// dist/bundle/server.mjs, what `npm start` runs, and node dist/cli.js, the `fatora-mock` bin),
// which starts in well under half the time of the sources under tsx. tap's `before` step
// (test/support/build.mjs) rebuilds dist/ when the sources are newer; importing this module
// does the same check, so a test file run on its own never tests stale output either.
//
// Every child gets the environment of childEnv(): the parent's, minus tap's own variables and
// minus EVERY configuration variable the server reads, so a developer's own ADMIN_TOKEN, PORT or
// DB_PATH never reaches a test's server. The names come from the config schema itself: a new
// variable is left out without anyone editing a list. And every child is started by
// spawnAsUser(), without the hooks tap adds to each process its tests start.
import type { Test } from 'tap'
import { type ChildProcessByStdio, spawn, type SpawnOptionsWithoutStdio } from 'node:child_process'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { ConfigSchema } from '../../src/config.js'
// @ts-expect-error: a plain-JS build script without declarations
import { ensureBuilt, serverEntry } from '../../scripts/ensure-built.mjs'

await (ensureBuilt as () => Promise<void>)()

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** What `npm start` runs: the esbuild bundle (dist/server.js when esbuild is absent). */
export const SERVER_ENTRY = (serverEntry as () => string)()
/** The `fatora-mock` command (package.json "bin"). */
export const CLI_ENTRY = join(ROOT, 'dist', 'cli.js')

/** Every variable the configuration reads (src/config.ts), none of which a child inherits. */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(ConfigSchema.properties))

/** tap's variables (NODE_OPTIONS loads its hooks, TS_NODE_* its TypeScript loader): not a user's shell. */
const isRunnerVariable = (name: string): boolean =>
  name === 'NODE_OPTIONS' || name === 'NODE_V8_COVERAGE' || name.startsWith('TAP') || name.startsWith('_TAPJS') || name.startsWith('TS_NODE_')

/** A user's shell: `parent` (process.env) without tap's variables and without any config variable, then `vars`. */
export function childEnv (vars: Record<string, string> = {}, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(parent)) {
    if (isRunnerVariable(name) || CONFIG_VARIABLES.includes(name)) continue
    env[name] = value
  }
  return { ...env, ...vars }
}

/** childEnv() for a server: any free port on 127.0.0.1, info logs (so "Server listening" shows), then `vars`. */
export const serverEnv = (vars: Record<string, string> = {}): NodeJS.ProcessEnv =>
  childEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...vars })

/**
 * tap adds its process-info hook to every process a test file starts, whatever environment it
 * is given: its loader in NODE_OPTIONS (a module-loading hook, about 0.6 s more CPU per node
 * start) and its _TAPJS_PROCESSINFO_* variables. That is how `npm run coverage` sees the code
 * children run, so there they stay; in a run without coverage (`npm test`), `env -u` removes
 * them again just before the command starts, so it runs as from a user's shell. Not under tap,
 * there is nothing to remove.
 */
const TAP_HOOK_VARIABLES: readonly string[] = process.env._TAPJS_PROCESSINFO_COVERAGE_ === '0'
  ? ['NODE_OPTIONS', ...Object.keys(process.env).filter((name) => name.startsWith('_TAPJS_'))]
  : []

/**
 * spawn() as from a user's shell (see TAP_HOOK_VARIABLES; so `options.env` cannot set
 * NODE_OPTIONS): no stdin, stdout and stderr piped.
 */
export function spawnAsUser (command: string, args: readonly string[], options: SpawnOptionsWithoutStdio): ChildProcessByStdio<null, Readable, Readable> {
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe']
  if (TAP_HOOK_VARIABLES.length === 0) return spawn(command, args, { ...options, stdio })
  // env replaces itself with the command (exec): the same process id, signals and exit status.
  return spawn('env', [...TAP_HOOK_VARIABLES.flatMap((name) => ['-u', name]), command, ...args], { ...options, stdio })
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** performance.now() when the process exited. */
  at: number
}

export interface Child {
  pid: number
  /** performance.now() at the spawn. */
  startedAt: number
  stdout: () => string
  stderr: () => string
  /** The port from "Server listening at http://127.0.0.1:<port>"; rejects if it exits first. */
  ready: Promise<number>
  /** Settles once the process exited and its output was read to the end. */
  exited: Promise<Exit>
  running: () => boolean
  /** Sends `signal`; returns performance.now() at the send. */
  kill: (signal: NodeJS.Signals) => number
}

const LISTENING = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/

/**
 * Spawns `node <args>` in the package root with `env` (build it with childEnv()). It is SIGKILLed
 * after `limitMs` whatever happens, and at `t`'s teardown if still running.
 */
export function spawnNode (t: Test, args: string[], env: NodeJS.ProcessEnv, limitMs: number): Child {
  const startedAt = performance.now()
  const child = spawnAsUser(process.execPath, args, { cwd: ROOT, env })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => { stderr += chunk })
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs)
  let exitAt = 0
  child.on('exit', () => { exitAt = performance.now() })
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(limit)
      resolve({ code, signal, at: exitAt === 0 ? performance.now() : exitAt })
    })
  })
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk
      const port = LISTENING.exec(stdout)?.[1]
      if (port !== undefined) resolve(Number(port))
    })
    exited.then(
      (e) => { reject(new Error(`${args.join(' ')} exited (code ${e.code}, signal ${e.signal}) before listening; stderr: ${stderr}`)) },
      reject,
    )
  })
  // Awaited by the tests that expect a start; the others only look at `exited`.
  ready.catch(() => {})
  exited.catch(() => {})
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  t.teardown(async () => {
    if (running()) child.kill('SIGKILL')
    await exited.catch(() => {})
  })
  return {
    pid: child.pid ?? 0,
    startedAt,
    stdout: () => stdout,
    stderr: () => stderr,
    ready,
    exited,
    running,
    kill: (signal) => { const at = performance.now(); child.kill(signal); return at },
  }
}

/** The built server (`npm start`'s entry) with serverEnv(vars); SIGKILLed after `limitMs` and at teardown. */
export const startServer = (t: Test, vars: Record<string, string> = {}, limitMs = 30_000): Child =>
  spawnNode(t, [SERVER_ENTRY], serverEnv(vars), limitMs)

/** `fatora-mock <args>` (the built CLI) with childEnv(vars); SIGKILLed after `limitMs` and at teardown. */
export const startCli = (t: Test, args: string[], vars: Record<string, string> = {}, limitMs = 30_000): Child =>
  spawnNode(t, [CLI_ENTRY, ...args], childEnv(vars), limitMs)

/** Resolves to the exit, or rejects after `ms` (instead of waiting for the child's own limit). */
export async function exitWithin (child: Child, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`no exit within ${ms} ms; stderr: ${child.stderr()}`)) }, ms)
  })
  try {
    return await Promise.race([child.exited, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export interface Run { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number }

/** Everything a child writes to stdout and stderr, as text, as it arrives. */
export function collectOutput (child: ChildProcessByStdio<null, Readable, Readable>): { stdout: () => string, stderr: () => string } {
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => { stdout += chunk })
  child.stderr.on('data', (chunk: string) => { stderr += chunk })
  return { stdout: () => stdout, stderr: () => stderr }
}

/**
 * Runs `fatora-mock <args>` (the built CLI) to its end with childEnv(vars): its exit, its whole
 * output and how long it took. SIGKILLed after `limitMs`; needs no test (it never outlives its promise).
 */
export async function runCli (args: string[], vars: Record<string, string> = {}, limitMs = 30_000): Promise<Run> {
  const started = performance.now()
  const child = spawnAsUser(process.execPath, [CLI_ENTRY, ...args], { cwd: ROOT, env: childEnv(vars) })
  const output = collectOutput(child)
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c, s) => { resolve([c, s]) })
  }).finally(() => { clearTimeout(limit) })
  return { code, signal, stdout: output.stdout(), stderr: output.stderr(), ms: Math.round(performance.now() - started) }
}
