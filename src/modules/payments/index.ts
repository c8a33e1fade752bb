// The payments module: Fatora's payment API (CONTRACT §6) — checkout, the hosted payment page,
// the redirect back, verify, refund, saved cards and notifications — with its /__admin helpers
// and fixtures part.
import type { RouteDeps } from '../module.js'
import { defineModule } from '../module.js'
import { paymentsAdminRoutes } from './admin-routes.js'
import { paymentsMigrations } from './migrations.js'
import { createNotifier, type Notifier } from './notifications.js'
import { notificationsAdminRoutes } from './notifications-admin-routes.js'
import { pageRoutes } from './page-routes.js'
import { checkPaymentReferences } from './references.js'
import { paymentsRoutes, refundRoute } from './routes.js'
import { AdminCardTokenSchema, AdminPaymentSchema, PaymentResultSchema, paymentFixtureFields } from './schema.js'
import { createPaymentsService, type PaymentsService } from './service.js'
import { createPaymentsStore } from './store.js'
import { tokensAdminRoutes } from './token-admin-routes.js'
import { createCardTokensStore } from './token-store.js'

interface PaymentsContext {
  service: PaymentsService
  notifier: Notifier
}

// One service and one notifier per app, shared by its /v1 routes, pages and /__admin routes
// (RouteDeps is one object per app).
const contexts = new WeakMap<RouteDeps, PaymentsContext>()
function contextFor (deps: RouteDeps): PaymentsContext {
  let context = contexts.get(deps)
  if (context === undefined) {
    const { config, stores, write } = deps
    const notifier = createNotifier({
      globalUrl: config.WEBHOOK_URL,
      merchantUrl: (merchantId) => stores.payments.webhookUrl(merchantId),
      secret: config.WEBHOOK_SECRET,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retryDelaysMs: config.WEBHOOK_RETRY_MS.split(',').map(Number),
      // The log's and the outbox's times are the mock's clock, like every payment date.
      now: deps.clock.now,
    })
    const service = createPaymentsService({
      payments: stores.payments,
      tokens: stores.cardTokens,
      now: deps.clock.now,
      // Each write turn is one SQLite transaction: a payment and the token it issues, a collect's
      // payment and its token's last use, commit together (and once).
      write: async (fn) => await write(() => stores.transaction(fn)),
      notifier,
      settings: {
        currencies: config.CURRENCIES.split(','),
        checkoutTtlMs: config.CHECKOUT_TTL * 1000,
        redirectParams: config.REDIRECT_PARAMS,
      },
    })
    contexts.set(deps, context = { service, notifier })
  }
  return context
}

// Payments whose page expired unseen end on time (and notify), checked this often.
const SWEEP_MS = 1000

export const paymentsModule = defineModule({
  name: 'payments',
  tables: ['payments', 'payment_webhooks', 'card_tokens'],
  migrations: paymentsMigrations,
  counts: [
    { key: 'payments', table: 'payments', noun: 'payments', one: 'payment', perMerchant: true },
    { key: 'cardTokens', table: 'card_tokens', noun: 'card tokens', one: 'card token', perMerchant: true },
  ],
  createStores: (db, freshness) => ({ payments: createPaymentsStore(db, freshness), cardTokens: createCardTokensStore(db) }),
  writes: {
    payments: ['insert', 'insertFinished', 'awaitThreeDs', 'finish', 'refund', 'markReturned', 'setWebhookUrl'],
    cardTokens: ['insert', 'deactivate', 'markUsed', 'setCard'],
  },
  schemas: [PaymentResultSchema, AdminPaymentSchema, AdminCardTokenSchema],
  tag: { name: 'payments', description: "Fatora's payment API: checkout, verify, refund, collect-payment and deactivate-token (the hosted pages are under 'payment pages')" },
  pagesTag: { name: 'payment pages', description: 'The hosted payment page and its steps (HTML for people, CONTRACT §6.3): the mock\'s stand-in for Fatora\'s' },
  routes: async (v1, deps) => {
    const { service, notifier } = contextFor(deps)
    await v1.register(paymentsRoutes, { payments: service, publicUrl: deps.config.PUBLIC_URL })
    // Expired pages end on time, and deliveries stop, with the app.
    const sweep = setInterval(() => { service.sweepExpired().catch(() => undefined) }, SWEEP_MS)
    sweep.unref()
    v1.addHook('preClose', (done) => { clearInterval(sweep); done() })
    v1.addHook('onClose', async () => { await notifier.close() })
  },
  apiV1Routes: async (api, deps) => {
    await api.register(refundRoute, { payments: contextFor(deps).service, operationId: 'refundApiV1' })
  },
  pageRoutes: async (app, deps) => {
    await pageRoutes(app, {
      payments: contextFor(deps).service,
      merchantName: (merchantId) => deps.stores.merchants.find(merchantId)?.name ?? '',
      successPageMs: deps.config.SUCCESS_PAGE_MS,
      publicUrl: deps.config.PUBLIC_URL,
    })
  },
  adminRoutes: async (admin, deps) => {
    const { service, notifier } = contextFor(deps)
    await admin.register(paymentsAdminRoutes, { payments: service, store: deps.stores.payments, publicUrl: deps.config.PUBLIC_URL })
    await admin.register(tokensAdminRoutes, { payments: service, stores: deps.stores })
    await admin.register(notificationsAdminRoutes, { notifier, stores: deps.stores, write: deps.write, globalUrl: deps.config.WEBHOOK_URL })
  },
  reset: (deps) => { contextFor(deps).notifier.clear() },
  fixtures: {
    fields: paymentFixtureFields,
    checkReferences: checkPaymentReferences,
    load: async () => (await import('./fixtures.js')).paymentsFixtureWriter,
  },
})
