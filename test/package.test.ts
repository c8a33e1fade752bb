// The package as a user installs it: `npm pack` of the built dist/, installed offline into a
// scratch project (scripts/package-check.mjs: the tarball extracted into node_modules, its
// dependencies linked from this repository's), then used from ESM, CommonJS and TypeScript
// ("module": "nodenext", typechecked against the shipped declarations) and through its bin.
// .ci/run does the same with a real `npm install` from the registry.
import t from 'tap'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { CLIENT_1024, DEMO_KEY } from './helper.js'
import { spawnAsUser } from './support/child.js'
// @ts-expect-error: a plain-JS script without declarations
import * as packageCheck from '../scripts/package-check.mjs'

interface Run { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number }
interface Packed { tarball: string, files: Array<{ path: string, size: number }>, size: number, unpackedSize: number }
const check = packageCheck as {
  setSpawner: (spawner: typeof spawnAsUser) => void
  pack: (dest: string) => Promise<Packed>
  scratchProject: (dir: string) => void
  linkInstall: (dir: string, tarball: string) => void
  runConsumers: (dir: string) => Promise<Array<{ name: string } & Run>>
  checkBin: (dir: string) => Promise<{ version: Run, body: unknown, exit: Run }>
  start: (command: string, args: readonly string[], options: { cwd: string, env: NodeJS.ProcessEnv, limitMs?: number }) => { child: { kill: (signal: NodeJS.Signals) => boolean }, result: Promise<Run> }
  cleanEnv: (vars?: Record<string, string>) => NodeJS.ProcessEnv
  freePort: () => Promise<number>
  waitFor: (url: string, ms: number) => Promise<void>
}
check.setSpawner(spawnAsUser)

t.setTimeout(120_000)

const work = mkdtempSync(join(tmpdir(), 'fatora-mock-package-test-'))
t.teardown(() => { rmSync(work, { recursive: true, force: true }) })
const packed = await check.pack(work)
const project = join(work, 'consumer')
check.scratchProject(project)
check.linkInstall(project, packed.tarball)
const installed = join(project, 'node_modules', 'fatora-mock')

t.test('the tarball: the built library, its declarations, the bin, fixtures and docs; no build info, source maps, bundle or sources', async (t) => {
  t.comment(`${packed.files.length} files, ${(packed.size / 1000).toFixed(1)} kB packed, ${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked`)
  const paths = packed.files.map((f) => f.path)
  for (const path of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'dist/server.js', 'dist/http/parent-watch.js', 'fixtures/default.json', 'docs/use-from-your-project.md']) {
    t.ok(paths.includes(path), `ships ${path}`)
  }
  t.same(paths.filter((p) => /\.map$|\.tsbuildinfo$|^dist\/bundle\/|^src\/|^test\/|^examples\//.test(p)), [], 'nothing that points at sources it does not ship, nor build leftovers')
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])
  const mapped = files(join(installed, 'dist')).filter((f) => readFileSync(f, 'utf8').includes('sourceMappingURL'))
  t.same(mapped.map((f) => relative(installed, f)), [], 'no file names a source map')
  // ~290 kB of code, docs and fixtures, plus ~130 kB of kept faker pools (clients/pools-data.ts).
  t.ok(packed.size < 500_000, `the tarball stays small (${packed.size} bytes)`)
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { type: string, exports: unknown, bin: unknown, engines: unknown }
  t.same([manifest.type, manifest.exports, manifest.bin, manifest.engines], [
    'module',
    { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    { 'fatora-mock': 'dist/cli.js' },
    { node: '>=20.19' },
  ])
})

t.test('a scratch project uses it from ESM, CommonJS (require), and TypeScript nodenext (ESM and CommonJS), with no warning', async (t) => {
  const runs = await check.runConsumers(project)
  t.same(runs.map((r) => [r.name, r.code, r.stdout, r.stderr]), [
    ['start-mock.mjs', 0, 'start-mock.mjs: ok\n', ''],
    ['start-mock.cjs', 0, 'start-mock.cjs: ok\n', ''],
    ['tsc (nodenext)', 0, '', ''],
    ['out/start-mock.js', 0, 'start-mock.ts: ok\n', ''],
    ['out/start-mock.cjs', 0, 'start-mock.cts: ok\n', ''],
  ], 'each started the mock, got client 1024 whole and closed it')
  for (const r of runs) t.comment(`${r.name}: ${r.ms} ms`)
})

t.test('node_modules/.bin/fatora-mock: --version, then serve on a port with --db, a request, and exit 0 on SIGTERM', async (t) => {
  const bin = await check.checkBin(project)
  t.same([bin.version.code, bin.version.stdout, bin.version.stderr], [0, '0.1.0\n', ''])
  t.same(bin.body, { status: 'SUCCESS', client: CLIENT_1024 })
  t.same([bin.exit.code, bin.exit.signal], [0, null], `exit on SIGTERM; stderr: ${bin.exit.stderr}`)
  t.ok(existsSync(join(project, 'bin-check.db')), 'the database is the file --db named')
})

t.test('serve without --db or DB_PATH creates ./data/fatora-mock.db in the working directory', async (t) => {
  const dir = join(work, 'cwd-default')
  check.scratchProject(dir)
  check.linkInstall(dir, packed.tarball)
  t.notOk(existsSync(join(dir, 'data')))
  const port = await check.freePort()
  const server = check.start(join(dir, 'node_modules', '.bin', 'fatora-mock'), ['serve', '--port', String(port)], { cwd: dir, env: check.cleanEnv(), limitMs: 60_000 })
  try {
    await check.waitFor(`http://127.0.0.1:${port}/health`, 30_000)
    const res = await fetch(`http://127.0.0.1:${port}/v1/clients/1024`, { headers: { api_key: DEMO_KEY } })
    t.same(await res.json(), { status: 'SUCCESS', client: CLIENT_1024 })
  } finally {
    server.child.kill('SIGTERM')
  }
  t.equal((await server.result).code, 0)
  t.ok(statSync(join(dir, 'data', 'fatora-mock.db')).size > 0, './data/fatora-mock.db was created and seeded')
})
