// Loads and validates a fixtures file. A bad fixture stops everything with one message naming
// the file and the field (e.g. "fixtures/default.json: /merchants/0/clients/1/id must be integer").
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Value } from 'typebox/value'
import { FixtureError } from '../domain-errors.js'
import { PACKAGE_ROOT } from '../package-root.js'
import { modules } from '../modules.js'
import type { FixtureMerchant } from '../modules/module.js'
import { FixturesSchema, type Fixtures } from './fixtures-schema.js'

/** The fixtures directory a fresh database is filled from (CONTRACT §3); FIXTURES_DIR overrides it. */
export const DEFAULT_FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures')
export const DEFAULT_FIXTURES_PATH = join(DEFAULT_FIXTURES_DIR, 'default.json')

/** Checks what a schema cannot, module by module: ids and keys unique across merchants, fake id ranges disjoint. */
function checkReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  for (const m of modules) {
    const problem = m.fixtures?.checkReferences?.(merchants)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Validates parsed JSON as fixtures; `source` names the file in error messages. */
export function parseFixtures (data: unknown, source: string): Fixtures {
  if (!Value.Check(FixturesSchema, data)) {
    const errors = [...Value.Errors(FixturesSchema, data)]
    // The most specific error (deepest path) is the most useful one to show.
    const first = errors.sort((a, b) => b.instancePath.length - a.instancePath.length)[0]
    throw new FixtureError(`${source}: ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`)
  }
  const problem = checkReferences((data as Fixtures).merchants)
  if (problem !== undefined) throw new FixtureError(`${source}: ${problem}`)
  return data as unknown as Fixtures
}

/**
 * Loads every *.json file of a fixtures directory, in name order, and checks that ids and keys
 * stay unique across the files too.
 */
export function loadFixturesDir (dir: string = DEFAULT_FIXTURES_DIR): Fixtures[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
  } catch (err) {
    throw new FixtureError(`${dir}: cannot be read as a fixtures directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (names.length === 0) throw new FixtureError(`${dir}: no *.json fixtures file in this directory`)
  const all = names.map((n) => loadFixtures(join(dir, n)))
  const problem = checkReferences(all.flatMap((f) => f.merchants))
  if (problem !== undefined) throw new FixtureError(`${dir}: across its files, ${problem.replace(/^\/merchants\/\d+/, 'a merchant')}`)
  return all
}

/** Reads, parses and validates a fixtures file. */
export function loadFixtures (path: string = DEFAULT_FIXTURES_PATH): Fixtures {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new FixtureError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    // One line: for short input Node's message quotes the text, newlines included.
    throw new FixtureError(`${path}: not valid JSON (${(err as Error).message.replace(/\s+/g, ' ')})`)
  }
  return parseFixtures(data, path)
}
