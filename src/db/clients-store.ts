// Clients: tenancy lives inside the SQL — merchant_id is in every WHERE, so another merchant's
// client is indistinguishable from a missing one (CONTRACT §1).
import type { Db } from './open.js'

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

export interface ClientsStore {
  /** The merchant's client with this id, or undefined (missing and foreign look the same). */
  findForMerchant: (merchantId: number, id: number) => ClientRow | undefined
  insert: (client: ClientRecord) => void
  /** Inserts with the next free id (max + 1) when `id` is undefined; returns the stored row. */
  create: (client: Omit<ClientRecord, 'id' | 'createdAt' | 'updatedAt'> & { id?: number | undefined, createdAt?: string }) => ClientRow
  exists: (id: number) => boolean
  /** The largest client id in use (0 when there are none): new fake clients start after it. */
  maxId: () => number
}

export function createClientsStore (db: Db): ClientsStore {
  const find = db.prepare<[number, number], ClientRow>(
    'SELECT id, name, address, phone, email, notes FROM clients WHERE id = ? AND merchant_id = ?')
  const insert = db.prepare<[number, number, string, string | null, string | null, string | null, string | null, string, string]>(
    `INSERT INTO clients (id, merchant_id, name, address, phone, email, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const create = db.prepare<[number | null, number, string, string | null, string | null, string | null, string | null, string, string], ClientRow>(
    `INSERT INTO clients (id, merchant_id, name, address, phone, email, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, name, address, phone, email, notes`)
  const exists = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM clients WHERE id = ?')
  const maxId = db.prepare<[], { max: number | null }>('SELECT max(id) AS max FROM clients')
  return {
    findForMerchant: (merchantId, id) => find.get(id, merchantId),
    insert (c) { insert.run(c.id, c.merchantId, c.name, c.address, c.phone, c.email, c.notes, c.createdAt, c.updatedAt) },
    create (c) {
      const at = c.createdAt ?? new Date().toISOString()
      return create.get(c.id ?? null, c.merchantId, c.name, c.address, c.phone, c.email, c.notes, at, at) as ClientRow
    },
    exists: (id) => exists.get(id) !== undefined,
    maxId: () => maxId.get()?.max ?? 0,
  }
}
