// Helpers of the saved-card tests (CONTRACT §6.6): JSON calls through the real app, the mock's
// clock (§6.6 Decision), the /__admin token tools and a local webhook receiver (§6.7). Contract
// strings stay in the tests.
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEMO_KEY } from '../../helper.js'

export interface Answer { status: number, json: any }

/** A JSON POST; `headers` replace the default api_key (pass {} for /__admin). */
export async function post (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = { api_key: DEMO_KEY }): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) })
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json() }
}

/** A POST whose body is sent as these exact bytes (JSON escapes as another client writes them). */
export async function postRaw (app: FastifyInstance, url: string, text: string, key = DEMO_KEY): Promise<Answer> {
  const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', api_key: key }, payload: text })
  return { status: res.statusCode, json: res.json() }
}

export async function get (app: FastifyInstance, url: string): Promise<Answer> {
  const res = await app.inject({ method: 'GET', url })
  return { status: res.statusCode, json: res.json() }
}

export const collect = async (app: FastifyInstance, body: unknown, key = DEMO_KEY): Promise<Answer> =>
  await post(app, '/v1/payments/collect-payment', body, { api_key: key })

export const deactivate = async (app: FastifyInstance, cardToken: string, key = DEMO_KEY): Promise<Answer> =>
  await post(app, '/v1/payments/deactivate-token', { card_token: cardToken }, { api_key: key })

/** Stops the mock's clock at `now` (ISO 8601); anything but a 200 fails the test at once. */
export async function setClock (app: FastifyInstance, now: string): Promise<void> {
  const res = await post(app, '/__admin/clock', { now }, {})
  if (res.status !== 200) throw new Error(`clock answered ${res.status}: ${JSON.stringify(res.json)}`)
}

/** GET /__admin/tokens with `query` (e.g. "?status=active"): the tokens, or a thrown error. */
export async function tokens (app: FastifyInstance, query = ''): Promise<any[]> {
  const res = await get(app, `/__admin/tokens${query}`)
  if (res.status !== 200) throw new Error(`/__admin/tokens${query} answered ${res.status}: ${JSON.stringify(res.json)}`)
  return res.json.tokens
}

/** POST /__admin/tokens: the issued token's admin view (a 201), or a thrown error. */
export async function issue (app: FastifyInstance, body: object): Promise<any> {
  const res = await post(app, '/__admin/tokens', body, {})
  if (res.status !== 201) throw new Error(`/__admin/tokens answered ${res.status}: ${JSON.stringify(res.json)}`)
  return res.json
}

/** POST /__admin/tokens/card: the card behind a token from now on. */
export const setCard = async (app: FastifyInstance, body: object): Promise<Answer> => await post(app, '/__admin/tokens/card', body, {})

/** POST /__admin/payments/{paymentID}/complete, as a browser would finish the payment. */
export const complete = async (app: FastifyInstance, paymentId: string, body: object): Promise<Answer> =>
  await post(app, `/__admin/payments/${paymentId}/complete`, body, {})

/**
 * A card token as a URL must carry it (CONTRACT §6.3: values URL-encoded): its letters and digits
 * need nothing, and each of + / \ | becomes its percent escape. Written out here rather than
 * with encodeURIComponent, so the test states the bytes it expects.
 */
export function percentEncoded (token: string): string {
  const escapes: Record<string, string> = { '+': '%2B', '/': '%2F', '\\': '%5C', '|': '%7C' }
  if (!/^[A-Za-z0-9+/\\|]+$/.test(token)) throw new Error(`not a card token: ${token}`)
  return token.replace(/[+/\\|]/g, (c) => escapes[c] as string)
}

export interface Received { method: string, url: string, body: string }

/** A webhook receiver on 127.0.0.1 that records every request and answers 200; closed at teardown. */
export async function receiver (t: Test): Promise<{ url: string, received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => { body += chunk })
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body })
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

/** Polls until `check` holds: deliveries are sent after the answer, on their own time. */
export async function waitFor (what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
