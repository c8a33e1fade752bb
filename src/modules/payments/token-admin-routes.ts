// /__admin/tokens (ours, CONTRACT §6.6): list saved cards, issue one without a checkout, and
// change the card behind one (a renewal that now declines, another expiry) — for subscription tests.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { adminErrors as errors, adminSecurity as security, storageError } from '../../admin/responses.js'
import type { Stores } from '../../db/stores.js'
import { InvalidInputError, UnknownReferenceError } from '../../domain-errors.js'
import { errorResponse } from '../../http/responses.js'
import { expiryLabel, OUTCOMES } from './cards.js'
import { paymentMessages as messages } from './messages.js'
import { tokenStatus } from './saved-cards.js'
import { IssueTokenBodySchema, ListTokensQuerySchema, TokenCardBodySchema, type AdminCardToken } from './schema.js'
import type { PaymentsService } from './service.js'
import type { CardTokenRow } from './token-store.js'

export interface TokensAdminOptions {
  payments: PaymentsService
  stores: Stores
}

export function toAdminToken (row: CardTokenRow, now: Date): AdminCardToken {
  return {
    card_token: row.cardToken,
    merchant_id: row.merchantId,
    client: { name: row.clientName, email: row.clientEmail, phone: row.clientPhone },
    status: tokenStatus(row, now),
    currency: row.currency,
    card_type: row.cardType,
    last_4_digits: row.last4Digits,
    card_expiry: row.cardExpiry === null ? null : expiryLabel(row.cardExpiry),
    charge_response_code: OUTCOMES[row.chargeOutcome].responseCode,
    payment_id: row.paymentId,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    deactivated_at: row.deactivatedAt,
    last_used_at: row.lastUsedAt,
  }
}

/** December, five years after `now`, as MM/YY. */
const futureExpiry = (now: Date): string => `12/${String((now.getUTCFullYear() + 5) % 100).padStart(2, '0')}`

const tokenRef = Type.Unsafe<AdminCardToken>({ $ref: 'AdminCardToken#' })
const cardNeeded = new InvalidInputError(messages.tokenCardNeeded)

export const tokensAdminRoutes: FastifyPluginCallbackTypebox<TokensAdminOptions> = (app, { payments, stores }, done) => {
  const { savedCards } = payments

  app.get('/tokens', {
    schema: {
      operationId: 'adminListCardTokens',
      tags: ['admin'],
      security,
      summary: 'List saved cards (card tokens), newest first, with every stored field',
      querystring: ListTokensQuerySchema,
      response: {
        200: Type.Object({ tokens: Type.Array(tokenRef) }, { additionalProperties: false }),
        400: errorResponse(400, 'A query parameter is invalid', 'Invalid query field status: must be one of active, inactive, expired'),
        401: errors[401],
        503: storageError,
      },
    },
  }, (request) => {
    const q = request.query
    const now = payments.now()
    const rows = stores.cardTokens.list({ cardToken: q.card_token, merchantId: q.merchant_id, clientEmail: q.client_email, status: q.status, now: now.toISOString(), limit: q.limit ?? 100 })
    return { tokens: rows.map((row) => toAdminToken(row, now)) }
  })

  app.post('/tokens', {
    // The schema's e-mail pattern is the format's rule, said as such (http/patterns.ts).
    config: { validationMessages: { 'body.client.email:pattern': messages.clientEmailInvalid } },
    schema: {
      operationId: 'adminIssueCardToken',
      tags: ['admin'],
      security,
      summary: 'Issue a card token as if a checkout had saved the card',
      description: 'For tests that skip the payment page. `card` decides what collect-payment does with it (a declining test card declines); a debit card is refused, as checkout never saves one.',
      body: IssueTokenBodySchema,
      response: {
        201: tokenRef,
        ...errors,
        422: errorResponse(422, 'No merchant has this id', messages.unknownMerchant(9)),
        503: storageError,
      },
    },
  }, async (request, reply) => {
    const b = request.body
    const merchantId = b.merchant_id ?? 1
    if (stores.merchants.find(merchantId) === undefined) throw new UnknownReferenceError(messages.unknownMerchant(merchantId))
    const row = await savedCards.issue({
      merchantId,
      client: { name: b.client.name, email: b.client.email ?? null, phone: b.client.phone ?? null },
      card: b.card ?? '4111111111111111',
      expiry: b.expiry ?? futureExpiry(payments.now()),
      currency: b.currency ?? 'QAR',
    })
    return await reply.code(201).send(toAdminToken(row, payments.now()))
  })

  app.post('/tokens/card', {
    schema: {
      operationId: 'adminChangeTokenCard',
      tags: ['admin'],
      security,
      summary: 'Change the card behind a token (e.g. one that now declines)',
      description: 'Body: `{"card_token": "…", "card": "4000000000009995"}` makes the next collect-payment decline with insufficient funds; `expiry` (MM/YY) moves the card\'s expiry, and with it the token\'s (six months after issue, or the end of that month if sooner).',
      body: TokenCardBodySchema,
      response: {
        200: tokenRef,
        ...errors,
        404: errorResponse(404, 'No such card token', messages.adminTokenNotFound),
        503: storageError,
      },
    },
  }, async (request) => {
    const b = request.body
    if (b.card === undefined && b.expiry === undefined) throw cardNeeded
    const row = await savedCards.setCard(b.card_token, { card: b.card, expiry: b.expiry })
    return toAdminToken(row, payments.now())
  })
  done()
}
