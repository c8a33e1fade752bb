// Merchants and their API keys: the tenancy root every other family hangs off (merchant_id).
import { NOW } from '../../db/ddl.js'

export const merchantsMigrations: Readonly<Record<number, string>> = {
  1: `
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
  CREATE INDEX api_keys_merchant_id ON api_keys (merchant_id);`,
}
