// The invoices tables (CONTRACT §7). Amounts are integer thousandths (`*_milli`): exact, as
// payments' and products' (CONTRACT §6.1). merchant_id is the tenancy of every invoice; an item's
// product_id references products, so a product an invoice uses cannot be deleted (a 409, CONTRACT
// §7 Decision). The check runs at the end of each statement: deleting a merchant removes its
// invoices and products together.
import { NOW, searchTriggers } from '../../db/ddl.js'

/**
 * The invoices' nonce in search_state (clients' migrations create the table; db/search-counts.ts):
 * these triggers change it at every insert, delete and change of a searched column. Bulk seeds
 * drop them and create them again with a new nonce once done.
 */
export const SEARCH_TRIGGERS = searchTriggers('invoices', 'invoices', ['id', 'merchant_id', 'number', 'title', 'description', 'client_name', 'client_email'])

export const invoicesMigrations: Readonly<Record<number, string>> = {
  6: `
  CREATE TABLE invoices (
    id                       INTEGER PRIMARY KEY,
    merchant_id              INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    number                   TEXT NOT NULL,
    type                     TEXT NOT NULL,
    title                    TEXT,
    description              TEXT,
    amount_milli             INTEGER NOT NULL,
    currency                 TEXT NOT NULL,
    status                   TEXT NOT NULL,
    date                     TEXT NOT NULL,
    due_date                 TEXT,
    terms_conditions         TEXT,
    note                     TEXT,
    client_name              TEXT,
    client_email             TEXT,
    client_phone             TEXT,
    client_address           TEXT,
    payments_json            TEXT NOT NULL DEFAULT '[]',
    tax_milli                INTEGER,
    discount_milli           INTEGER,
    discount_type            TEXT,
    language                 TEXT NOT NULL,
    accepted_payment_methods TEXT NOT NULL DEFAULT '[]',
    created_at               TEXT NOT NULL DEFAULT ${NOW},
    updated_at               TEXT NOT NULL DEFAULT ${NOW}
  );
  CREATE INDEX invoices_merchant_id_id ON invoices (merchant_id, id);
  CREATE INDEX invoices_merchant_date ON invoices (merchant_id, date, id);
  CREATE TABLE invoice_items (
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    product_id   INTEGER REFERENCES products (id),
    description  TEXT,
    qty_milli    INTEGER NOT NULL,
    amount_milli INTEGER NOT NULL,
    type         TEXT,
    PRIMARY KEY (invoice_id, position)
  ) WITHOUT ROWID;
  CREATE INDEX invoice_items_product ON invoice_items (product_id) WHERE product_id IS NOT NULL;
  `,
  // Keyword searches and totals kept in memory (db/search-counts.ts), as clients'.
  7: `
  INSERT INTO search_state (family, nonce) VALUES ('invoices', random());
  ${SEARCH_TRIGGERS.create}`,
}

/**
 * Version 6's secondary indexes, by themselves: bulk seeds drop them and build them again once
 * (see store.ts); the CREATE statements are version 6's.
 */
export const BULK_INDEXES = {
  drop: 'DROP INDEX IF EXISTS invoices_merchant_date; DROP INDEX IF EXISTS invoice_items_product',
  create: `CREATE INDEX IF NOT EXISTS invoices_merchant_date ON invoices (merchant_id, date, id);
    CREATE INDEX IF NOT EXISTS invoice_items_product ON invoice_items (product_id) WHERE product_id IS NOT NULL`,
}
