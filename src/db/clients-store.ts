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
}

export function createClientsStore (db: Db): ClientsStore {
  const find = db.prepare<[number, number], ClientRow>(
    'SELECT id, name, address, phone, email, notes FROM clients WHERE id = ? AND merchant_id = ?')
  const insert = db.prepare<[number, number, string, string | null, string | null, string | null, string | null, string, string]>(
    `INSERT INTO clients (id, merchant_id, name, address, phone, email, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  return {
    findForMerchant: (merchantId, id) => find.get(id, merchantId),
    insert (c) { insert.run(c.id, c.merchantId, c.name, c.address, c.phone, c.email, c.notes, c.createdAt, c.updatedAt) },
  }
}
