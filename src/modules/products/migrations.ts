// The products table (CONTRACT §7). Prices are integer thousandths (`price_milli`): exact, no
// binary floating point between the request and the answer (as payments' amounts, CONTRACT §6.1).
// merchant_id is the tenancy of every row.
import { NOW } from '../../db/ddl.js'

export const productsMigrations: Readonly<Record<number, string>> = {
  4: `
  CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    price_milli INTEGER NOT NULL,
    sku         TEXT,
    image       TEXT,
    description TEXT,
    language    TEXT NOT NULL,
    currency    TEXT NOT NULL,
    status      TEXT NOT NULL,
    category    TEXT,
    is_public   INTEGER NOT NULL,
    is_limited  INTEGER NOT NULL,
    is_cashier  INTEGER NOT NULL,
    max_count   INTEGER,
    max_order   INTEGER,
    created_at  TEXT NOT NULL DEFAULT ${NOW},
    updated_at  TEXT NOT NULL DEFAULT ${NOW}
  );
  CREATE INDEX products_merchant_id_id ON products (merchant_id, id);
  -- CONTRACT §7 Decision: a sku is unique within a merchant (case-sensitive); the index is the last word.
  CREATE UNIQUE INDEX products_merchant_sku ON products (merchant_id, sku) WHERE sku IS NOT NULL;
  `,
}
