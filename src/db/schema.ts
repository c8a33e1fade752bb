// DDL and migrations. The table and column names are part of the contract (users open the file
// with sqlite3): never rename them. PRAGMA user_version counts the migrations applied.

/** PRAGMA application_id of every fatora-mock database ("FTMK"), so we never adopt a stranger's file. */
export const APPLICATION_ID = 0x46544d4b

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

/** Migration n (1-based) takes the schema from user_version n−1 to n. Append only. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE merchants (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT ${NOW}
  );
  CREATE TABLE api_keys (
    key         TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at  TEXT NOT NULL DEFAULT ${NOW}
  );
  CREATE INDEX api_keys_merchant_id ON api_keys (merchant_id);
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
  // 2: exact, case-insensitive e-mail lookups (GET /v1/clients?email=, duplicate checks) by index.
  `
  CREATE INDEX clients_merchant_email ON clients (merchant_id, email COLLATE NOCASE);
  `,
]

/** Migration 2's index, by itself: bulk seeds drop it and build it again once (see clients-store). */
export const EMAIL_INDEX = {
  drop: 'DROP INDEX IF EXISTS clients_merchant_email',
  create: 'CREATE INDEX IF NOT EXISTS clients_merchant_email ON clients (merchant_id, email COLLATE NOCASE)',
}

export const SCHEMA_VERSION = MIGRATIONS.length
