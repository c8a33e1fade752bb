// The package's programmatic API: `import { startMock } from 'fatora-mock'` starts the
// real server in the test suite's own process, on a free port with an in-memory database seeded
// from the fixtures. Its helpers go through the /__admin HTTP API (app.inject, no socket), so a
// suite gets exactly what a docker-compose user gets over HTTP.
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { createConfig } from './config.js'
import type { ClockState } from './test-controls/clock.js'
import type { Fault, FaultInput } from './test-controls/faults.js'
import type { JournalEntry, JournalQuery } from './test-controls/journal.js'
import { DEMO_API_KEY } from './modules/merchants/service.js'
import type { PushRecord, WebhookDelivery } from './modules/payments/notifications-schema.js'
import type { AdminCardToken, AdminPayment, CheckoutBody, CollectBody, CompleteBody, IssueTokenBody, PaymentResult, TokenCardBody } from './modules/payments/schema.js'
import { startServer } from './server.js'

export type { Fault, FaultInput } from './test-controls/faults.js'
export type { JournalEntry, JournalQuery } from './test-controls/journal.js'
export type { AdminCardToken, AdminPayment, CheckoutBody, CollectBody, CompleteBody, IssueTokenBody, PaymentResult, TokenCardBody } from './modules/payments/schema.js'
export type { ClockState } from './test-controls/clock.js'
export type { PushRecord, WebhookDelivery } from './modules/payments/notifications-schema.js'
// Invoices (CONTRACT §7) need no helper: a suite calls /v1/invoices on mock.url with fetch, as the
// code under test does, and types the bodies with these.
export type { Invoice, InvoiceBody, InvoiceItem, InvoicePayment, ListInvoicesResponse } from './modules/invoices/schema.js'

// DEMO_API_KEY: Fatora's public test key, the fixtures' active key of merchant 1 (CONTRACT §3).
export { DEMO_API_KEY }

export interface StartMockOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number
  host?: string
  /**
   * Also serve HTTPS on this port (0 picks a free one); unset: HTTP only. Without tlsCert/tlsKey
   * the certificate is a self-signed one for localhost, 127.0.0.1 and ::1 (mock.certificate).
   */
  httpsPort?: number
  /** PEM certificate file for HTTPS (TLS_CERT), with tlsKey. */
  tlsCert?: string
  /** PEM private key file of tlsCert (TLS_KEY). */
  tlsKey?: string
  /** SQLite file; ':memory:' (default) for a throw-away database. */
  dbPath?: string
  /** Directory of fixtures; the package's own fixtures/ by default. */
  fixturesDir?: string
  /** Load the fixtures into a new database (default true); false starts it empty. */
  seedFixtures?: boolean
  /** pino log level; 'silent' by default, so test output stays clean. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Honour the Prefer header (default true). */
  prefer?: boolean
  latencyMs?: number
  latencyJitterMs?: number
  /** Seed of the fault generator, for reproducible probabilistic faults. */
  faultSeed?: number
  /** Requests kept in the journal (default 1000). */
  journalSize?: number
  /** Protect /__admin with this token (the helpers below send it). */
  adminToken?: string
  jwtSecret?: string
  /** Origin of checkout_url (PUBLIC_URL); default: the request's own scheme and Host. */
  publicUrl?: string
  /** Seconds before a payment page expires (CHECKOUT_TTL, default 1800). */
  checkoutTtl?: number
  /** How long /Pay/Success shows before forwarding (SUCCESS_PAGE_MS, default 2000; 0 skips it). */
  successPageMs?: number
  /** Names of the redirect parameters (REDIRECT_PARAMS). */
  redirectParams?: 'default' | 'legacy'
  /** Currencies checkout accepts (CURRENCIES). */
  currencies?: readonly string[]
  /** Notified when any payment finishes (WEBHOOK_URL). */
  webhookUrl?: string
  /** Signs webhooks with x-fatora-mock-signature (WEBHOOK_SECRET). */
  webhookSecret?: string
  webhookTimeoutMs?: number
  /** Delays before the webhook's retries, at most 3 (WEBHOOK_RETRY_MS). */
  webhookRetryMs?: readonly number[]
}

export interface SeedOptions {
  count: number
  /** The merchant to seed (default: the merchant of `apiKey`, else merchant 1). */
  merchantId?: number
  apiKey?: string
  seed?: number
  locale?: 'en' | 'ar'
}

export interface SeedResult {
  merchant_id: number
  inserted: number
  first_id: number
  last_id: number
  ms: number
}

export interface MockServer {
  /** Base URL, e.g. http://127.0.0.1:41234 — use it where your code has https://api.fatora.io. */
  url: string
  port: number
  /** With httpsPort: the same mock over HTTPS, e.g. https://127.0.0.1:41235; else undefined. */
  httpsUrl: string | undefined
  httpsPort: number | undefined
  /**
   * With httpsPort: the certificate to trust — `ca: mock.certificate.pem` (node:https, undici's
   * Agent connect options), or NODE_EXTRA_CA_CERTS=<path> for a child process; else undefined.
   */
  certificate: { path: string, pem: string, fingerprint: string } | undefined
  /** The demo merchant's active key (Fatora's public test key). */
  apiKey: string
  /** The Fastify instance, for inject() or anything the helpers do not cover. */
  app: FastifyInstance
  close: () => Promise<void>
  /** Adds fake clients (POST /__admin/seed). */
  seed: (options: SeedOptions) => Promise<SeedResult>
  /** Reloads the fixtures, removes every fault and empties the journal (POST /__admin/reset). */
  reset: () => Promise<void>
  /** The journal, newest first (GET /__admin/requests). */
  requests: (query?: JournalQuery) => Promise<JournalEntry[]>
  clearRequests: () => Promise<void>
  addFault: (fault: FaultInput) => Promise<Fault>
  faults: () => Promise<Fault[]>
  removeFault: (id: number) => Promise<void>
  clearFaults: () => Promise<void>
  /** POST /v1/payments/checkout with the demo key (or `apiKey`): the URL and its paymentID. */
  checkout: (body: CheckoutBody, apiKey?: string) => Promise<{ checkoutUrl: string, paymentId: string }>
  /** Finishes a payment as a browser would (POST /__admin/payments/{paymentID}/complete). */
  completePayment: (paymentId: string, how: CompleteBody) => Promise<{ payment: AdminPayment, redirect_url: string | null }>
  /** POST /v1/payments/verify with the demo key (or `apiKey`): the result. */
  verify: (ids: { transaction_id?: string, order_id?: string }, apiKey?: string) => Promise<PaymentResult>
  /** Payments, newest first, with every stored field (GET /__admin/payments). */
  payments: (query?: { order_id?: string, status?: 'PENDING' | 'SUCCESS' | 'FAILURE', merchant_id?: number }) => Promise<AdminPayment[]>
  /** Every webhook attempt, newest first (GET /__admin/webhooks). */
  webhooks: (query?: { payment_id?: string, merchant_id?: number }) => Promise<WebhookDelivery[]>
  /** The pushes the app would have got for checkouts with an fcm_token, newest first (GET /__admin/push). */
  pushes: () => Promise<PushRecord[]>
  /** A merchant's own webhook URL, which wins over webhookUrl; null removes it. */
  setWebhook: (merchantId: number, url: string | null) => Promise<void>
  /** POST /v1/payments/refund with the demo key (or `apiKey`). */
  refund: (ids: { transaction_id?: string, order_id?: string }, apiKey?: string) => Promise<{ refund_status: 'completed' | 'pending', refund_transaction_id: string }>
  /** POST /v1/payments/collect-payment with the demo key (or `apiKey`): the new payment, as verify shows it. */
  collectPayment: (body: CollectBody, apiKey?: string) => Promise<PaymentResult>
  /** POST /v1/payments/deactivate-token with the demo key (or `apiKey`). */
  deactivateToken: (cardToken: string, apiKey?: string) => Promise<void>
  /** Saved cards, newest first, with every stored field (GET /__admin/tokens). */
  tokens: (query?: { card_token?: string, merchant_id?: number, client_email?: string, status?: 'active' | 'inactive' | 'expired', limit?: number }) => Promise<AdminCardToken[]>
  /** A card token as if a checkout had saved the card (POST /__admin/tokens). */
  issueToken: (body: IssueTokenBody) => Promise<AdminCardToken>
  /** The card behind a token from now on, e.g. one that declines (POST /__admin/tokens/card). */
  setTokenCard: (body: TokenCardBody) => Promise<AdminCardToken>
  /** The mock's clock (GET /__admin/clock). */
  clock: () => Promise<ClockState>
  /** Moves the clock to an instant; it stands still there unless `frozen` is false (POST /__admin/clock). */
  setClock: (now: Date | string, options?: { frozen?: boolean }) => Promise<ClockState>
  /** Moves the clock forward by days (fractions allowed; negative moves back). */
  advanceClock: (days: number) => Promise<ClockState>
  /** Back to real time (DELETE /__admin/clock). */
  resetClock: () => Promise<ClockState>
}

/** A helper's call that did not succeed (/__admin, or /v1 for the payment helpers): the status and the envelope's description. */
export class MockAdminError extends Error {
  override name = 'MockAdminError'
  constructor (readonly statusCode: number, readonly description: string, route = '/__admin') {
    super(`fatora-mock ${route} answered ${statusCode}: ${description}`)
  }
}

/** Starts fatora-mock in this process; `await mock.close()` when done. */
export async function startMock (options: StartMockOptions = {}): Promise<MockServer> {
  const hostname = options.host ?? '127.0.0.1'
  // The options are settings of the config schema: validated and defaulted by it, like the environment.
  const { app, httpsPort, certificate } = await startServer(createConfig({
    PORT: options.port ?? 0,
    HTTPS_PORT: options.httpsPort,
    TLS_CERT: options.tlsCert,
    TLS_KEY: options.tlsKey,
    HOST: hostname,
    DB_PATH: options.dbPath ?? ':memory:',
    LOG_LEVEL: options.logLevel ?? 'silent',
    SEED_FIXTURES: options.seedFixtures,
    PREFER_ENABLED: options.prefer,
    LATENCY_MS: options.latencyMs,
    LATENCY_JITTER_MS: options.latencyJitterMs,
    JOURNAL_SIZE: options.journalSize,
    FIXTURES_DIR: options.fixturesDir,
    FAULT_SEED: options.faultSeed,
    ADMIN_TOKEN: options.adminToken,
    JWT_SECRET: options.jwtSecret,
    PUBLIC_URL: options.publicUrl,
    CHECKOUT_TTL: options.checkoutTtl,
    SUCCESS_PAGE_MS: options.successPageMs,
    REDIRECT_PARAMS: options.redirectParams,
    CURRENCIES: options.currencies?.join(','),
    WEBHOOK_URL: options.webhookUrl,
    WEBHOOK_SECRET: options.webhookSecret,
    WEBHOOK_TIMEOUT_MS: options.webhookTimeoutMs,
    WEBHOOK_RETRY_MS: options.webhookRetryMs?.join(','),
  }))
  const port = (app.server.address() as AddressInfo).port
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  const auth: Record<string, string> = options.adminToken === undefined ? {} : { authorization: `Bearer ${options.adminToken}` }

  async function call<T> (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: object): Promise<T> {
    const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
    if (res.statusCode >= 300) {
      const description = (res.json() as { error?: { description?: string } }).error?.description ?? res.body
      throw new MockAdminError(res.statusCode, description, url.startsWith('/__admin') ? '/__admin' : `${method} ${url}`)
    }
    return (res.statusCode === 204 ? undefined : res.json()) as T
  }
  // The socket's own Host, so URLs the mock builds (checkout_url) are the ones a browser here opens.
  const origin = { host: `${host}:${port}` }
  const admin = async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<T> => await call<T>(method, `/__admin${url}`, { ...auth, ...origin }, payload)
  const query = (values: object): string => {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(values)) if (value !== undefined) params.set(name, String(value))
    const qs = params.toString()
    return qs === '' ? '' : `?${qs}`
  }
  const pageHeaders = (apiKey: string): Record<string, string> => ({ api_key: apiKey, ...origin })

  return {
    url: `http://${host}:${port}`,
    port,
    // The host of `url` (127.0.0.1 by default; the self-signed certificate names it, ::1 and localhost).
    httpsUrl: httpsPort === undefined ? undefined : `https://${host}:${httpsPort}`,
    httpsPort,
    certificate,
    apiKey: DEMO_API_KEY,
    app,
    close: async () => { await app.close() },
    seed: async ({ count, merchantId, apiKey, seed, locale }) =>
      await admin<SeedResult>('POST', '/seed', { count, merchant_id: merchantId, api_key: apiKey, seed, locale }),
    reset: async () => { await admin('POST', '/reset') },
    requests: async (q = {}) => (await admin<{ requests: JournalEntry[] }>('GET', `/requests${query(q)}`)).requests,
    clearRequests: async () => { await admin('DELETE', '/requests') },
    addFault: async (fault) => await admin<Fault>('POST', '/faults', fault),
    faults: async () => (await admin<{ faults: Fault[] }>('GET', '/faults')).faults,
    removeFault: async (id) => { await admin('DELETE', `/faults/${id}`) },
    clearFaults: async () => { await admin('DELETE', '/faults') },
    checkout: async (body, apiKey = DEMO_API_KEY) => {
      const { result } = await call<{ result: { checkout_url: string } }>('POST', '/v1/payments/checkout', pageHeaders(apiKey), body)
      return { checkoutUrl: result.checkout_url, paymentId: new URL(result.checkout_url).searchParams.get('paymentID') ?? '' }
    },
    completePayment: async (paymentId, how) => await admin('POST', `/payments/${encodeURIComponent(paymentId)}/complete`, how),
    verify: async (ids, apiKey = DEMO_API_KEY) => (await call<{ result: PaymentResult }>('POST', '/v1/payments/verify', { api_key: apiKey }, ids)).result,
    payments: async (q = {}) => (await admin<{ payments: AdminPayment[] }>('GET', `/payments${query(q)}`)).payments,
    webhooks: async (q = {}) => (await admin<{ deliveries: WebhookDelivery[] }>('GET', `/webhooks${query(q)}`)).deliveries,
    pushes: async () => (await admin<{ pushes: PushRecord[] }>('GET', '/push')).pushes,
    setWebhook: async (merchantId, url) => {
      if (url === null) await admin('DELETE', `/merchants/${merchantId}/webhook`)
      else await admin('PUT', `/merchants/${merchantId}/webhook`, { url })
    },
    refund: async (ids, apiKey = DEMO_API_KEY) =>
      (await call<{ result: { refund_status: 'completed' | 'pending', refund_transaction_id: string } }>('POST', '/v1/payments/refund', { api_key: apiKey }, ids)).result,
    collectPayment: async (body, apiKey = DEMO_API_KEY) => (await call<{ result: PaymentResult }>('POST', '/v1/payments/collect-payment', { api_key: apiKey }, body)).result,
    deactivateToken: async (cardToken, apiKey = DEMO_API_KEY) => { await call('POST', '/v1/payments/deactivate-token', { api_key: apiKey }, { card_token: cardToken }) },
    tokens: async (q = {}) => (await admin<{ tokens: AdminCardToken[] }>('GET', `/tokens${query(q)}`)).tokens,
    issueToken: async (body) => await admin<AdminCardToken>('POST', '/tokens', body),
    setTokenCard: async (body) => await admin<AdminCardToken>('POST', '/tokens/card', body),
    clock: async () => await admin<ClockState>('GET', '/clock'),
    setClock: async (now, { frozen } = {}) => await admin<ClockState>('POST', '/clock', { now: typeof now === 'string' ? now : now.toISOString(), frozen }),
    advanceClock: async (days) => await admin<ClockState>('POST', '/clock', { advance_days: days }),
    resetClock: async () => await admin<ClockState>('DELETE', '/clock'),
  }
}
