// The clients table (CONTRACT §2); merchant_id is the tenancy of every row.
import { NOW, searchTriggers } from '../../db/ddl.js'

/**
 * What says whether a kept search result is still right (db/search-counts.ts): search_state holds
 * one nonce per family, which these triggers change at every insert, delete and change of a
 * searched column, whoever writes (sqlite3 too). Bulk seeds drop the triggers and create them again
 * with a new nonce once done (`drop`, then `create`): while they are missing nothing kept is used.
 */
export const SEARCH_TRIGGERS = searchTriggers('clients', 'clients', ['id', 'merchant_id', 'name', 'email', 'phone', 'address'])

export const clientsMigrations: Readonly<Record<number, string>> = {
  1: `
  CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    address     TEXT,
    phone       TEXT,
    email       TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL DEFAULT ${NOW},
    updated_at  TEXT NOT NULL DEFAULT ${NOW}
  );
  CREATE INDEX clients_merchant_id_id ON clients (merchant_id, id);
  `,
  // Exact, case-insensitive e-mail lookups (GET /v1/clients?email=, duplicate checks) by index.
  2: `
  CREATE INDEX clients_merchant_email ON clients (merchant_id, email COLLATE NOCASE);
  `,
  // Keyword searches and totals kept in memory and checked against the database (db/search-counts.ts):
  // one nonce per family (invoices add theirs), changed by triggers.
  7: `
  CREATE TABLE search_state (
    family TEXT PRIMARY KEY,
    nonce  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO search_state (family, nonce) VALUES ('clients', random());
  ${SEARCH_TRIGGERS.create}`,
}

/** Version 2's index, by itself: bulk seeds drop it and build it again once (see store.ts). */
export const EMAIL_INDEX = {
  drop: 'DROP INDEX IF EXISTS clients_merchant_email',
  create: 'CREATE INDEX IF NOT EXISTS clients_merchant_email ON clients (merchant_id, email COLLATE NOCASE)',
}
