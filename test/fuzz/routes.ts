// The route table the generator aims at: each aim's methods, path shapes ("{}" is a generated
// segment), body kind and weight. The families' /v1 routes are read from the app itself (every
// documented operation of each family in src/modules.ts, v1Operations), so a new family is
// fuzzed as soon as it is registered; Authorize, /health, /__admin, the docs and unknown routes
// are listed by hand.
import type { FastifyInstance } from 'fastify'
import { modules } from '../../src/modules.js'
import { v1Operations, type V1Operation } from '../support/modules.js'
import { ANY_METHODS, type BodyKind } from './values.js'

/** Route shapes: their own methods and bodies most of the time, anything else sometimes. */
export interface Aim { aim: string, weight: number, methods: string[], paths: string[], body: BodyKind, query?: boolean }

const AUTHORIZE = '/v1/Authorization/Authorize'

// Before the families' routes, in this order, so a given table always yields the same cases.
const FIRST: Aim[] = [
  { aim: 'health', weight: 2, methods: ['GET', 'HEAD'], paths: ['/health'], body: 'none' },
  { aim: 'authorize', weight: 4, methods: ['GET', 'POST', 'HEAD'], paths: [AUTHORIZE], body: 'any' },
]
const LAST: Aim[] = [
  { aim: 'admin-write', weight: 4, methods: ['POST'], paths: ['/__admin/merchants', '/__admin/api-keys', '/__admin/clients', '/__admin/seed'], body: 'admin' },
  { aim: 'admin-key', weight: 2, methods: ['PATCH'], paths: ['/__admin/api-keys/{}'], body: 'admin' },
  { aim: 'admin-read', weight: 3, methods: ['GET', 'HEAD'], paths: ['/__admin/api-keys', '/__admin/state', '/__admin/faults', '/__admin/requests'], body: 'none', query: true },
  { aim: 'admin-delete', weight: 1, methods: ['DELETE'], paths: ['/__admin/faults', '/__admin/faults/{}', '/__admin/requests'], body: 'none' },
  { aim: 'admin-reset', weight: 0.5, methods: ['POST'], paths: ['/__admin/reset'], body: 'none' },
  { aim: 'admin-payments', weight: 2, methods: ['GET', 'POST', 'PUT', 'DELETE'], paths: ['/__admin/payments', '/__admin/payments/{}/complete', '/__admin/webhooks', '/__admin/push', '/__admin/merchants/{}/webhook', '/__admin/tokens', '/__admin/tokens/card', '/__admin/clock'], body: 'admin', query: true },
  { aim: 'payment-pages', weight: 2, methods: ['GET', 'HEAD', 'POST'], paths: ['/pay/MCPaymentPage', '/pay/3ds', '/Pay/Success', '/pay/return'], body: 'any', query: true },
  { aim: 'docs', weight: 1, methods: ['GET', 'HEAD'], paths: ['/documentation', '/documentation/', '/documentation/json', '/documentation/yaml', '/documentation/static/{}', '/documentation/{}'], body: 'none' },
  { aim: 'unknown', weight: 3, methods: ANY_METHODS, paths: ['/', '/v1', '/v1/', '/v1/{}', '/{}', '/v1/clients/{}/{}', '/__admin', '/__admin/{}', '/v2/clients/{}', '/favicon.ico'], body: 'any' },
]

/**
 * The body kind of each /v1 family's writes (POST, PUT, PATCH), by module name, as FAMILY_FIXTURES
 * in test/support/modules.ts: a new family fails routeTable() until it has an entry here.
 */
export const FAMILY_BODIES: Readonly<Record<string, BodyKind>> = {
  clients: 'client',
  products: 'product',
  payments: 'payment',
  invoices: 'invoice',
}

// Per operation, by method; a read by id more often than a list.
const WEIGHTS: Record<V1Operation['method'], number> = { GET: 8, POST: 6, PUT: 6, PATCH: 6, DELETE: 3 }
const LIST_WEIGHT = 5
// Within one path: independent of the order the module registers its routes in.
const METHOD_ORDER: ReadonlyArray<V1Operation['method']> = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * The methods the app routes at `url`: the Allow header of the 405 it answers to OPTIONS (before
 * any credential is checked), none when it has no such path. hasRoute() cannot tell, since every
 * known path also has a route for the other methods, the one that answers 405.
 */
async function allowedMethods (app: FastifyInstance, url: string): Promise<string[]> {
  const res = await app.inject({ method: 'OPTIONS', url })
  return res.statusCode === 405 ? String(res.headers.allow ?? '').split(/,\s*/) : []
}

/**
 * One aim per documented /v1 operation of the registry's families, by path (in the document's
 * order), then method: the path with "{}" for each parameter, plus its trailing-slash form when
 * the app routes the method there too (undocumented, like GET /v1/clients/); HEAD too for a GET
 * (Fastify answers it); a query for a list.
 */
export async function v1Aims (app: FastifyInstance): Promise<Aim[]> {
  const families = new Map(modules.flatMap((m) => (m.routes !== undefined && m.tag !== undefined ? [[m.tag.name, m.name] as const] : [])))
  const operations = (await v1Operations(app)).filter((op) => op.path !== AUTHORIZE)
  const paths = [...new Set(operations.map((op) => op.path))]
  operations.sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method))
  const aims: Aim[] = []
  for (const op of operations) {
    const family = families.get(op.tag)
    if (family === undefined) throw new Error(`${op.method} ${op.path} (tag ${JSON.stringify(op.tag)}) belongs to no family of src/modules.ts: give it an aim in test/fuzz/routes.ts`)
    const kind = FAMILY_BODIES[family]
    if (kind === undefined) throw new Error(`family ${family} has no entry in FAMILY_BODIES (test/fuzz/routes.ts)`)
    const shape = op.path.replace(/:[^/]+/g, '{}')
    const isList = op.method === 'GET' && op.params.length === 0
    const slashAlias = (await allowedMethods(app, `${op.path.replace(/:[^/]+/g, '1')}/`)).includes(op.method)
    aims.push({
      aim: op.operationId,
      weight: isList ? LIST_WEIGHT : WEIGHTS[op.method],
      methods: op.method === 'GET' ? ['GET', 'HEAD'] : [op.method],
      paths: slashAlias ? [shape, `${shape}/`] : [shape],
      body: op.method === 'POST' || op.method === 'PUT' || op.method === 'PATCH' ? kind : 'none',
      ...(isList ? { query: true } : {}),
    })
  }
  return aims
}

/** The whole table for `app`: /health and Authorize, the families' /v1 routes, then /__admin, the docs and unknown routes. */
export async function routeTable (app: FastifyInstance): Promise<Aim[]> {
  return [...FIRST, ...await v1Aims(app), ...LAST]
}
