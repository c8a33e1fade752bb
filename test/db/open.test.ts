// openDatabase (CONTRACT §3): the schema, creation through a temp file, and
// never touching a file that is not ours.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { openDatabase } from '../../src/db/open.js'
import { createStores } from '../../src/db/stores.js'
import { loadFixtures } from '../../src/seed/fixtures.js'
import { seedFixtures } from '../../src/seed/seed.js'

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')
const seed = (db: Database.Database): void => { seedFixtures(createStores(db), loadFixtures()) }

t.test('a missing file is created, seeded, in WAL mode, with the contract schema', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/sub/dir/mock.db`
  const { db, created } = openDatabase(path, { onCreate: seed })
  t.teardown(() => db.close())
  t.equal(created, true)
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.equal(db.pragma('application_id', { simple: true }), 0x46544d4b)
  t.equal(db.pragma('foreign_keys', { simple: true }), 1)
  const columns = (table: string): string[] => (db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name)
  t.same(columns('merchants'), ['id', 'name', 'created_at'])
  t.same(columns('api_keys'), ['key', 'merchant_id', 'status', 'created_at'])
  t.same(columns('clients'), ['id', 'merchant_id', 'name', 'address', 'phone', 'email', 'notes', 'created_at', 'updated_at'])
  t.same(columns('products'), ['id', 'merchant_id', 'name', 'price_milli', 'sku', 'image', 'description', 'language', 'currency', 'status', 'category',
    'is_public', 'is_limited', 'is_cashier', 'max_count', 'max_order', 'created_at', 'updated_at'])
  const indexes = (db.pragma('index_list(clients)') as Array<{ name: string }>).map((i) => i.name)
  t.ok(indexes.includes('clients_merchant_id_id'))
  t.ok(indexes.includes('clients_merchant_email'))
  t.same(db.prepare('SELECT COUNT(*) AS n FROM clients').get(), { n: 83 }, '2 + 40 demo, 1 + 40 second merchant')
  t.same(db.prepare('SELECT COUNT(*) AS n FROM merchants').get(), { n: 2 })
  t.same(db.prepare("SELECT key FROM api_keys WHERE status = 'inactive'").all(), [{ key: '0B1C7E52-6A3D-4F9E-8C21-7D5A4E3F2B10' }])
  t.same(readdirSync(`${dir}/sub/dir`).filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind')
})

t.test('the schema enforces the contract: foreign keys, NOT NULL, status values', async (t) => {
  const { db } = openDatabase(':memory:', { onCreate: seed })
  t.teardown(() => db.close())
  const cases: Array<[string, string]> = [
    ["INSERT INTO api_keys (key, merchant_id, status) VALUES ('k', 1, 'paused')", 'SQLITE_CONSTRAINT_CHECK'],
    ["INSERT INTO api_keys (key, merchant_id) VALUES ('k', 99)", 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    ['INSERT INTO clients (merchant_id, name) VALUES (99, \'x\')', 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    ['INSERT INTO clients (merchant_id) VALUES (1)', 'SQLITE_CONSTRAINT_NOTNULL'],
    ["INSERT INTO api_keys (key, merchant_id) VALUES ('E4B73FEE-F492-4607-A38D-852B0EBC91C9', 1)", 'SQLITE_CONSTRAINT_PRIMARYKEY'],
  ]
  for (const [sql, code] of cases) t.throws(() => db.exec(sql), { code }, sql)
})

t.test('identical data on every run: two fresh databases hold the same rows', async (t) => {
  const a = openDatabase(':memory:', { onCreate: seed }).db
  const b = openDatabase(':memory:', { onCreate: seed }).db
  t.teardown(() => { a.close(); b.close() })
  const dump = (db: Database.Database): string => JSON.stringify(db.prepare('SELECT * FROM clients ORDER BY id').all())
  t.equal(dump(a), dump(b))
})

t.test('an existing database is used as it is: no re-seed, no rewrite', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/mock.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec("UPDATE clients SET name = 'Changed' WHERE id = 1024; DELETE FROM clients WHERE id = 1")
  first.db.close()
  let seeded = false
  const second = openDatabase(path, { onCreate: () => { seeded = true } })
  t.teardown(() => second.db.close())
  t.equal(second.created, false)
  t.equal(seeded, false)
  t.same(second.db.prepare('SELECT name FROM clients WHERE id = 1024').get(), { name: 'Changed' })
  t.equal(second.db.prepare('SELECT id FROM clients WHERE id = 1').get(), undefined)
})

t.test('a file that is not ours stops with one line naming it, and is left intact', async (t) => {
  const dir = t.testdir({ 'text.db': 'hello, not a database\n', 'empty.db': '', 'folder.db': {} })
  const foreign = `${dir}/foreign.db`
  const other = new Database(foreign)
  other.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'mine\')')
  other.close()
  const newer = `${dir}/newer.db`
  openDatabase(newer).db.close()
  const n = new Database(newer)
  n.pragma('user_version = 99')
  n.close()
  const hollow = `${dir}/hollow.db`
  openDatabase(hollow).db.close()
  const h = new Database(hollow)
  h.exec('ALTER TABLE clients RENAME TO clients_old')
  h.close()
  const cases: Array<[string, RegExp]> = [
    [hollow, /^.*hollow\.db is a fatora-mock database with missing tables; refusing to change it/],
    [`${dir}/text.db`, /^.*text\.db is not a SQLite database; refusing to use or overwrite it/],
    [`${dir}/empty.db`, /^.*empty\.db is not a SQLite database/],
    [`${dir}/folder.db`, /^.*folder\.db is not a regular file/],
    [foreign, /^.*foreign\.db is a SQLite database but not a fatora-mock one; refusing to use or change it/],
    [newer, /^.*newer\.db has schema version 99, newer than this fatora-mock supports \(7\)/],
  ]
  for (const [path, message] of cases) {
    const isDir = path.endsWith('folder.db')
    const before = isDir ? '' : sha(path)
    t.throws(() => openDatabase(path, { onCreate: seed }), { name: 'DatabaseFileError', message }, path)
    if (!isDir) t.equal(sha(path), before, `${path} unchanged`)
  }
  t.same(new Database(foreign, { readonly: true }).prepare('SELECT * FROM notes').all(), [{ body: 'mine' }])
})

t.test('a crash while seeding leaves no file behind, so the next start seeds again', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/mock.db`
  t.throws(() => openDatabase(path, { onCreate: () => { throw new Error('boom') } }), { name: 'DatabaseFileError', message: /cannot be created: boom/ })
  t.same(readdirSync(dir), [], 'neither the database nor its temp file exists')
  const { db, created } = openDatabase(path, { onCreate: seed })
  t.teardown(() => db.close())
  t.equal(created, true)
})

t.test('a path in an unwritable place names the file', async (t) => {
  const dir = t.testdir({ blocker: 'a file where a directory should be' })
  t.throws(() => openDatabase(`${dir}/blocker/mock.db`), { name: 'DatabaseFileError', message: /blocker\/mock\.db cannot be created/ })
})

// What migration 7 added (the kept searches' nonces and their triggers), taken away again.
const UNDO_V7 = `DROP TRIGGER clients_search_insert; DROP TRIGGER clients_search_delete; DROP TRIGGER clients_search_update;
  DROP TRIGGER invoices_search_insert; DROP TRIGGER invoices_search_delete; DROP TRIGGER invoices_search_update; DROP TABLE search_state;`

// What migration 6 added (invoices, CONTRACT §7), taken away again.
const UNDO_V6 = `${UNDO_V7} DROP TABLE invoice_items; DROP TABLE invoices;`

// What migration 5 added (refunds and saved cards, CONTRACT §6.5–6.6), taken away again.
const UNDO_V5 = `${UNDO_V6} DROP TABLE card_tokens; DROP INDEX payments_refund_transaction;
  ALTER TABLE payments DROP COLUMN card_expiry; ALTER TABLE payments DROP COLUMN refund_status;
  ALTER TABLE payments DROP COLUMN refund_date; ALTER TABLE payments DROP COLUMN refund_transaction_id;`

t.test('a database of schema version 1 is migrated (additively, and said so), its rows kept', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v1.db`
  const first = openDatabase(path, { onCreate: seed })
  // Make it a version-1 file: drop what migrations 2, 3 and 4 added.
  first.db.exec(`${UNDO_V6} DROP INDEX clients_merchant_email; DROP TABLE card_tokens; DROP TABLE payment_webhooks; DROP TABLE payments; DROP TABLE products`)
  first.db.pragma('user_version = 1')
  const rows = first.db.prepare('SELECT COUNT(*) AS n FROM clients').get()
  first.db.close()
  const notices: string[] = []
  const { db, created } = openDatabase(path, { log: (m) => notices.push(m) })
  t.teardown(() => db.close())
  t.equal(created, false)
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.ok((db.pragma('index_list(clients)') as Array<{ name: string }>).some((i) => i.name === 'clients_merchant_email'))
  t.same(db.prepare('SELECT COUNT(*) AS n FROM clients').get(), rows)
  t.same(notices, [`migrated ${path} from schema version 1 to 7`])
})

t.test('a database of the previous release (schema 2) gains the payments tables, its rows kept', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v2.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec(`${UNDO_V6} DROP TABLE card_tokens; DROP TABLE payment_webhooks; DROP TABLE payments; DROP TABLE products`)
  first.db.pragma('user_version = 2')
  const rows = first.db.prepare('SELECT (SELECT COUNT(*) FROM clients) AS clients, (SELECT COUNT(*) FROM api_keys) AS keys').get()
  first.db.close()
  const notices: string[] = []
  const { db } = openDatabase(path, { log: (m) => notices.push(m) })
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.same(db.prepare('SELECT COUNT(*) AS n FROM payments').get(), { n: 0 }, 'payments start empty: an existing file is never re-seeded')
  t.same(db.prepare('SELECT (SELECT COUNT(*) FROM clients) AS clients, (SELECT COUNT(*) FROM api_keys) AS keys').get(), rows)
  t.same(notices, [`migrated ${path} from schema version 2 to 7`])
})

t.test('a database of schema 3 gains the products table (CONTRACT §7), its rows kept', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v3.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec(`${UNDO_V5} DROP TABLE products;`)
  first.db.pragma('user_version = 3')
  const rows = first.db.prepare('SELECT (SELECT COUNT(*) FROM clients) AS clients, (SELECT COUNT(*) FROM payments) AS payments').get()
  first.db.close()
  const notices: string[] = []
  const { db } = openDatabase(path, { log: (m) => notices.push(m) })
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.same(db.prepare('SELECT COUNT(*) AS n FROM products').get(), { n: 0 }, 'products start empty: an existing file is never re-seeded')
  t.same(db.prepare('SELECT (SELECT COUNT(*) FROM clients) AS clients, (SELECT COUNT(*) FROM payments) AS payments').get(), rows)
  t.same(notices, [`migrated ${path} from schema version 3 to 7`])
})

t.test('a database of schema 4 gains refunds and saved cards (CONTRACT §6.5–6.6), its payments kept', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v4.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec(UNDO_V5)
  first.db.pragma('user_version = 4')
  const payments = first.db.prepare('SELECT payment_id, transaction_id, status FROM payments ORDER BY id').all()
  first.db.close()
  const notices: string[] = []
  const { db } = openDatabase(path, { log: (m) => notices.push(m) })
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.same(db.prepare('SELECT COUNT(*) AS n FROM card_tokens').get(), { n: 0 }, 'no tokens: an existing file is never re-seeded')
  t.same(db.prepare('SELECT payment_id, transaction_id, status FROM payments ORDER BY id').all(), payments)
  t.same(db.prepare('SELECT DISTINCT refund_status, refund_date, refund_transaction_id, card_expiry FROM payments').all(),
    [{ refund_status: null, refund_date: null, refund_transaction_id: null, card_expiry: null }])
  t.same(notices, [`migrated ${path} from schema version 4 to 7`])
})

t.test('schema 4 to 5: the card tokens payments had saved become card_tokens, six months from payment_date (CONTRACT §6.6)', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v4-tokens.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec(UNDO_V5)
  const insert = first.db.prepare(`INSERT INTO payments (payment_id, merchant_id, order_id, amount_milli, currency, client_name, client_email, language,
    save_token, status, stage, transaction_id, payment_date, card_type, last_4_digits, card_funding, card_token, expires_at)
    VALUES (?, ?, ?, 1000, 'QAR', 'Saver', 'saver@example.com', 'en', 1, ?, 'done', ?, ?, 'MASTERCARD', '4444', 'credit', ?, '2027-01-01T00:00:00.000Z')`)
  insert.run('V4SAVED000000000000001', 1, 'v4-a', 'SUCCESS', '700000000001', '2027-08-31T10:00:00Z', 'a+b/c\\d|e')
  insert.run('V4SAVED000000000000002', 2, 'v4-b', 'SUCCESS', '700000000002', '2027-03-15T08:30:00Z', 'f+g/h\\i|j')
  insert.run('V4SAVED000000000000003', 1, 'v4-c', 'FAILURE', '700000000003', '2027-03-15T08:30:00Z', 'never-issued')
  first.db.pragma('user_version = 4')
  first.db.close()
  const { db } = openDatabase(path)
  t.teardown(() => db.close())
  t.same(db.prepare('SELECT card_token, merchant_id, client_name, client_email, currency, card_type, last_4_digits, card_expiry, charge_outcome, payment_id, status, created_at, expires_at FROM card_tokens ORDER BY id').all(), [
    { card_token: 'a+b/c\\d|e', merchant_id: 1, client_name: 'Saver', client_email: 'saver@example.com', currency: 'QAR', card_type: 'MASTERCARD', last_4_digits: '4444', card_expiry: null, charge_outcome: 'approved', payment_id: 'V4SAVED000000000000001', status: 'active', created_at: '2027-08-31T10:00:00.000Z', expires_at: '2028-02-29T10:00:00.000Z' },
    { card_token: 'f+g/h\\i|j', merchant_id: 2, client_name: 'Saver', client_email: 'saver@example.com', currency: 'QAR', card_type: 'MASTERCARD', last_4_digits: '4444', card_expiry: null, charge_outcome: 'approved', payment_id: 'V4SAVED000000000000002', status: 'active', created_at: '2027-03-15T08:30:00.000Z', expires_at: '2027-09-15T08:30:00.000Z' },
  ], 'the two successful payments\' tokens, not the failed one\'s; the end of February for 31 August')
})

t.test('a database of schema 5 gains the invoices tables (CONTRACT §7), its rows kept', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v5.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec(UNDO_V6)
  first.db.pragma('user_version = 5')
  const rows = first.db.prepare('SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM card_tokens) AS tokens').get()
  first.db.close()
  const notices: string[] = []
  const { db } = openDatabase(path, { log: (m) => notices.push(m) })
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.same(db.prepare('SELECT (SELECT COUNT(*) FROM invoices) AS invoices, (SELECT COUNT(*) FROM invoice_items) AS items').get(), { invoices: 0, items: 0 }, 'invoices start empty: an existing file is never re-seeded')
  t.same(db.prepare('SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM card_tokens) AS tokens').get(), rows)
  t.same(notices, [`migrated ${path} from schema version 5 to 7`])
})

t.test('a database of schema 6 gains the search nonces and their triggers, its rows kept and searchable', async (t) => {
  const dir = t.testdir({})
  const path = `${dir}/v6.db`
  const first = openDatabase(path, { onCreate: seed })
  first.db.exec(UNDO_V7)
  first.db.pragma('user_version = 6')
  first.db.close()
  const notices: string[] = []
  const { db } = openDatabase(path, { log: (m) => notices.push(m) })
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), 7)
  t.same(db.prepare('SELECT family FROM search_state ORDER BY family').pluck().all(), ['clients', 'invoices'])
  t.same(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all(), [
    'clients_search_delete', 'clients_search_insert', 'clients_search_update', 'invoices_search_delete', 'invoices_search_insert', 'invoices_search_update',
  ])
  const nonce = db.prepare("SELECT nonce FROM search_state WHERE family = 'clients'").pluck().safeIntegers()
  const before = nonce.get()
  db.prepare("UPDATE clients SET name = 'Renamed' WHERE id = 1024").run()
  t.not(nonce.get(), before, 'a change of a searched column moves the nonce')
  const stores = createStores(db)
  t.equal(stores.clients.list({ merchantId: 1, keyword: 'RENAMED', limit: 20, offset: 0 }).total, 1)
  t.same(notices, [`migrated ${path} from schema version 6 to 7`])
})
