// The payments tables (CONTRACT §6). Amounts are integer thousandths (`amount_milli`): exact,
// no binary floating point between the request and the answer. merchant_id is the tenancy of
// every row.
import { NOW } from '../../db/ddl.js'

export const paymentsMigrations: Readonly<Record<number, string>> = {
  3: `
  CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    payment_id     TEXT NOT NULL UNIQUE,
    merchant_id    INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    type           TEXT NOT NULL DEFAULT 'checkout',
    order_id       TEXT NOT NULL,
    amount_milli   INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    client_name    TEXT NOT NULL,
    client_email   TEXT,
    client_phone   TEXT,
    language       TEXT NOT NULL,
    success_url    TEXT,
    failure_url    TEXT,
    fcm_token      TEXT,
    save_token     INTEGER NOT NULL DEFAULT 0,
    note           TEXT,
    status         TEXT NOT NULL DEFAULT 'PENDING',
    stage          TEXT NOT NULL DEFAULT 'card',
    transaction_id TEXT UNIQUE,
    response_code  TEXT,
    description    TEXT,
    payment_date   TEXT,
    auth_code      TEXT,
    card_type      TEXT,
    last_4_digits  TEXT,
    card_funding   TEXT,
    card_token     TEXT,
    returned_at    TEXT,
    created_at     TEXT NOT NULL DEFAULT ${NOW},
    expires_at     TEXT NOT NULL
  );
  CREATE INDEX payments_merchant_order ON payments (merchant_id, order_id, id);
  CREATE INDEX payments_pending_expiry ON payments (expires_at) WHERE status = 'PENDING';
  CREATE TABLE payment_webhooks (
    merchant_id INTEGER PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
    url         TEXT NOT NULL
  );
  `,
  // Refunds (CONTRACT §6.5) and saved cards (§6.6). card_expiry is the month the card entered on
  // the page expires (YYYY-MM): a token issued after its 3-D Secure step needs it. A token's card
  // is kept as what it does when charged (charge_outcome), never as its number.
  5: `
  ALTER TABLE payments ADD COLUMN card_expiry TEXT;
  ALTER TABLE payments ADD COLUMN refund_status TEXT;
  ALTER TABLE payments ADD COLUMN refund_date TEXT;
  ALTER TABLE payments ADD COLUMN refund_transaction_id TEXT;
  CREATE UNIQUE INDEX payments_refund_transaction ON payments (refund_transaction_id) WHERE refund_transaction_id IS NOT NULL;
  CREATE TABLE card_tokens (
    id             INTEGER PRIMARY KEY,
    card_token     TEXT NOT NULL UNIQUE,
    merchant_id    INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    client_name    TEXT NOT NULL,
    client_email   TEXT,
    client_phone   TEXT,
    currency       TEXT NOT NULL,
    card_type      TEXT NOT NULL,
    last_4_digits  TEXT NOT NULL,
    card_expiry    TEXT,
    charge_outcome TEXT NOT NULL,
    payment_id     TEXT,
    status         TEXT NOT NULL DEFAULT 'active',
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    deactivated_at TEXT,
    last_used_at   TEXT
  );
  CREATE INDEX card_tokens_merchant ON card_tokens (merchant_id, id);
  -- The tokens payments saved before this version (CONTRACT §6.6): charged and deactivated from
  -- now on. Their card's expiry was not kept, so six months from payment_date (a day the month
  -- lacks becomes its last day, as for new tokens).
  INSERT OR IGNORE INTO card_tokens (card_token, merchant_id, client_name, client_email, client_phone, currency, card_type,
    last_4_digits, card_expiry, charge_outcome, payment_id, created_at, expires_at)
  SELECT card_token, merchant_id, client_name, client_email, client_phone, currency, coalesce(card_type, 'VISA'),
    coalesce(last_4_digits, '0000'), NULL, 'approved', payment_id, strftime('%Y-%m-%dT%H:%M:%fZ', payment_date),
    CASE WHEN strftime('%d', payment_date, '+6 months') = strftime('%d', payment_date)
      THEN strftime('%Y-%m-%dT%H:%M:%fZ', payment_date, '+6 months')
      ELSE strftime('%Y-%m-%d', payment_date, 'start of month', '+7 months', '-1 day') || strftime('T%H:%M:%fZ', payment_date)
    END
  FROM payments WHERE card_token IS NOT NULL AND status = 'SUCCESS' AND payment_date IS NOT NULL ORDER BY id;
  `,
}
