// Shared by the test/security/*.test.ts files (not a test file itself, so tap does not run it):
// the fixture rows and ids they check against, literal error bodies (failure(): no message is
// imported from src/), and the request helpers — injected, and raw bytes on a TCP socket.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { connect } from 'node:net'
import { failure } from '../helper.js'

export const JSON_TYPE = 'application/json; charset=utf-8'
export const MISSING_ID = 999_999

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type Headers = Record<string, string>

export interface ApiClient { id: number, name: string, address: string | null, phone: string | null, email: string | null, note: string | null, notes: string | null }
export interface ListBody { status: string, clients: ApiClient[], page: number, page_size: number, total: number }
export interface State {
  totals: { merchants: number, api_keys: number, clients: number, products: number, payments: number, card_tokens: number, invoices: number }
  merchants: Array<{ id: number, name: string, clients: number, products: number, payments: number, card_tokens: number, invoices: number, api_keys: Array<{ key: string, status: string }> }>
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
export const byId = (a: number, b: number): number => a - b
/** The fixtures' ids (README "The default data"): merchant 1 owns 1–40, 1024, 1025; merchant 2 owns 2001–2040, 2048. */
export const M1_IDS = [...range(1, 40), 1024, 1025]
export const M2_IDS = [...range(2001, 2040), 2048]

export { CLIENT_2048 } from '../helper.js'
export const INVALID_CLIENT_ID = failure(400, 'Invalid client_id: must be a positive integer from 1 to 9007199254740991')
export const INVALID_JSON = failure(400, 'Invalid JSON body')
export const KEY_INVALID = failure(401, "Merchant API key isn't valid")

/** One injected request; an object or string payload is sent as JSON. */
export async function send (app: FastifyInstance, method: Method, url: string, headers: Headers = {}, payload?: unknown): Promise<LightMyRequestResponse> {
  const options: InjectOptions = { method, url, headers }
  if (payload !== undefined) {
    options.headers = { 'content-type': 'application/json', ...headers }
    options.payload = typeof payload === 'string' ? payload : JSON.stringify(payload)
  }
  return await app.inject(options)
}

export async function tokenFor (app: FastifyInstance, key: string): Promise<string> {
  const res = await app.inject({ url: '/v1/Authorization/Authorize', headers: { api_key: key } })
  if (res.statusCode !== 200) throw new Error(`Authorize answered ${res.statusCode}: ${res.body}`)
  return (res.json() as { bearer_token: string }).bearer_token
}

export async function getState (app: FastifyInstance, headers: Headers = {}): Promise<State> {
  const res = await app.inject({ url: '/__admin/state', headers })
  if (res.statusCode !== 200) throw new Error(`GET /__admin/state answered ${res.statusCode}: ${res.body}`)
  return res.json() as State
}

/** Every page of a list (7 per page), the clients in order and the total each page gave. */
export async function listAll (app: FastifyInstance, headers: Headers, query = ''): Promise<{ clients: ApiClient[], ids: number[], totals: number[] }> {
  const clients: ApiClient[] = []
  const totals: number[] = []
  for (let page = 1; page < 1000; page++) {
    const res = await app.inject({ url: `/v1/clients?${query}${query === '' ? '' : '&'}page=${page}&page_size=7`, headers })
    if (res.statusCode !== 200) throw new Error(`list ${query} page ${page} answered ${res.statusCode}: ${res.body}`)
    const body = res.json() as ListBody
    totals.push(body.total)
    if (body.clients.length === 0) break
    clients.push(...body.clients)
  }
  return { clients, ids: clients.map((c) => c.id), totals }
}

/** SQLite's LIKE and NOCASE fold ASCII letters only; so does this. */
export const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
export const keywordMatches = (c: ApiClient, keyword: string): boolean =>
  [c.name, c.email, c.phone, c.address].some((f) => f !== null && asciiLower(f).includes(asciiLower(keyword)))

export interface RawAnswer { raw: string, status: number, headers: Record<string, string>, body: string }

/** Writes `data` on a new TCP connection and collects everything until the server closes it (or `waitMs`). */
export async function rawExchange (port: number, data: string | Buffer, waitMs = 3000): Promise<RawAnswer> {
  const raw = await new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let settled = false
    const finish = (): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const timer = setTimeout(finish, waitMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', finish)
    socket.on('close', finish)
    // The server may close while a large request is still being written (EPIPE, ECONNRESET):
    // what matters is what it answered before; 'close' follows.
    socket.on('error', () => {})
    socket.write(data)
  })
  const headEnd = raw.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = (headEnd === -1 ? raw : raw.slice(0, headEnd)).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { raw, status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN), headers, body: headEnd === -1 ? '' : raw.slice(headEnd + 4) }
}
