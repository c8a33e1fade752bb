// Saved cards (CONTRACT §6.6): all their SQL. A token belongs to one merchant and one client;
// merchant_id is in every /v1 WHERE, so another merchant's token is indistinguishable from none.
import type { Db } from '../../db/open.js'
import type { ChargeOutcome } from './cards.js'

/** Stored: active or inactive (deactivated). Expired is not stored: it is the clock past expires_at. */
export type StoredTokenStatus = 'active' | 'inactive'
export type TokenStatus = StoredTokenStatus | 'expired'

export interface CardTokenRow {
  id: number
  cardToken: string
  merchantId: number
  clientName: string
  clientEmail: string | null
  clientPhone: string | null
  /** The currency of the payment that saved it: collect-payment charges in it unless told. */
  currency: string
  cardType: string
  last4Digits: string
  /** The card's expiry month, YYYY-MM; null when not known (a token saved before the mock kept it). */
  cardExpiry: string | null
  /** What the card does when charged again (CONTRACT §6.6: the token's card decides declines). */
  chargeOutcome: ChargeOutcome
  /** The payment that saved it; null when issued through /__admin or the fixtures. */
  paymentId: string | null
  status: StoredTokenStatus
  createdAt: string
  expiresAt: string
  deactivatedAt: string | null
  lastUsedAt: string | null
}

export type NewCardToken = Omit<CardTokenRow, 'id' | 'status' | 'deactivatedAt' | 'lastUsedAt'>

/** The card behind a token, replaced through /__admin (a card that now declines, a new expiry). */
export interface TokenCard {
  cardType: string
  last4Digits: string
  cardExpiry: string | null
  chargeOutcome: ChargeOutcome
  expiresAt: string
}

export interface TokenListQuery {
  cardToken?: string | undefined
  merchantId?: number | undefined
  clientEmail?: string | undefined
  status?: TokenStatus | undefined
  /** The clock's time (ISO): decides which tokens are expired. */
  now: string
  limit: number
}

export interface CardTokensStore {
  insert: (token: NewCardToken) => CardTokenRow
  /** The merchant's token (another merchant's is not found). */
  find: (merchantId: number, cardToken: string) => CardTokenRow | undefined
  /** Any merchant's token (/__admin). */
  byToken: (cardToken: string) => CardTokenRow | undefined
  tokenTaken: (cardToken: string) => boolean
  /** Deactivates an active token; false when it was already inactive. */
  deactivate: (id: number, at: string) => boolean
  markUsed: (id: number, at: string) => void
  setCard: (id: number, card: TokenCard) => void
  /** Newest first. */
  list: (query: TokenListQuery) => CardTokenRow[]
}

declare module '../../db/stores.js' {
  interface ModuleStores {
    cardTokens: CardTokensStore
  }
}

const COLUMNS = `id, card_token AS cardToken, merchant_id AS merchantId, client_name AS clientName,
  client_email AS clientEmail, client_phone AS clientPhone, currency, card_type AS cardType,
  last_4_digits AS last4Digits, card_expiry AS cardExpiry, charge_outcome AS chargeOutcome,
  payment_id AS paymentId, status, created_at AS createdAt, expires_at AS expiresAt,
  deactivated_at AS deactivatedAt, last_used_at AS lastUsedAt`

export function createCardTokensStore (db: Db): CardTokensStore {
  const insert = db.prepare<Record<string, unknown>, CardTokenRow>(`
    INSERT INTO card_tokens (card_token, merchant_id, client_name, client_email, client_phone, currency, card_type,
      last_4_digits, card_expiry, charge_outcome, payment_id, created_at, expires_at)
    VALUES (@cardToken, @merchantId, @clientName, @clientEmail, @clientPhone, @currency, @cardType,
      @last4Digits, @cardExpiry, @chargeOutcome, @paymentId, @createdAt, @expiresAt)
    RETURNING ${COLUMNS}`)
  const find = db.prepare<[number, string], CardTokenRow>(`SELECT ${COLUMNS} FROM card_tokens WHERE merchant_id = ? AND card_token = ?`)
  const byToken = db.prepare<[string], CardTokenRow>(`SELECT ${COLUMNS} FROM card_tokens WHERE card_token = ?`)
  const tokenTaken = db.prepare<[string], number>('SELECT 1 FROM card_tokens WHERE card_token = ?').pluck()
  const deactivate = db.prepare<[string, number]>("UPDATE card_tokens SET status = 'inactive', deactivated_at = ? WHERE id = ? AND status = 'active'")
  const markUsed = db.prepare<[string, number]>('UPDATE card_tokens SET last_used_at = ? WHERE id = ?')
  const setCard = db.prepare<Record<string, unknown>>(`
    UPDATE card_tokens SET card_type = @cardType, last_4_digits = @last4Digits, card_expiry = @cardExpiry,
      charge_outcome = @chargeOutcome, expires_at = @expiresAt
    WHERE id = @id`)

  return {
    insert: (token) => insert.get(token) as CardTokenRow,
    find: (merchantId, cardToken) => find.get(merchantId, cardToken),
    byToken: (cardToken) => byToken.get(cardToken),
    tokenTaken: (cardToken) => tokenTaken.get(cardToken) !== undefined,
    deactivate: (id, at) => deactivate.run(at, id).changes === 1,
    markUsed: (id, at) => { markUsed.run(at, id) },
    setCard: (id, card) => { setCard.run({ id, ...card }) },
    list (query) {
      const where: string[] = []
      const args: Array<string | number> = []
      if (query.cardToken !== undefined) { where.push('card_token = ?'); args.push(query.cardToken) }
      if (query.merchantId !== undefined) { where.push('merchant_id = ?'); args.push(query.merchantId) }
      if (query.clientEmail !== undefined) { where.push('client_email = ?'); args.push(query.clientEmail) }
      if (query.status === 'inactive') where.push("status = 'inactive'")
      if (query.status === 'active') { where.push("status = 'active' AND expires_at > ?"); args.push(query.now) }
      if (query.status === 'expired') { where.push("status = 'active' AND expires_at <= ?"); args.push(query.now) }
      const sql = `SELECT ${COLUMNS} FROM card_tokens ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY id DESC LIMIT ?`
      return db.prepare<Array<string | number>, CardTokenRow>(sql).all(...args, query.limit)
    },
  }
}
