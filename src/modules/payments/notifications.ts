// Webhooks and the push outbox (CONTRACT §6.7 Decision). PLACEHOLDER: the real delivery
// (retries, timeouts, HMAC, delivery log, clean shutdown) replaces this file.
import type { FinishedPayment, PaymentNotifier } from './notifier.js'

export interface NotifierSettings {
  /** WEBHOOK_URL: every merchant's, unless the merchant has its own. */
  globalUrl: string | undefined
  /** The merchant's own URL (PUT /__admin/merchants/{id}/webhook), or undefined. */
  merchantUrl: (merchantId: number) => string | undefined
  secret: string | undefined
  timeoutMs: number
  retryDelaysMs: readonly number[]
}

export interface PushRecord {
  id: number
  time: string
  fcm_token: string
  payment_id: string
  merchant_id: number
  notification: { title: string, body: string }
  data: Record<string, string>
}

export interface Notifier extends PaymentNotifier {
  pushes: () => PushRecord[]
  clear: () => void
  /** Stops retries and aborts attempts in flight. */
  close: () => Promise<void>
}

export function createNotifier (_settings: NotifierSettings): Notifier {
  const pushes: PushRecord[] = []
  return {
    paymentFinished (event: FinishedPayment) {
      if (event.fcmToken === null) return
      pushes.push({
        id: pushes.length + 1,
        time: new Date().toISOString(),
        fcm_token: event.fcmToken,
        payment_id: event.paymentId,
        merchant_id: event.merchantId,
        notification: { title: 'Payment', body: event.body.result.description ?? '' },
        data: Object.fromEntries(event.redirectParams),
      })
    },
    pushes: () => [...pushes],
    clear: () => { pushes.length = 0 },
    close: async () => {},
  }
}
