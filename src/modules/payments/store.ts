// Payments: all their SQL. Tenancy lives inside the SQL — merchant_id is in every /v1 WHERE, so
// another merchant's payment is indistinguishable from a missing one (CONTRACT §6.1).
import type { Db } from '../../db/open.js'
import type { Freshness } from '../../db/read-cache.js'
import type { PaymentStatus } from './schema.js'

export type Stage = 'card' | '3ds' | 'done'

export interface PaymentRow {
  id: number
  paymentId: string
  merchantId: number
  type: 'checkout' | 'collect-payment'
  orderId: string
  amountMilli: number
  currency: string
  clientName: string
  clientEmail: string | null
  clientPhone: string | null
  language: 'en' | 'ar'
  successUrl: string | null
  failureUrl: string | null
  fcmToken: string | null
  saveToken: boolean
  note: string | null
  status: PaymentStatus
  stage: Stage
  transactionId: string | null
  responseCode: string | null
  description: string | null
  paymentDate: string | null
  authCode: string | null
  cardType: string | null
  last4Digits: string | null
  /** 'credit' or 'debit', once a card was entered. */
  cardFunding: string | null
  cardToken: string | null
  /** The month the card entered expires, YYYY-MM (a token's expiry needs it). */
  cardExpiry: string | null
  /** CONTRACT §6.5: completed or pending, as the refund answered; null: not refunded. */
  refundStatus: RefundStatus | null
  refundDate: string | null
  refundTransactionId: string | null
  /** When the browser was sent back to the merchant (the interstitial forwards only once). */
  returnedAt: string | null
  createdAt: string
  expiresAt: string
}

export type RefundStatus = 'completed' | 'pending'

export type NewPayment = Omit<PaymentRow, 'id' | 'status' | 'stage' | 'transactionId' | 'responseCode' | 'description' | 'paymentDate' | 'authCode' | 'cardType' | 'last4Digits' | 'cardFunding' | 'cardToken' | 'cardExpiry' | 'refundStatus' | 'refundDate' | 'refundTransactionId' | 'returnedAt'>

/** What finishing a payment writes. */
export interface Finish {
  status: Exclude<PaymentStatus, 'PENDING'>
  transactionId: string
  responseCode: string
  description: string
  paymentDate: string
  authCode: string | null
  cardType: string | null
  last4Digits: string | null
  cardFunding: string | null
  cardToken: string | null
  cardExpiry: string | null
}

/** A refund, written once (CONTRACT §6.5). */
export interface Refund {
  status: RefundStatus
  date: string
  transactionId: string
}

/** A card entered on the page that now waits for its 3-D Secure step. */
export interface AwaitCard {
  cardType: string
  last4Digits: string
  cardFunding: string
  cardExpiry: string
}

export interface PaymentListQuery {
  merchantId?: number | undefined
  orderId?: string | undefined
  status?: PaymentStatus | undefined
  limit: number
}

export interface PaymentsStore {
  insert: (payment: NewPayment) => PaymentRow
  /** Inserts a finished payment as it is (fixtures). */
  insertFinished: (payment: NewPayment & Finish) => void
  byPaymentId: (paymentId: string) => PaymentRow | undefined
  /** The merchant's payment with this transaction_id (finished ones only have one). */
  byTransactionId: (merchantId: number, transactionId: string) => PaymentRow | undefined
  /** The merchant's latest payment with this order_id. */
  latestByOrderId: (merchantId: number, orderId: string) => PaymentRow | undefined
  /** Taken by a payment or a refund: transaction ids are unique across both. */
  transactionIdTaken: (transactionId: string) => boolean
  paymentIdTaken: (paymentId: string) => boolean
  /** Moves a PENDING payment to its 3-D Secure step; false when it is no longer PENDING at the card stage. */
  awaitThreeDs: (paymentId: string, card: AwaitCard) => boolean
  /** Finishes a PENDING payment; false when it was already finished (one outcome only). */
  finish: (paymentId: string, finish: Finish) => boolean
  /** Refunds a SUCCESS payment once; false when it did not succeed or was already refunded. */
  refund: (paymentId: string, refund: Refund) => boolean
  /** Records that the browser was sent back to the merchant (the first time only). */
  markReturned: (paymentId: string, at: string) => void
  /** PENDING payments whose page expired before `now` (ISO), oldest first. */
  expired: (now: string, limit: number) => PaymentRow[]
  list: (query: PaymentListQuery) => PaymentRow[]
  /** The merchant's own webhook URL, if set through /__admin. */
  webhookUrl: (merchantId: number) => string | undefined
  setWebhookUrl: (merchantId: number, url: string | null) => void
}

declare module '../../db/stores.js' {
  interface ModuleStores {
    payments: PaymentsStore
  }
}

interface Raw extends Omit<PaymentRow, 'saveToken'> { saveToken: number }

const COLUMNS = `id, payment_id AS paymentId, merchant_id AS merchantId, type, order_id AS orderId,
  amount_milli AS amountMilli, currency, client_name AS clientName, client_email AS clientEmail,
  client_phone AS clientPhone, language, success_url AS successUrl, failure_url AS failureUrl,
  fcm_token AS fcmToken, save_token AS saveToken, note, status, stage, transaction_id AS transactionId,
  response_code AS responseCode, description, payment_date AS paymentDate, auth_code AS authCode,
  card_type AS cardType, last_4_digits AS last4Digits, card_funding AS cardFunding, card_token AS cardToken,
  card_expiry AS cardExpiry, refund_status AS refundStatus, refund_date AS refundDate,
  refund_transaction_id AS refundTransactionId, returned_at AS returnedAt, created_at AS createdAt, expires_at AS expiresAt`

const toRow = (raw: Raw | undefined): PaymentRow | undefined => raw === undefined ? undefined : { ...raw, saveToken: raw.saveToken === 1 }

export function createPaymentsStore (db: Db, freshness: Freshness): PaymentsStore {
  const insert = db.prepare<Record<string, unknown>, Raw>(`
    INSERT INTO payments (payment_id, merchant_id, type, order_id, amount_milli, currency, client_name, client_email,
      client_phone, language, success_url, failure_url, fcm_token, save_token, note, created_at, expires_at)
    VALUES (@paymentId, @merchantId, @type, @orderId, @amountMilli, @currency, @clientName, @clientEmail,
      @clientPhone, @language, @successUrl, @failureUrl, @fcmToken, @saveToken, @note, @createdAt, @expiresAt)
    RETURNING ${COLUMNS}`)
  const insertFinished = db.prepare<Record<string, unknown>>(`
    INSERT INTO payments (payment_id, merchant_id, type, order_id, amount_milli, currency, client_name, client_email,
      client_phone, language, success_url, failure_url, fcm_token, save_token, note, created_at, expires_at,
      status, stage, transaction_id, response_code, description, payment_date, auth_code, card_type, last_4_digits,
      card_funding, card_token, card_expiry)
    VALUES (@paymentId, @merchantId, @type, @orderId, @amountMilli, @currency, @clientName, @clientEmail,
      @clientPhone, @language, @successUrl, @failureUrl, @fcmToken, @saveToken, @note, @createdAt, @expiresAt,
      @status, 'done', @transactionId, @responseCode, @description, @paymentDate, @authCode, @cardType, @last4Digits,
      @cardFunding, @cardToken, @cardExpiry)`)
  const byPaymentId = db.prepare<[string], Raw>(`SELECT ${COLUMNS} FROM payments WHERE payment_id = ?`)
  const byTransactionId = db.prepare<[number, string], Raw>(`SELECT ${COLUMNS} FROM payments WHERE merchant_id = ? AND transaction_id = ?`)
  const latestByOrderId = db.prepare<[number, string], Raw>(`SELECT ${COLUMNS} FROM payments WHERE merchant_id = ? AND order_id = ? ORDER BY id DESC LIMIT 1`)
  const transactionIdTaken = db.prepare<[string, string], { one: number }>(`
    SELECT 1 AS one FROM payments WHERE transaction_id = ? UNION ALL SELECT 1 FROM payments WHERE refund_transaction_id = ? LIMIT 1`).pluck()
  const paymentIdTaken = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM payments WHERE payment_id = ?').pluck()
  const awaitThreeDs = db.prepare<Record<string, unknown>>(`
    UPDATE payments SET stage = '3ds', card_type = @cardType, last_4_digits = @last4Digits, card_funding = @cardFunding,
      card_expiry = @cardExpiry
    WHERE payment_id = @paymentId AND status = 'PENDING' AND stage = 'card'`)
  const finish = db.prepare<Record<string, unknown>>(`
    UPDATE payments SET status = @status, stage = 'done', transaction_id = @transactionId, response_code = @responseCode,
      description = @description, payment_date = @paymentDate, auth_code = @authCode, card_type = @cardType,
      last_4_digits = @last4Digits, card_funding = @cardFunding, card_token = @cardToken, card_expiry = @cardExpiry
    WHERE payment_id = @paymentId AND status = 'PENDING'`)
  const refund = db.prepare<Record<string, unknown>>(`
    UPDATE payments SET refund_status = @status, refund_date = @date, refund_transaction_id = @transactionId
    WHERE payment_id = @paymentId AND status = 'SUCCESS' AND refund_transaction_id IS NULL`)
  const markReturned = db.prepare<[string, string]>('UPDATE payments SET returned_at = ? WHERE payment_id = ? AND returned_at IS NULL')
  const expired = db.prepare<[string, number], Raw>(`SELECT ${COLUMNS} FROM payments WHERE status = 'PENDING' AND expires_at <= ? ORDER BY id LIMIT ?`)
  const webhookUrl = db.prepare<[number], string>('SELECT url FROM payment_webhooks WHERE merchant_id = ?').pluck()
  const setWebhookUrl = db.prepare<[number, string]>('INSERT INTO payment_webhooks (merchant_id, url) VALUES (?, ?) ON CONFLICT (merchant_id) DO UPDATE SET url = excluded.url')
  const deleteWebhookUrl = db.prepare<[number]>('DELETE FROM payment_webhooks WHERE merchant_id = ?')

  // Verify (and a page, polled by its browser) reads the same payment again and again: its
  // lookups are memoised (a payment row has 34 columns; reading one costs several Get Clients),
  // and every write here forgets them all (db/read-cache.ts also notices other processes' writes).
  const found = freshness.cache<string, PaymentRow | null>()
  const memo = (key: string, read: () => Raw | undefined): PaymentRow | undefined => {
    freshness.check()
    const cached = found.get(key)
    if (cached !== undefined) return cached ?? undefined
    const row = toRow(read())
    found.set(key, row ?? null)
    return row
  }
  const wrote = <T>(result: T): T => { freshness.changed(); return result }
  return {
    insert: (p) => wrote(toRow(insert.get({ ...p, saveToken: p.saveToken ? 1 : 0 })) as PaymentRow),
    insertFinished: (p) => { insertFinished.run({ ...p, saveToken: p.saveToken ? 1 : 0 }); freshness.changed() },
    byPaymentId: (paymentId) => memo(`p${paymentId}`, () => byPaymentId.get(paymentId)),
    byTransactionId: (merchantId, transactionId) => memo(`t${merchantId}:${transactionId}`, () => byTransactionId.get(merchantId, transactionId)),
    latestByOrderId: (merchantId, orderId) => memo(`o${merchantId}:${orderId}`, () => latestByOrderId.get(merchantId, orderId)),
    transactionIdTaken: (transactionId) => transactionIdTaken.get(transactionId, transactionId) !== undefined,
    paymentIdTaken: (paymentId) => paymentIdTaken.get(paymentId) !== undefined,
    awaitThreeDs: (paymentId, card) => wrote(awaitThreeDs.run({ paymentId, ...card }).changes === 1),
    finish: (paymentId, f) => wrote(finish.run({ paymentId, ...f }).changes === 1),
    refund: (paymentId, r) => wrote(refund.run({ paymentId, ...r }).changes === 1),
    markReturned: (paymentId, at) => { markReturned.run(at, paymentId); freshness.changed() },
    expired: (now, limit) => expired.all(now, limit).map((r) => toRow(r) as PaymentRow),
    list (query) {
      const where: string[] = []
      const args: Array<string | number> = []
      if (query.merchantId !== undefined) { where.push('merchant_id = ?'); args.push(query.merchantId) }
      if (query.orderId !== undefined) { where.push('order_id = ?'); args.push(query.orderId) }
      if (query.status !== undefined) { where.push('status = ?'); args.push(query.status) }
      const sql = `SELECT ${COLUMNS} FROM payments ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY id DESC LIMIT ?`
      return db.prepare<Array<string | number>, Raw>(sql).all(...args, query.limit).map((r) => toRow(r) as PaymentRow)
    },
    webhookUrl: (merchantId) => webhookUrl.get(merchantId) ?? undefined,
    setWebhookUrl: (merchantId, url) => { if (url === null) deleteWebhookUrl.run(merchantId); else setWebhookUrl.run(merchantId, url) },
  }
}
