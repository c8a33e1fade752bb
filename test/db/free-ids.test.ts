// Free ids (CONTRACT §2): the lookup and the insert are two statements, so a second process on the
// same file (the CLI beside a running server) can take the id in between. Two real connections
// to one SQLite file play both processes.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createFreeIds, insertWithFreeId, type FreeIds } from '../../src/db/free-ids.js'

function twoConnections (t: Test): { ours: Database.Database, theirs: Database.Database } {
  const file = join(t.testdir({}), 'race.db')
  const ours = new Database(file)
  ours.pragma('journal_mode = WAL')
  ours.exec("CREATE TABLE clients (id INTEGER PRIMARY KEY, who TEXT NOT NULL); INSERT INTO clients VALUES (1, 'fixture'), (2, 'fixture')")
  const theirs = new Database(file)
  t.teardown(() => { ours.close(); theirs.close() })
  return { ours, theirs }
}

t.test('an id taken by another process between lookup and insert: the next free one', async (t) => {
  const { ours, theirs } = twoConnections(t)
  const lookup = createFreeIds(ours, 'clients')
  const insert = ours.prepare<[number, string], { id: number, who: string }>('INSERT INTO clients (id, who) VALUES (?, ?) RETURNING id, who')
  let lookups = 0
  // The other process inserts right after each of our first two lookups.
  const racing: FreeIds = (count) => {
    const id = lookup(count)
    if (lookups++ < 2 && id !== undefined) theirs.prepare("INSERT INTO clients (id, who) VALUES (?, 'the CLI')").run(id)
    return id
  }
  const row = insertWithFreeId(undefined, racing, (id) => insert.get(id, 'the server') as { id: number, who: string }, () => new Error('exhausted'))
  t.same(row, { id: 5, who: 'the server' }, 'ours is stored after the two the other process took')
  t.same(ours.prepare('SELECT id, who FROM clients ORDER BY id').all(), [
    { id: 1, who: 'fixture' }, { id: 2, who: 'fixture' }, { id: 3, who: 'the CLI' }, { id: 4, who: 'the CLI' }, { id: 5, who: 'the server' },
  ], 'nothing lost, nothing doubled')
})

t.test('what is not retried', async (t) => {
  const { ours } = twoConnections(t)
  const lookup = createFreeIds(ours, 'clients')
  const insert = ours.prepare<[number, string]>('INSERT INTO clients (id, who) VALUES (?, ?)')
  const cases: Array<[string, () => unknown, { code?: string, message: string }]> = [
    ['an id the caller chose, taken: its conflict, as it is', () => insertWithFreeId(2, lookup, (id) => insert.run(id, 'x'), () => new Error('exhausted')),
      { code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: clients.id' }],
    ['no free id at all: the caller\'s error', () => insertWithFreeId(undefined, () => undefined, (id) => insert.run(id, 'x'), () => new Error('No client id is free')),
      { message: 'No client id is free' }],
    ['another failure: thrown at once', () => insertWithFreeId(undefined, lookup, () => { ours.prepare('INSERT INTO clients (id, who) VALUES (99, NULL)').run() }, () => new Error('exhausted')),
      { code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: clients.who' }],
    ['a conflict every time: given up after five lookups', () => insertWithFreeId(undefined, () => 1, (id) => insert.run(id, 'x'), () => new Error('exhausted')),
      { code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: clients.id' }],
  ]
  for (const [name, run, error] of cases) t.throws(run, error, name)
  t.equal((ours.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n, 2, 'nothing was written')
})
