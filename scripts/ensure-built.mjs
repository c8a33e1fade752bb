// Compiles src/ to dist/ (and bundles dist/bundle/) when dist/ is missing or older than the
// sources, so a newcomer's `npm install && npm start` just works. Plain JS: it runs before any build.
// Also the package's `prepare` script (`--prepare`): npm runs it after `npm install` in a clone,
// when it installs the package from a git URL or a directory, and before `npm pack`; there, no
// src/ (the Docker image's dependency step, which copies the sources later) means nothing to build.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const stamp = join(root, 'dist', '.tsbuildinfo')

/**
 * The newest modification time (ms) of the files under `dir`.
 * @param {string} dir
 * @returns {number}
 */
function newest (dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

/** The server entry to run: the esbuild bundle when there is one, else tsc's output. */
export const serverEntry = () => existsSync(bundled) ? bundled : join(root, 'dist', 'server.js')
const bundled = join(root, 'dist', 'bundle', 'server.mjs')

// The bundle, from the same sources; skipped (tsc's dist/ runs instead) when esbuild is absent.
// The old bundle goes first, so a failed bundling can never leave stale code to run.
async function bundle () {
  rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true })
  let bundleSync
  try {
    ({ bundleSync } = await import('./bundle.mjs'))
  } catch {
    return
  }
  try {
    bundleSync()
  } catch (err) {
    process.stderr.write(`fatora-mock: bundling failed (${/** @type {Error} */ (err).message.split('\n')[0]}); running dist/ instead\n`)
  }
}

/**
 * Removes what tsc left in dist/ for sources that are gone (a renamed or deleted file) and the
 * source maps of earlier builds: tsc never deletes, and npm pack ships all of dist/.
 * @param {string} dir
 */
function pruneStale (dir = join(root, 'dist')) {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (p === bundleDir) continue
      pruneStale(p)
      if (readdirSync(p).length === 0) rmSync(p, { recursive: true })
      continue
    }
    const output = /^(.*)(\.js|\.d\.ts)$/.exec(p.slice(join(root, 'dist').length + 1))
    if (entry.name.endsWith('.map') || (output !== null && !existsSync(join(root, 'src', output[1] + '.ts')))) rmSync(p)
  }
}
const bundleDir = join(root, 'dist', 'bundle')

/**
 * Builds dist/ (and the bundle) if needed; exits the process with one line when it cannot.
 * @param {{ prepare?: boolean }} [options] prepare: run as npm's `prepare` script
 */
export async function ensureBuilt ({ prepare = false } = {}) {
  const output = existsSync(join(root, 'dist', 'server.js'))
  // An installed package ships dist/ without src/, TypeScript or the build info: use what was shipped.
  if (!existsSync(join(root, 'src'))) {
    if (output || prepare) return
    process.stderr.write('fatora-mock: dist/ and src/ are both missing; reinstall the package\n')
    process.exit(1)
  }
  pruneStale()
  const built = output && existsSync(stamp)
  const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'tsconfig.build.json')).mtimeMs)
  if (built && statSync(stamp).mtimeMs >= sources) {
    // The bundle also holds the dependencies and is made by bundle.mjs: newer ones rebuild it.
    const inputs = Math.max(sources, ...[join(root, 'package-lock.json'), join(root, 'node_modules', '.package-lock.json'), join(root, 'scripts', 'bundle.mjs')]
      .filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs))
    if (!existsSync(bundled) || statSync(bundled).mtimeMs < inputs) await bundle()
    return
  }
  let tsc
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  } catch {
    if (built) return
    process.stderr.write('fatora-mock: dist/ is missing and TypeScript is not installed; run `npm install` first\n')
    process.exit(1)
  }
  process.stderr.write(built ? 'fatora-mock: sources changed, rebuilding dist/…\n' : prepare ? 'fatora-mock: building dist/…\n' : 'fatora-mock: first start, building dist/…\n')
  const startedAt = new Date()
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
  } catch (err) {
    // tsc still writes its output and build info on type errors: without the stamp, the next
    // start tries again (and fails the same way) instead of running that output.
    rmSync(stamp, { force: true })
    process.stderr.write(`fatora-mock: the TypeScript build failed (exit ${/** @type {{ status?: number | null }} */ (err).status ?? 1}); fix the errors above, or run \`npm run typecheck\`\n`)
    process.exit(1)
  }
  // tsc leaves its build info alone when nothing changed (a source touched, a checkout): dated
  // here, a touched file is not rebuilt on every start. The build's start, not its end, so a
  // file saved during the build is seen as newer next time.
  utimesSync(stamp, startedAt, startedAt)
  await bundle()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureBuilt({ prepare: process.argv.includes('--prepare') })
