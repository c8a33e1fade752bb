// Clients: tenancy lives inside the SQL — merchant_id is in every WHERE, so another merchant's
// client is indistinguishable from a missing one (CONTRACT §1).
import type { Db } from '../../db/open.js'
import { createFreeIds, insertWithFreeId } from '../../db/free-ids.js'
import { containsPattern, likeContainsFolded, likeFold } from '../../db/like.js'
import type { Freshness } from '../../db/read-cache.js'
import { createSearchCounts, pageOf } from '../../db/search-counts.js'
import { ConflictError } from '../../domain-errors.js'
import { clientMessages as messages } from './messages.js'
import { EMAIL_INDEX, SEARCH_TRIGGERS } from './migrations.js'

export interface ClientRecord {
  id: number
  merchantId: number
  name: string
  address: string | null
  phone: string | null
  email: string | null
  notes: string | null
  createdAt: string
  updatedAt: string
}

export type ClientRow = Pick<ClientRecord, 'id' | 'name' | 'address' | 'phone' | 'email' | 'notes'>
export type ClientFields = Omit<ClientRow, 'id'>

export interface ListQuery {
  merchantId: number
  /** Case-insensitive substring of name, email, phone or address. */
  keyword?: string | undefined
  /** Exact e-mail, case-insensitive. */
  email?: string | undefined
  limit: number
  offset: number
}

export interface ClientsStore {
  /** The merchant's client with this id, or undefined (missing and foreign look the same). */
  findForMerchant: (merchantId: number, id: number) => ClientRow | undefined
  insert: (client: ClientRecord) => void
  /** Inserts every row in one transaction (a seed's batch): kept search results move once for all. */
  insertMany: (clients: readonly ClientRecord[]) => void
  /** Inserts with the next free id (freeIds(1)) when `id` is undefined; returns the stored row. */
  create: (client: Omit<ClientRecord, 'id' | 'createdAt' | 'updatedAt'> & { id?: number | undefined, createdAt?: string }) => ClientRow
  /** Replaces the fields of the merchant's client; undefined when it has no such client. */
  update: (merchantId: number, id: number, fields: ClientFields) => ClientRow | undefined
  /** Deletes the merchant's client; false when it has no such client. */
  remove: (merchantId: number, id: number) => boolean
  /**
   * One page of the merchant's clients, by id, and how many match in all. Without an e-mail
   * filter the result is kept and follows writes (db/search-counts.ts): a repeated search costs
   * a page, not a pass over the merchant.
   */
  list: (query: ListQuery) => { rows: ClientRow[], total: number }
  /** The id of another client of the merchant with this e-mail (case-insensitive). */
  findByEmail: (merchantId: number, email: string, exceptId?: number) => number | undefined
  /** The id of another client of the merchant with this name and phone. */
  findByNameAndPhone: (merchantId: number, name: string, phone: string | null, exceptId?: number) => number | undefined
  exists: (id: number) => boolean
  /**
   * Runs a bulk insert without the e-mail index and builds it once afterwards: random e-mails
   * inserted one by one into the index cost 3× the whole seed (1,000,000 clients: 30 s → 9 s).
   * The search triggers are off meanwhile too (kept search results are not used while they are
   * missing) and come back with a new nonce. Should the process die halfway, the next bulk seed
   * builds the index again, and the next start or bulk seed brings the triggers back.
   */
  withoutBulkIndexes: <T>(fn: () => T) => T
  /**
   * The first of `count` consecutive free client ids, never past 2^53 − 1: after the largest id
   * in use, else the lowest free run (db/free-ids.ts); undefined when none is long enough.
   */
  freeIds: (count: number) => number | undefined
}

declare module '../../db/stores.js' {
  interface ModuleStores {
    clients: ClientsStore
  }
}

const COLUMNS = 'id, name, address, phone, email, notes'

type Searched = Pick<ClientRow, 'name' | 'email' | 'phone' | 'address'>

/** The searched columns as LIKE compares them (db/like.ts): folded once per write, whatever the number of kept filters. */
const foldRow = (row: Searched | undefined): Searched | undefined => row === undefined
  ? undefined
  : { name: likeFold(row.name), email: foldOrNull(row.email), phone: foldOrNull(row.phone), address: foldOrNull(row.address) }
const foldOrNull = (value: string | null): string | null => value === null ? null : likeFold(value)

/** The keyword test in JavaScript on a folded row, exactly keywordSql's (db/like.ts); null: every client. */
const matchesKeyword = (row: Searched, folded: string | null): boolean => folded === null ||
  likeContainsFolded(row.name, folded) || likeContainsFolded(row.email, folded) || likeContainsFolded(row.phone, folded) || likeContainsFolded(row.address, folded)

export function createClientsStore (db: Db, freshness: Freshness): ClientsStore {
  // merchant id → client id → row, or null for none (read-cache.ts: cleared by any write).
  const cache = freshness.cache<number, Map<number, ClientRow | null>>()
  const find = db.prepare<[number, number], ClientRow>(`SELECT ${COLUMNS} FROM clients WHERE id = ? AND merchant_id = ?`)
  const insert = db.prepare<[number, number, string, string | null, string | null, string | null, string | null, string, string]>(
    `INSERT INTO clients (id, merchant_id, name, address, phone, email, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const create = db.prepare<[number, number, string, string | null, string | null, string | null, string | null, string, string], ClientRow>(
    `INSERT INTO clients (id, merchant_id, name, address, phone, email, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`)
  const update = db.prepare<[string, string | null, string | null, string | null, string | null, string, number, number], ClientRow>(
    `UPDATE clients SET name = ?, address = ?, phone = ?, email = ?, notes = ?, updated_at = ?
     WHERE id = ? AND merchant_id = ? RETURNING ${COLUMNS}`)
  const remove = db.prepare<[number, number]>('DELETE FROM clients WHERE id = ? AND merchant_id = ?')
  const byEmail = db.prepare<[number, string, number], { id: number }>(
    'SELECT id FROM clients WHERE merchant_id = ? AND email = ? COLLATE NOCASE AND id <> ? LIMIT 1')
  const byNamePhone = db.prepare<[number, string, string | null, number], { id: number }>(
    'SELECT id FROM clients WHERE merchant_id = ? AND name = ? AND phone IS ? AND id <> ? LIMIT 1')
  const exists = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM clients WHERE id = ?')
  const freeIds = createFreeIds(db, 'clients')
  const insertRow = (c: ClientRecord): void => { insert.run(c.id, c.merchantId, c.name, c.address, c.phone, c.email, c.notes, c.createdAt, c.updatedAt) }

  // One statement set per filter combination, prepared once. The keyword is a substring match
  // (LIKE is case-insensitive for ASCII) over the merchant's rows: linear, never quadratic; the
  // e-mail filter uses the (merchant_id, email COLLATE NOCASE) index.
  const keywordSql = "(name LIKE @kw ESCAPE '\\' OR email LIKE @kw ESCAPE '\\' OR phone LIKE @kw ESCAPE '\\' OR address LIKE @kw ESCAPE '\\')"
  interface Variant { page: ReturnType<Db['prepare']>, count: ReturnType<Db['prepare']>, ids: ReturnType<Db['prepare']> }
  const variants = new Map<string, Variant>()
  for (const withEmail of [false, true]) {
    for (const withKeyword of [false, true]) {
      const where = ['merchant_id = @merchantId', ...(withEmail ? ['email = @email COLLATE NOCASE'] : []), ...(withKeyword ? [keywordSql] : [])].join(' AND ')
      variants.set(`${withEmail ? 'e' : ''}${withKeyword ? 'k' : ''}`, {
        page: db.prepare(`SELECT ${COLUMNS} FROM clients WHERE ${where} ORDER BY id LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT COUNT(*) AS n FROM clients WHERE ${where}`),
        ids: db.prepare(`SELECT id FROM clients WHERE ${where} ORDER BY id LIMIT @limit`).pluck(),
      })
    }
  }
  // A page of kept ids (at most 100, the largest page_size), in their order.
  const byIds = db.prepare<[number, string], ClientRow>(`SELECT ${COLUMNS} FROM clients WHERE merchant_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id`)

  // Kept search results (db/search-counts.ts). The nonce counts only while the triggers that change
  // it are all there (a bulk seed elsewhere may have dropped them): else undefined, and searches scan.
  const searches = createSearchCounts<Searched, string | null>((key) => key === null ? null : likeFold(key), matchesKeyword)
  const triggers = SEARCH_TRIGGERS.names.map((n) => `'${n}'`).join(', ')
  const searchNonce = db.prepare<[], bigint>(`SELECT nonce FROM search_state WHERE family = 'clients'
    AND (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (${triggers})) = ${SEARCH_TRIGGERS.names.length}`).pluck().safeIntegers()
  const writeNonce = db.prepare<[], bigint>("SELECT nonce FROM search_state WHERE family = 'clients'").pluck().safeIntegers()
  const restoreTriggers = (): void => { db.transaction(() => { db.exec(SEARCH_TRIGGERS.create) })() }
  // A bulk seed that died halfway left the triggers dropped: bring them back (an instant, with a
  // new nonce). Read-only or busy: searches scan until the next start or bulk seed.
  if (!db.readonly && searchNonce.get() === undefined) {
    try { restoreTriggers() } catch {}
  }
  /** Runs a write of one row, moving the kept results from the row before to the row after. */
  function tracked<T> (merchantId: number, id: number, before: () => Searched | undefined, write: () => T, after: (result: T) => Searched | undefined): T {
    if (searches.empty) return write()
    const old = before()
    const from = writeNonce.get()
    const result = write()
    searches.changed(merchantId, id, foldRow(old), foldRow(after(result)), from, writeNonce.get())
    return result
  }

  return {
    findForMerchant (merchantId, id) {
      freshness.check()
      let rows = cache.get(merchantId)
      if (rows === undefined) {
        rows = new Map()
        cache.set(merchantId, rows)
      }
      const cached = rows.get(id)
      if (cached !== undefined) return cached ?? undefined
      const row = find.get(id, merchantId)
      // Bounded per merchant as well: a scan over every id must not grow memory.
      if (rows.size >= 10_000) rows.clear()
      rows.set(id, row ?? null)
      return row
    },
    insert (c) {
      tracked(c.merchantId, c.id, () => undefined, () => insertRow(c), () => c)
      freshness.changed()
    },
    insertMany (rows) {
      // One transaction, so the nonce moves only by these rows' triggers between the two reads:
      // the kept results move by the batch instead of being dropped (a seed over HTTP).
      db.transaction(() => {
        if (searches.empty) {
          for (const c of rows) insertRow(c)
          return
        }
        const from = writeNonce.get()
        for (const c of rows) insertRow(c)
        searches.changedMany(rows.map((c) => ({ merchantId: c.merchantId, id: c.id, before: undefined, after: foldRow(c) })), from, writeNonce.get())
      })()
      freshness.changed()
    },
    create (c) {
      const at = c.createdAt ?? new Date().toISOString()
      const row = insertWithFreeId(c.id, freeIds, (id) => tracked(c.merchantId, id, () => undefined,
        () => create.get(id, c.merchantId, c.name, c.address, c.phone, c.email, c.notes, at, at) as ClientRow, (r) => r), () => new ConflictError(messages.idsExhausted(1)))
      freshness.changed()
      return row
    },
    update (merchantId, id, f) {
      const row = tracked(merchantId, id, () => find.get(id, merchantId), () => update.get(f.name, f.address, f.phone, f.email, f.notes, new Date().toISOString(), id, merchantId), (r) => r)
      freshness.changed()
      return row
    },
    remove (merchantId, id) {
      const removed = tracked(merchantId, id, () => find.get(id, merchantId), () => remove.run(id, merchantId).changes > 0, () => undefined)
      freshness.changed()
      return removed
    },
    list (q) {
      const key = `${q.email !== undefined ? 'e' : ''}${q.keyword !== undefined ? 'k' : ''}`
      const v = variants.get(key) as Variant
      const params = {
        merchantId: q.merchantId,
        ...(q.email !== undefined ? { email: q.email } : {}),
        ...(q.keyword !== undefined ? { kw: containsPattern(q.keyword) } : {}),
      }
      const page = (): ClientRow[] => v.page.all({ ...params, limit: q.limit, offset: q.offset }) as ClientRow[]
      // Kept results: the merchant's clients and keyword searches (an e-mail filter is an index
      // lookup already). Not inside a transaction (what it wrote may still roll back), nor for a
      // keyword with a NUL (LIKE stops at it; the API refuses those).
      const nonce = q.email !== undefined || q.keyword?.includes('\0') === true || db.inTransaction ? undefined : searchNonce.get()
      return pageOf(searches, { merchantId: q.merchantId, filter: q.keyword ?? null, limit: q.limit, offset: q.offset }, nonce, {
        page,
        count: () => (v.count.get(params) as { n: number }).n,
        ids: (limit) => v.ids.all({ ...params, limit }) as number[],
        byIds: (ids) => byIds.all(q.merchantId, JSON.stringify(ids)),
      })
    },
    findByEmail: (merchantId, email, exceptId = 0) => byEmail.get(merchantId, email, exceptId)?.id,
    findByNameAndPhone: (merchantId, name, phone, exceptId = 0) => byNamePhone.get(merchantId, name, phone, exceptId)?.id,
    exists: (id) => exists.get(id) !== undefined,
    withoutBulkIndexes (fn) {
      db.exec(EMAIL_INDEX.drop)
      db.exec(SEARCH_TRIGGERS.drop)
      searches.clear()
      try {
        return fn()
      } finally {
        // A bigger page cache for this sort saves little time for much more RSS: not taken.
        db.exec(EMAIL_INDEX.create)
        restoreTriggers()
      }
    },
    freeIds,
  }
}
