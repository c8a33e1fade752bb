// The client rules (CONTRACT §2), shared by /v1, /__admin and seeding: note/notes, duplicates,
// tenancy-scoped reads and writes. No HTTP here: refusals are domain errors (http/errors.ts maps
// them). Writes go through the app's one write queue.
import type { WriteQueue } from '../../db/write-queue.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../domain-errors.js'
import { clientMessages as messages } from './messages.js'
import type { ClientFields, ClientRow, ClientsStore, ListQuery } from './store.js'

/** A client as sent by a caller: absent optional fields, and `note` as an alias of `notes`. */
export interface ClientInput {
  name: string
  address?: string | null | undefined
  phone?: string | null | undefined
  email?: string | null | undefined
  notes?: string | null | undefined
  note?: string | null | undefined
}

// Built once: thrown on every miss, so a 404 costs no stack capture.
const clientNotFound = new NotFoundError(messages.clientNotFound)

/**
 * CONTRACT §2 Decision: `note` is an alias of `notes`; two different strings are an error. null
 * means "not sent" (docs/decisions.md), so {"notes":"VIP","note":null} is VIP (NOTE_ALIAS_RULE).
 */
export function assertNotesAgree (input: Pick<ClientInput, 'note' | 'notes'>): void {
  if (input.note != null && input.notes != null && input.note !== input.notes) throw new InvalidInputError(messages.noteMismatch)
}

/** A body as stored: absent optional fields are null; `note` is an alias of `notes`. */
export function toFields (input: ClientInput): ClientFields {
  assertNotesAgree(input)
  return {
    name: input.name,
    address: input.address ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    notes: input.notes ?? input.note ?? null,
  }
}

/**
 * CONTRACT §4 Decision: a duplicate is another client of the merchant with the same e-mail
 * (case-insensitive) or, when this one has no e-mail, the same name and phone.
 */
function assertNoDuplicate (clients: ClientsStore, merchantId: number, f: ClientFields, exceptId?: number): void {
  if (f.email !== null) {
    if (clients.findByEmail(merchantId, f.email, exceptId) !== undefined) throw new ConflictError(messages.duplicateEmail)
  } else if (clients.findByNameAndPhone(merchantId, f.name, f.phone, exceptId) !== undefined) {
    throw new ConflictError(messages.duplicateNamePhone)
  }
}

export interface ClientsService {
  /** The merchant's client; NotFoundError for a missing one and for another merchant's alike. */
  get: (merchantId: number, id: number) => ClientRow
  list: (query: ListQuery) => { rows: ClientRow[], total: number }
  create: (merchantId: number, input: ClientInput) => Promise<ClientRow>
  /** Replaces every field: optional fields left out become null. */
  update: (merchantId: number, id: number, input: ClientInput) => Promise<ClientRow>
  remove: (merchantId: number, id: number) => Promise<void>
  /**
   * /__admin: one specific client, no duplicate rules; a chosen id that is taken is a conflict.
   * Synchronous: the caller runs it inside its own write-queue turn (with the merchant lookup).
   */
  add: (merchantId: number, input: ClientInput & { id?: number | undefined }) => ClientRow
}

export function createClientsService ({ clients, write }: { clients: ClientsStore, write: WriteQueue }): ClientsService {
  return {
    get (merchantId, id) {
      const row = clients.findForMerchant(merchantId, id)
      if (row === undefined) throw clientNotFound
      return row
    },
    list: (query) => clients.list(query),
    async create (merchantId, input) {
      const fields = toFields(input)
      return await write(() => {
        assertNoDuplicate(clients, merchantId, fields)
        return clients.create({ merchantId, ...fields })
      })
    },
    async update (merchantId, id, input) {
      const fields = toFields(input)
      const row = await write(() => {
        if (clients.findForMerchant(merchantId, id) === undefined) throw clientNotFound
        assertNoDuplicate(clients, merchantId, fields, id)
        return clients.update(merchantId, id, fields)
      })
      if (row === undefined) throw clientNotFound
      return row
    },
    async remove (merchantId, id) {
      const removed = await write(() => clients.remove(merchantId, id))
      if (!removed) throw clientNotFound
    },
    add (merchantId, input) {
      const fields = toFields(input)
      if (input.id !== undefined && clients.exists(input.id)) throw new ConflictError(messages.idTaken(input.id))
      return clients.create({ id: input.id, merchantId, ...fields })
    },
  }
}
