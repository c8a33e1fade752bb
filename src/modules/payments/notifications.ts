// Webhooks and the push outbox (CONTRACT §6.7 Decision). A finished payment is POSTed to the
// merchant's URL (else WEBHOOK_URL) with the redirect's parameters in the query and verify's
// response as the body, retried after each WEBHOOK_RETRY_MS delay, every attempt logged; a
// checkout with an fcm_token records the push the app would get. Nothing here may slow the
// request that finished the payment: paymentFinished() only records and schedules.
import { createHmac } from 'node:crypto'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { WebhookDelivery, PushRecord } from './notifications-schema.js'
import type { FinishedPayment, PaymentNotifier } from './notifier.js'
import { withParams } from './redirect.js'

export type { PushRecord, WebhookDelivery } from './notifications-schema.js'

export interface NotifierSettings {
  /** WEBHOOK_URL: every merchant's, unless the merchant has its own. */
  globalUrl: string | undefined
  /** The merchant's own URL (PUT /__admin/merchants/{id}/webhook), or undefined. */
  merchantUrl: (merchantId: number) => string | undefined
  secret: string | undefined
  timeoutMs: number
  retryDelaysMs: readonly number[]
  now?: () => Date
}

export interface DeliveryFilter {
  paymentId?: string | undefined
  merchantId?: number | undefined
}

export interface Notifier extends PaymentNotifier {
  /** Every logged attempt (the last LOG_SIZE), newest first. */
  deliveries: (filter?: DeliveryFilter) => WebhookDelivery[]
  /** Recorded pushes (the last LOG_SIZE), newest first. */
  pushes: () => PushRecord[]
  clearDeliveries: () => void
  clearPushes: () => void
  /** Empties both logs and drops pending and in-flight deliveries (reset). */
  clear: () => void
  /** Stops retries and aborts attempts in flight; resolves once they have settled. */
  close: () => Promise<void>
}

// Kept in memory only: enough to inspect a test run, bounded for a long-running container.
const LOG_SIZE = 1000
const USER_AGENT = 'fatora-mock (webhook)'
// Abort reasons: they decide the logged error.
const SHUTDOWN = 'shutdown'
const TIMEOUT = 'timeout'

/** A short reason for a failed attempt, never the request's details (they could carry secrets). */
function describeError (err: unknown, reason: unknown, timeoutMs: number): string {
  if (reason === TIMEOUT) return `timeout after ${timeoutMs} ms`
  if (reason === SHUTDOWN) return 'cancelled: the mock is shutting down'
  const code = (err as { code?: unknown }).code
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused'
    case 'ECONNRESET': return 'connection reset'
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found'
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable'
    case 'ETIMEDOUT': return 'connection timed out'
  }
  if (typeof code === 'string') return /TLS|CERT|SSL/.test(code) ? `TLS error (${code})` : code
  return (err instanceof Error ? err.message : String(err)).slice(0, 200)
}

/** One POST; resolves with the status once the answer has been read, rejects on failure or abort. */
async function post (url: URL, body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<number> {
  return await new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    // agent: false — a connection per attempt, nothing pooled to outlive close().
    const req = send(url, { method: 'POST', headers, agent: false, signal }, (res: IncomingMessage) => {
      // The answer is read to its end (its connection then closes cleanly), never kept.
      res.on('error', reject)
      res.on('end', () => { resolve(res.statusCode ?? 0) })
      res.resume()
    })
    req.on('error', reject)
    req.end(body)
  })
}

function pushFor (event: FinishedPayment, id: number, time: string, fcmToken: string): PushRecord {
  const r = event.body.result
  const success = r.payment_status === 'SUCCESS'
  return {
    id,
    time,
    fcm_token: fcmToken,
    merchant_id: event.merchantId,
    payment_id: event.paymentId,
    notification: {
      title: success ? 'Payment successful' : 'Payment failed',
      body: `${r.amount} ${r.currency} for order ${r.order_id}: ${r.description ?? r.payment_status}`,
    },
    data: Object.fromEntries(event.redirectParams),
  }
}

export function createNotifier (settings: NotifierSettings): Notifier {
  const { globalUrl, merchantUrl, secret, timeoutMs, retryDelaysMs } = settings
  const now = settings.now ?? (() => new Date())
  const log: WebhookDelivery[] = []
  const outbox: PushRecord[] = []
  let attemptIds = 0
  let deliveryIds = 0
  let pushIds = 0
  let closed = false
  // Bumped by clear(): attempts of an earlier generation finish unlogged and never retry.
  let generation = 0
  /** Scheduled attempts (first or retry), cancelled by clear() and close(). */
  const scheduled = new Set<() => void>()
  /** Attempts in flight: their abort, and their promise for close() to await. */
  const inFlight = new Map<AbortController, Promise<void>>()

  const keep = <T>(list: T[], item: T): void => {
    list.push(item)
    if (list.length > LOG_SIZE) list.splice(0, list.length - LOG_SIZE)
  }

  function schedule (delayMs: number, run: () => void): void {
    const timer = setTimeout(() => { scheduled.delete(cancel); run() }, delayMs)
    // Never what keeps a process alive: close() clears it anyway.
    timer.unref()
    const cancel = (): void => { clearTimeout(timer) }
    scheduled.add(cancel)
  }

  function cancelScheduled (): void {
    for (const cancel of scheduled) cancel()
    scheduled.clear()
  }

  function abortInFlight (reason: string): void {
    for (const controller of inFlight.keys()) controller.abort(reason)
  }

  interface Delivery {
    id: number
    url: string
    body: Buffer
    headers: Record<string, string>
    event: FinishedPayment
    generation: number
  }

  /** One attempt, logged; `controller` aborts it (timeout, clear(), close()) with its reason. */
  async function attempt (d: Delivery, number: number, controller: AbortController): Promise<void> {
    const timer = setTimeout(() => { controller.abort(TIMEOUT) }, timeoutMs)
    const startedAt = now()
    const started = performance.now()
    let status: number | null = null
    let error: string | null = null
    try {
      status = await post(new URL(d.url), d.body, d.headers, controller.signal)
    } catch (err) {
      error = describeError(err, controller.signal.aborted ? controller.signal.reason : undefined, timeoutMs)
    } finally {
      clearTimeout(timer)
    }
    if (d.generation !== generation) return
    const delivered = status !== null && status >= 200 && status < 300
    const delay = retryDelaysMs[number - 1]
    const retry = !delivered && !closed && delay !== undefined
    keep(log, {
      id: ++attemptIds,
      delivery_id: d.id,
      attempt: number,
      time: startedAt.toISOString(),
      url: d.url,
      payment_id: d.event.paymentId,
      merchant_id: d.event.merchantId,
      event: d.event.body.result.payment_status === 'SUCCESS' ? 'payment.success' : 'payment.failure',
      status,
      duration_ms: Math.round(performance.now() - started),
      error,
      next_retry_at: retry ? new Date(now().getTime() + delay).toISOString() : null,
      outcome: delivered ? 'delivered' : retry ? 'retrying' : 'gave up',
    })
    if (retry) schedule(delay, () => { start(d, number + 1) })
  }

  function start (d: Delivery, number: number): void {
    if (closed || d.generation !== generation) return
    const controller = new AbortController()
    const running = attempt(d, number, controller).finally(() => { inFlight.delete(controller) })
    inFlight.set(controller, running)
  }

  return {
    paymentFinished (event: FinishedPayment) {
      const time = now().toISOString()
      if (event.fcmToken !== null) keep(outbox, pushFor(event, ++pushIds, time, event.fcmToken))
      if (closed) return
      let url: string | undefined
      try {
        url = merchantUrl(event.merchantId) ?? globalUrl
      } catch {
        // The payment has finished either way; a notification must never undo or fail it.
        url = globalUrl
      }
      if (url === undefined) return
      const body = Buffer.from(JSON.stringify(event.body))
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'user-agent': USER_AGENT,
      }
      if (secret !== undefined) headers['x-fatora-mock-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
      const delivery: Delivery = { id: ++deliveryIds, url: withParams(url, event.redirectParams), body, headers, event, generation }
      schedule(0, () => { start(delivery, 1) })
    },
    deliveries: (filter = {}) => log
      .filter((d) => (filter.paymentId === undefined || d.payment_id === filter.paymentId) && (filter.merchantId === undefined || d.merchant_id === filter.merchantId))
      .reverse(),
    pushes: () => [...outbox].reverse(),
    clearDeliveries: () => { log.length = 0 },
    clearPushes: () => { outbox.length = 0 },
    clear () {
      generation++
      cancelScheduled()
      abortInFlight(SHUTDOWN)
      log.length = 0
      outbox.length = 0
    },
    async close () {
      closed = true
      cancelScheduled()
      abortInFlight(SHUTDOWN)
      await Promise.allSettled([...inFlight.values()])
    },
  }
}
