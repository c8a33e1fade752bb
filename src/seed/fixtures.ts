// Loads and validates a fixtures file. A bad fixture stops everything with one message naming
// the file and the field (e.g. "fixtures/default.json: /merchants/0/clients/1/id must be integer").
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Value } from 'typebox/value'
import { PACKAGE_ROOT } from '../package-root.js'
import { FixturesSchema, type Fixtures } from '../schemas/fixtures.js'

/** The fixtures directory a fresh database is filled from (CONTRACT §3); FIXTURES_DIR overrides it. */
export const DEFAULT_FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures')
export const DEFAULT_FIXTURES_PATH = join(DEFAULT_FIXTURES_DIR, 'default.json')

export class FixtureError extends Error {
  override name = 'FixtureError'
}

/** Checks what a schema cannot: ids and keys unique across merchants, fake id ranges disjoint. */
function checkReferences (f: Fixtures): string | undefined {
  const merchantIds = new Set<number>()
  const keys = new Set<string>()
  const ranges: Array<{ from: number, to: number, where: string }> = []
  for (const [mi, m] of f.merchants.entries()) {
    if (merchantIds.has(m.id)) return `/merchants/${mi}/id ${m.id} is used twice`
    merchantIds.add(m.id)
    for (const [ki, k] of m.api_keys.entries()) {
      if (keys.has(k.key)) return `/merchants/${mi}/api_keys/${ki}/key is used twice`
      keys.add(k.key)
    }
    for (const [ci, c] of m.clients.entries()) ranges.push({ from: c.id, to: c.id, where: `/merchants/${mi}/clients/${ci}/id` })
    const fake = m.fake_clients
    if (fake !== undefined && fake.count > 0) {
      ranges.push({ from: fake.first_id, to: fake.first_id + fake.count - 1, where: `/merchants/${mi}/fake_clients` })
    }
  }
  ranges.sort((a, b) => a.from - b.from)
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]
    const cur = ranges[i]
    if (prev !== undefined && cur !== undefined && cur.from <= prev.to) return `${cur.where} overlaps client ids of ${prev.where}`
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
  const problem = checkReferences(data)
  if (problem !== undefined) throw new FixtureError(`${source}: ${problem}`)
  return data
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
  const problem = checkReferences({ reference_date: '', merchants: all.flatMap((f) => f.merchants) })
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
