// Where the package's own files (package.json, fixtures/) are, wherever this code runs from:
// src/ under tsx, dist/ after tsc, or dist/bundle/ after esbuild (one directory deeper).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('fatora-mock: cannot find the package directory (package.json and fixtures/)')
    dir = up
  }
}

export const PACKAGE_ROOT = findRoot()

/** The package's version, from its package.json. */
export function packageVersion (): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
}
