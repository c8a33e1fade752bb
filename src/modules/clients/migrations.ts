// The clients table (CONTRACT §2); merchant_id is the tenancy of every row.
import { NOW } from '../../db/ddl.js'

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
}

/** Version 2's index, by itself: bulk seeds drop it and build it again once (see store.ts). */
export const EMAIL_INDEX = {
  drop: 'DROP INDEX IF EXISTS clients_merchant_email',
  create: 'CREATE INDEX IF NOT EXISTS clients_merchant_email ON clients (merchant_id, email COLLATE NOCASE)',
}
