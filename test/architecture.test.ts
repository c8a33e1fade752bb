// The layout's rules (docs/development.md, src/modules/README.md), checked on the real import
// graph (esbuild's, with type-only imports erased): no import cycles in src/ — the registry is
// read when modules load, so a cycle through it fails at start, not at type-check — and each
// heavy or dangerous dependency imported by its one home only.
import { buildSync, type Metafile } from 'esbuild'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { ROOT } from './support/child.js'

const SRC = join(ROOT, 'src')

function importGraph (): Metafile {
  const entryPoints = ['server.ts', 'cli.ts', 'index.ts'].map((f) => join(SRC, f))
  return buildSync({ entryPoints, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', outdir: join(ROOT, 'dist', 'graph'), splitting: true, logLevel: 'silent' }).metafile
}

const rel = (file: string): string => relative(ROOT, join(ROOT, file)).replace(/\\/g, '/')

t.test('src/ has no import cycles', async (t) => {
  const meta = importGraph()
  const graph = new Map<string, string[]>()
  for (const [file, info] of Object.entries(meta.inputs)) {
    if (!rel(file).startsWith('src/')) continue
    graph.set(rel(file), info.imports.filter((i) => i.kind === 'import-statement' && rel(i.path).startsWith('src/')).map((i) => rel(i.path)))
  }
  t.ok(graph.size > 50, `the graph holds the sources (${graph.size} files)`)
  // Tarjan's strongly connected components: any component of two or more files is a cycle.
  let index = 0
  const stack: string[] = []
  const onStack = new Set<string>()
  const order = new Map<string, number>()
  const low = new Map<string, number>()
  const cycles: string[][] = []
  const visit = (v: string): void => {
    order.set(v, index); low.set(v, index); index++
    stack.push(v); onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) { visit(w); low.set(v, Math.min(low.get(v) as number, low.get(w) as number)) } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, order.get(w) as number))
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = []
      let w: string
      do { w = stack.pop() as string; onStack.delete(w); component.push(w) } while (w !== v)
      if (component.length > 1) cycles.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!order.has(v)) visit(v)
  t.same(cycles, [], 'no cycles')
})

t.test('each dependency has one home', async (t) => {
  const meta = importGraph()
  const importers = (pkg: RegExp): string[] => Object.entries(meta.inputs)
    .filter(([file, info]) => rel(file).startsWith('src/') && info.imports.some((i) => i.external === true && pkg.test(i.path)))
    .map(([file]) => rel(file)).sort()
  t.same(importers(/^better-sqlite3$/), ['src/db/open.ts'], 'only db/open.ts opens SQLite (stores get a Db)')
  t.ok(importers(/^@faker-js\//).every((f) => /^src\/modules\/[^/]+\/fake\.ts$/.test(f)), 'only modules/<name>/fake.ts import faker')
  t.ok(importers(/^fastify$/).every((f) => f === 'src/app.ts' || f.startsWith('src/http/')), 'only app.ts and http/ import fastify itself')
})

t.test('only config.ts reads process.env (cli.ts hands it to loadConfig)', async (t) => {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [])
  const readers = files(SRC).filter((f) => /process\.env/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f)).sort()
  t.same(readers, ['src/cli.ts', 'src/config.ts'])
  t.match(readFileSync(join(SRC, 'cli.ts'), 'utf8'), /loadConfig\([^)]*process\.env/, 'cli.ts only passes it to loadConfig')
})
