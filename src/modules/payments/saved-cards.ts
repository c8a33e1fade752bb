// Saved cards (CONTRACT §6.6): issuing a card_token, charging it (collect-payment), deactivating
// it, and the /__admin helpers. No HTTP here: refusals are domain errors. Writes run inside the
// app's one write queue; time is the mock's clock.
import type { WriteQueue } from '../../db/write-queue.js'
import { InvalidInputError, NotFoundError, StateError } from '../../domain-errors.js'
import { cardFor, cardValidUntil, chargeOutcomeOf, checkCard, expiryMonth, normaliseNumber, OUTCOMES, type ChargeOutcome } from './cards.js'
import { newAuthCode, newCardToken, newPaymentId } from './ids.js'
import { paymentMessages as messages } from './messages.js'
import { toMilli } from './money.js'
import type { PaymentRow, PaymentsStore } from './store.js'
import type { CardTokenRow, CardTokensStore, TokenCard, TokenStatus } from './token-store.js'

/** Fatora: a token lasts six months (or until its card expires, if sooner). */
export const TOKEN_LIFETIME_MONTHS = 6

/** `at` plus whole calendar months, UTC; a day the target month lacks becomes its last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths (at: Date, months: number): Date {
  const year = at.getUTCFullYear()
  const month = at.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return new Date(Date.UTC(year, month, Math.min(at.getUTCDate(), lastDay), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()))
}

/** When a token issued at `createdAt` for a card expiring in `cardExpiry` (YYYY-MM, null: unknown) stops working. */
export function tokenExpiresAt (createdAt: Date, cardExpiry: string | null): Date {
  const sixMonths = addMonths(createdAt, TOKEN_LIFETIME_MONTHS)
  if (cardExpiry === null) return sixMonths
  const cardEnd = cardValidUntil(cardExpiry)
  return cardEnd < sixMonths ? cardEnd : sixMonths
}

/** active, inactive (deactivated) or expired (the clock is past its expiry). */
export const tokenStatus = (row: CardTokenRow, now: Date): TokenStatus =>
  row.status === 'inactive' ? 'inactive' : row.expiresAt <= now.toISOString() ? 'expired' : 'active'

/** A card for a token: a Luhn-valid number and a MM/YY expiry not yet past (a 400 naming the field otherwise). */
export interface TokenCardInput {
  card: string
  expiry: string
}

export interface CollectInput {
  cardToken: string
  orderId: string
  amount: number
  currency?: string | null | undefined
  note?: string | null | undefined
  fcmToken?: string | null | undefined
}

export interface IssueInput extends TokenCardInput {
  merchantId: number
  client: { name: string, email: string | null, phone: string | null }
  currency: string
}

export interface SavedCards {
  /** A card_token no token has yet (inside a write-queue turn). */
  newToken: () => string
  /** Saves the token a payment just issued (success, save_token, a credit card; inside a write-queue turn). */
  save: (payment: PaymentRow, cardToken: string, cardExpiry: string | null, at: Date) => void
  /** collect-payment: a new, finished payment on the token's card. */
  collect: (merchantId: number, input: CollectInput) => Promise<PaymentRow>
  /** deactivate-token: the token, now inactive. */
  deactivate: (merchantId: number, cardToken: string) => Promise<CardTokenRow>
  /** /__admin: a token for any credit card, as if a checkout had saved it. */
  issue: (input: IssueInput) => Promise<CardTokenRow>
  /** /__admin: the card behind a token is now another (one that declines, another expiry). */
  setCard: (cardToken: string, input: Partial<TokenCardInput>) => Promise<CardTokenRow>
}

export interface SavedCardsDeps {
  payments: PaymentsStore
  tokens: CardTokensStore
  write: WriteQueue
  now: () => Date
  currencies: readonly string[]
  /** A transaction id no payment or refund has (inside a write-queue turn). */
  uniqueTransactionId: () => string
  /** Webhook and push for a finished payment (CONTRACT §6.7). */
  notify: (payment: PaymentRow) => void
}

// Built once: thrown on every miss, so a 404 costs no stack capture.
const tokenNotFound = new NotFoundError(messages.tokenNotFound)
const tokenInactive = new StateError(messages.tokenInactive)
const tokenAlreadyInactive = new StateError(messages.tokenAlreadyInactive)
const tokenExpired = new StateError(messages.tokenExpired)

/**
 * The card a token stands for: checked as the page checks it; a debit card is never saved. With
 * `now`, an expiry before it is refused (a card being saved); without, it is taken as it is (the
 * fixtures: such a token loads expired).
 */
export function tokenCard (input: TokenCardInput, createdAt: Date, now?: Date): TokenCard {
  const errors = checkCard({ card_number: input.card, expiry: input.expiry, cvv: '123', holder_name: 'x' }, now ?? new Date(0))
  if (errors.card_number !== undefined) throw new InvalidInputError(messages.tokenCardInvalid)
  if (errors.expiry !== undefined) throw new InvalidInputError(messages.tokenExpiryInvalid)
  const card = cardFor(normaliseNumber(input.card))
  if (card.behaviour === 'debit') throw new InvalidInputError(messages.tokenDebitCard)
  const month = expiryMonth(input.expiry)
  return {
    cardType: card.brand,
    last4Digits: card.digits.slice(-4),
    cardExpiry: month,
    chargeOutcome: chargeOutcomeOf(card),
    expiresAt: tokenExpiresAt(createdAt, month).toISOString(),
  }
}

export function createSavedCards ({ payments, tokens, write, now, currencies, uniqueTransactionId, notify }: SavedCardsDeps): SavedCards {
  function uniqueToken (): string {
    for (;;) {
      const token = newCardToken()
      if (!tokens.tokenTaken(token)) return token
    }
  }

  return {
    newToken: uniqueToken,
    save (payment, cardToken, cardExpiry, at) {
      tokens.insert({
        cardToken,
        merchantId: payment.merchantId,
        clientName: payment.clientName,
        clientEmail: payment.clientEmail,
        clientPhone: payment.clientPhone,
        currency: payment.currency,
        cardType: payment.cardType ?? 'VISA',
        last4Digits: payment.last4Digits ?? '0000',
        cardExpiry,
        chargeOutcome: 'approved',
        paymentId: payment.paymentId,
        createdAt: at.toISOString(),
        expiresAt: tokenExpiresAt(at, cardExpiry).toISOString(),
      })
    },

    async collect (merchantId, input) {
      const amountMilli = toMilli(input.amount)
      if (amountMilli === undefined) throw new InvalidInputError(messages.amountInvalid)
      if (input.currency !== undefined && input.currency !== null && !currencies.includes(input.currency)) throw new InvalidInputError(messages.currencyInvalid(currencies))
      return await write(() => {
        const token = tokens.find(merchantId, input.cardToken)
        if (token === undefined) throw tokenNotFound
        const at = now()
        const status = tokenStatus(token, at)
        if (status === 'inactive') throw tokenInactive
        if (status === 'expired') throw tokenExpired
        const outcome = OUTCOMES[token.chargeOutcome satisfies ChargeOutcome]
        let paymentId = newPaymentId()
        while (payments.paymentIdTaken(paymentId)) paymentId = newPaymentId()
        const iso = at.toISOString()
        payments.insertFinished({
          paymentId,
          merchantId,
          type: 'collect-payment',
          orderId: input.orderId,
          amountMilli,
          currency: input.currency ?? token.currency,
          clientName: token.clientName,
          clientEmail: token.clientEmail,
          clientPhone: token.clientPhone,
          language: 'en',
          successUrl: null,
          failureUrl: null,
          fcmToken: input.fcmToken ?? null,
          saveToken: false,
          note: input.note ?? null,
          createdAt: iso,
          expiresAt: iso,
          status: outcome.status,
          transactionId: uniqueTransactionId(),
          responseCode: outcome.responseCode,
          description: outcome.description,
          paymentDate: iso.replace(/\.\d{3}Z$/, 'Z'),
          authCode: outcome.status === 'SUCCESS' ? newAuthCode() : null,
          cardType: token.cardType,
          last4Digits: token.last4Digits,
          cardFunding: 'credit',
          // The token charged (CONTRACT §6.4's card_token): the one verify and the webhook name.
          cardToken: token.cardToken,
          cardExpiry: token.cardExpiry,
        })
        tokens.markUsed(token.id, iso)
        const row = payments.byPaymentId(paymentId) as PaymentRow
        notify(row)
        return row
      })
    },

    async deactivate (merchantId, cardToken) {
      return await write(() => {
        const token = tokens.find(merchantId, cardToken)
        if (token === undefined) throw tokenNotFound
        const at = now()
        const status = tokenStatus(token, at)
        if (status === 'inactive') throw tokenAlreadyInactive
        if (status === 'expired') throw tokenExpired
        tokens.deactivate(token.id, at.toISOString())
        return tokens.byToken(cardToken) as CardTokenRow
      })
    },

    async issue (input) {
      const at = now()
      const card = tokenCard(input, at, at)
      if (!currencies.includes(input.currency)) throw new InvalidInputError(messages.currencyInvalid(currencies))
      return await write(() => tokens.insert({
        cardToken: uniqueToken(),
        merchantId: input.merchantId,
        clientName: input.client.name,
        clientEmail: input.client.email,
        clientPhone: input.client.phone,
        currency: input.currency,
        ...card,
        paymentId: null,
        createdAt: at.toISOString(),
      }))
    },

    async setCard (cardToken, input) {
      return await write(() => {
        const token = tokens.byToken(cardToken)
        if (token === undefined) throw new NotFoundError(messages.adminTokenNotFound)
        const createdAt = new Date(token.createdAt)
        // Only what is sent is checked and changed: a new number keeps the card's expiry (even one
        // now past), a new expiry keeps what the card does.
        const card = tokenCard({ card: input.card ?? '4111111111111111', expiry: input.expiry ?? '12/99' }, createdAt, input.expiry === undefined ? undefined : now())
        const cardExpiry = input.expiry === undefined ? token.cardExpiry : card.cardExpiry
        tokens.setCard(token.id, {
          ...(input.card === undefined ? { cardType: token.cardType, last4Digits: token.last4Digits, chargeOutcome: token.chargeOutcome } : card),
          cardExpiry,
          expiresAt: tokenExpiresAt(createdAt, cardExpiry).toISOString(),
        })
        return tokens.byToken(cardToken) as CardTokenRow
      })
    },
  }
}
