// `npm start` runs the compiled server: compile first when dist/ is missing or older than src/,
// so a newcomer's `npm install && npm start` just works. Plain JS: it runs before any build.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const root = new URL('..', import.meta.url).pathname
const stamp = join(root, 'dist', '.tsbuildinfo')

function newest (dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const built = existsSync(join(root, 'dist', 'server.js')) && existsSync(stamp)
const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'tsconfig.build.json')).mtimeMs)
if (built && statSync(stamp).mtimeMs >= sources) process.exit(0)

let tsc
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
} catch {
  if (built) process.exit(0) // production install without TypeScript: use what was shipped
  process.stderr.write('fatora-mock: dist/ is missing and TypeScript is not installed; run `npm install` then `npm start`\n')
  process.exit(1)
}
process.stderr.write(built ? 'fatora-mock: sources changed, rebuilding dist/…\n' : 'fatora-mock: first start, building dist/…\n')
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
} catch (err) {
  process.stderr.write(`fatora-mock: the TypeScript build failed (exit ${err.status ?? 1}); fix the errors above, or run \`npm run typecheck\`\n`)
  process.exit(1)
}
