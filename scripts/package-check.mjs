// The package as a user gets it: `npm pack`, installed into a scratch project, then used the ways
// examples/ shows — ESM (start-mock.mjs), CommonJS (start-mock.cjs), TypeScript with
// "module": "nodenext" (start-mock.ts and start-mock.cts, typechecked against the shipped
// declarations, compiled, run) — and through its bin (--version, then serve and a request).
//
//   node scripts/package-check.mjs [--install npm|link] [--keep]
//
// --install npm (what .ci/run does): `npm install <tarball>` from the registry with an empty npm
//   cache, as a newcomer's first install; prints the time it took and the size of node_modules.
// --install link (the default; offline, test/package.test.ts): the tarball is extracted into
//   node_modules/fatora-mock and its dependencies are linked from this repository's node_modules,
//   which is what npm would put there, without a network or a better-sqlite3 compile.
// Run after a build: it packs dist/ as it is (`npm pack --ignore-scripts`) unless --install npm,
// where `npm pack` runs the package's prepare script as it would for a user.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const EXAMPLES = join(ROOT, 'examples')
/** The consumers, copied from examples/ into the scratch project. */
export const CONSUMER_FILES = ['start-mock.mjs', 'start-mock.cjs', 'start-mock.ts', 'start-mock.cts', 'tsconfig.json']
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc')
/** @type {{ version: string, devDependencies: Record<string, string> }} */
const REPO_PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

/**
 * An environment with nothing of the caller's configuration or test runner: PATH and HOME only
 * (npm reads its settings from HOME), then `vars`.
 * @param {Record<string, string>} [vars]
 * @returns {NodeJS.ProcessEnv}
 */
export const cleanEnv = (vars = {}) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...vars })

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number }} Run
 */

/**
 * @typedef {(command: string, args: readonly string[], options: import('node:child_process').SpawnOptionsWithoutStdio) =>
 *   import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>} Spawner
 */

/** @type {Spawner} */
let spawnProcess = (command, args, options) => spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })

/**
 * How commands are started: the test suite passes its spawnAsUser (test/support/child.ts), which
 * keeps the test runner's hooks out of them.
 * @param {Spawner} spawner
 */
export function setSpawner (spawner) { spawnProcess = spawner }

/**
 * Starts a command (killed after `limitMs`); `result` settles with its exit, its output and how
 * long it took.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, limitMs?: number }} options
 * @returns {{ child: import('node:child_process').ChildProcess, result: Promise<Run> }}
 */
export function start (command, args, { cwd, env, limitMs = 120_000 }) {
  const started = performance.now()
  const child = spawnProcess(command, args, { cwd, env })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (/** @type {string} */ d) => { stdout += d })
  child.stderr.setEncoding('utf8').on('data', (/** @type {string} */ d) => { stderr += d })
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs)
  /** @type {Promise<[number | null, NodeJS.Signals | null]>} */
  const exit = new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c, s) => { resolve([c, s]) })
  })
  const result = exit.finally(() => { clearTimeout(limit) })
    .then(([code, signal]) => ({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) }))
  return { child, result }
}

/**
 * Runs a command to its end (killed after `limitMs`): its exit, its output and how long it took.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, limitMs?: number }} options
 * @returns {Promise<Run>}
 */
export const run = async (command, args, options) => await start(command, args, options).result

/**
 * @typedef {{ tarball: string, files: Array<{ path: string, size: number }>, size: number, unpackedSize: number }} Packed
 */

/**
 * `npm pack` of this repository into `dest`.
 * @param {string} dest
 * @param {{ ignoreScripts?: boolean, env?: NodeJS.ProcessEnv }} [options] ignoreScripts: pack dist/ as it is
 * @returns {Promise<Packed>}
 */
export async function pack (dest, { ignoreScripts = true, env = cleanEnv() } = {}) {
  const r = await run('npm', ['pack', '--json', '--pack-destination', dest, ...(ignoreScripts ? ['--ignore-scripts'] : [])], { cwd: ROOT, env })
  if (r.code !== 0) throw new Error(`npm pack failed (${r.code}): ${r.stderr}`)
  /** @type {Array<{ filename: string, files: Array<{ path: string, size: number }>, size: number, unpackedSize: number }>} */
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')))
  if (info === undefined) throw new Error(`npm pack printed no package: ${r.stdout}`)
  return { tarball: join(dest, info.filename), files: info.files, size: info.size, unpackedSize: info.unpackedSize }
}

/**
 * A consumer project in `dir`: "type": "module" and the examples.
 * @param {string} dir
 */
export function scratchProject (dir) {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fatora-mock-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2) + '\n')
  for (const file of CONSUMER_FILES) cpSync(join(EXAMPLES, file), join(dir, file))
}

/**
 * Installs the tarball as npm would, offline: extracted into node_modules/fatora-mock, each of its
 * dependencies (and @types/node, for the TypeScript consumer) linked from this repository's
 * node_modules, its bins linked into node_modules/.bin and made executable.
 * @param {string} dir
 * @param {string} tarball
 */
export function linkInstall (dir, tarball) {
  const modules = join(dir, 'node_modules')
  const target = join(modules, 'fatora-mock')
  mkdirSync(target, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'])
  /** @type {{ dependencies: Record<string, string>, bin: Record<string, string> }} */
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'))
  for (const name of [...Object.keys(manifest.dependencies), '@types/node']) {
    mkdirSync(dirname(join(modules, name)), { recursive: true })
    symlinkSync(realpathSync(join(ROOT, 'node_modules', name)), join(modules, name), 'dir')
  }
  mkdirSync(join(modules, '.bin'), { recursive: true })
  for (const [name, path] of Object.entries(manifest.bin)) {
    chmodSync(join(target, path), 0o755)
    symlinkSync(join('..', 'fatora-mock', path), join(modules, '.bin', name))
  }
}

/**
 * `npm install <tarball> @types/node` from the registry, with an empty npm cache of its own.
 * @param {string} dir
 * @param {string} tarball
 * @returns {Promise<Run>}
 */
export async function npmInstall (dir, tarball) {
  const cache = mkdtempSync(join(tmpdir(), 'fatora-mock-npm-cache-'))
  try {
    return await run('npm', ['install', '--no-audit', '--no-fund', '--cache', cache, tarball, `@types/node@${REPO_PACKAGE.devDependencies['@types/node']}`], { cwd: dir, env: process.env, limitMs: 600_000 })
  } finally {
    rmSync(cache, { recursive: true, force: true })
  }
}

/**
 * The consumers in the scratch project: the ESM and CommonJS examples run as they are; the
 * TypeScript ones are typechecked and compiled (the repository's tsc, nodenext) into out/, then run.
 * @param {string} dir
 * @returns {Promise<Array<{ name: string } & Run>>}
 */
export async function runConsumers (dir) {
  const env = cleanEnv()
  const node = async (/** @type {string} */ file) => ({ name: file, ...await run(process.execPath, [file], { cwd: dir, env }) })
  const tsc = { name: 'tsc (nodenext)', ...await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', 'out'], { cwd: dir, env }) }
  const runs = [await node('start-mock.mjs'), await node('start-mock.cjs'), tsc]
  if (tsc.code === 0) runs.push(await node('out/start-mock.js'), await node('out/start-mock.cjs'))
  return runs
}

/** A TCP port free at the time of asking. */
export async function freePort () {
  return await new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    }).on('error', reject)
  })
}

/**
 * Waits until GET `url` answers, or rejects after `ms`.
 * @param {string} url
 * @param {number} ms
 */
export async function waitFor (url, ms) {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      return
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms: ${/** @type {Error} */ (err).message}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/**
 * The bin as a user runs it from the scratch project: `fatora-mock --version`, then
 * `fatora-mock serve --port P --db <file>`, GET /v1/clients/1024, SIGTERM.
 * @param {string} dir
 * @returns {Promise<{ version: Run, body: unknown, exit: Run }>}
 */
export async function checkBin (dir) {
  const bin = join(dir, 'node_modules', '.bin', 'fatora-mock')
  const version = await run(bin, ['--version'], { cwd: dir, env: cleanEnv() })
  const port = await freePort()
  const serving = start(bin, ['serve', '--port', String(port), '--db', join(dir, 'bin-check.db')], { cwd: dir, env: cleanEnv(), limitMs: 60_000 })
  let body
  try {
    await waitFor(`http://127.0.0.1:${port}/health`, 30_000)
    body = await (await fetch(`http://127.0.0.1:${port}/v1/clients/1024`, { headers: { api_key: 'E4B73FEE-F492-4607-A38D-852B0EBC91C9' } })).json()
  } finally {
    serving.child.kill('SIGTERM')
  }
  return { version, body, exit: await serving.result }
}

const kB = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} kB`

/** The whole check, printed; exits non-zero on the first failure. */
async function main () {
  const args = process.argv.slice(2)
  const mode = args.includes('--install') ? args[args.indexOf('--install') + 1] : 'link'
  if (mode !== 'npm' && mode !== 'link') throw new Error('--install must be npm or link')
  const work = mkdtempSync(join(tmpdir(), 'fatora-mock-package-'))
  const fail = (/** @type {string} */ message) => {
    console.log(`package-check: FAILED: ${message}\n(the scratch files are kept in ${work})`)
    process.exit(1)
  }
  const packed = await pack(work, { ignoreScripts: mode === 'link', env: mode === 'npm' ? process.env : cleanEnv() })
  console.log(`package: ${packed.tarball.slice(work.length + 1)}, ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked, ${packed.files.length} files`)
  const unwanted = packed.files.map((f) => f.path).filter((p) => p.endsWith('.map') || p.endsWith('.tsbuildinfo') || p.startsWith('dist/bundle/') || p.startsWith('src/'))
  if (unwanted.length > 0) fail(`the package holds ${unwanted.join(', ')}`)
  const dir = join(work, 'consumer')
  scratchProject(dir)
  if (mode === 'npm') {
    const installed = await npmInstall(dir, packed.tarball)
    if (installed.code !== 0) fail(`npm install exited ${installed.code}:\n${installed.stdout}${installed.stderr}`)
    const size = execFileSync('du', ['-sh', join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]
    console.log(`install: npm install <tarball> @types/node, empty npm cache: ${(installed.ms / 1000).toFixed(1)} s; node_modules ${size}`)
    const biggest = execFileSync('sh', ['-c', 'du -sk node_modules/* node_modules/@*/* | sort -rn | head -n 8'], { cwd: dir, encoding: 'utf8' })
      .trim().split('\n').map((line) => line.split('\t')).filter(([, path = '']) => !/^node_modules\/@[^/]+$/.test(path))
      .map(([kb = '0', path = '']) => `${path.slice('node_modules/'.length)} ${(Number(kb) / 1024).toFixed(1)} MB`)
    console.log(`  largest: ${biggest.slice(0, 5).join(', ')}`)
    // Dependencies of dependencies are resolved afresh here (a tarball brings no lockfile): name
    // any that declare a Node this one is not (test/package-engines.test.ts knows two).
    const engines = [...installed.stderr.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map((m) => m[1])
    if (engines.length > 0) console.log(`  npm warned EBADENGINE for ${engines.join(', ')}`)
  } else {
    linkInstall(dir, packed.tarball)
    console.log('install: extracted, dependencies linked from this repository (offline)')
  }
  for (const r of await runConsumers(dir)) {
    if (r.code !== 0) fail(`${r.name} exited ${r.code}:\n${r.stdout}${r.stderr}`)
    console.log(`${r.name}: ok (${(r.ms / 1000).toFixed(1)} s)`)
  }
  const bin = await checkBin(dir)
  if (bin.version.stdout.trim() !== REPO_PACKAGE.version) fail(`fatora-mock --version printed ${JSON.stringify(bin.version.stdout)}`)
  const client = JSON.stringify(bin.body)
  if (client !== '{"status":"SUCCESS","client":{"id":1024,"name":"Client Name","address":"Client Address","phone":"Client Phone","email":"client@example.com","note":"Additional notes","notes":"Additional notes"}}') fail(`fatora-mock serve answered ${client}`)
  if (bin.exit.code !== 0) fail(`fatora-mock serve exited ${bin.exit.code} on SIGTERM: ${bin.exit.stderr}`)
  console.log(`node_modules/.bin/fatora-mock: --version ${bin.version.stdout.trim()}; serve answered GET /v1/clients/1024 and exited 0 on SIGTERM`)
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
