// What the payment service tells when a payment finishes (CONTRACT §6.7). The notifier
// (notifications.ts) turns it into webhook deliveries and recorded pushes; the service only
// calls paymentFinished(), which must return at once: delivery never delays the request.
import type { PaymentResult } from './schema.js'

export interface FinishedPayment {
  merchantId: number
  paymentId: string
  /** The redirect's parameters (REDIRECT_PARAMS names), appended to the webhook URL. */
  redirectParams: ReadonlyArray<readonly [string, string]>
  /** verify's response body for this payment: the webhook's JSON body. */
  body: { status: 'SUCCESS', result: PaymentResult }
  /** The checkout's fcm_token: a push is recorded when set. */
  fcmToken: string | null
}

export interface PaymentNotifier {
  paymentFinished: (event: FinishedPayment) => void
}
