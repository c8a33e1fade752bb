// What the registry-wide tests need to know of each API family that src/modules.ts lists: the
// ids its fixtures give each merchant, an id nobody has, and a valid body for its writes. The
// routes themselves are read from the app's OpenAPI document, so a new family's routes are
// tested as soon as it is registered; test/security/tenancy.test.ts fails until it has an entry here.
import type { FastifyInstance } from 'fastify'

export interface FamilyFixtures {
  /** An id of one of merchant 1's rows, and one of merchant 2's (the fixtures'). */
  ownedBy: { 1: string, 2: string }
  /** An id no merchant has. */
  missing: string
  /** A valid body for the family's POST/PUT routes. */
  body: Record<string, unknown>
  /** false when no route takes the id in its path (the family's own tests cover its tenancy). */
  idRoutes?: false
}

/** Families with /v1 routes, by module name; merchants has none (Fatora exposes no merchant API). */
export const FAMILY_FIXTURES: Readonly<Record<string, FamilyFixtures>> = {
  clients: { ownedBy: { 1: '1024', 2: '2048' }, missing: '999999', body: { name: 'Taken Over', email: 'taken.over@example.com' } },
  products: { ownedBy: { 1: '669', 2: '2669' }, missing: '999999', body: { name: 'Taken Over', price: 1.5, sku: 'TAKEN-OVER' } },
  // The body's item names merchant 1's product 669: on another merchant's invoice the answer is still the missing id's
  // 404, whichever merchant sends it (the invoice is looked up before its items' products, CONTRACT §7).
  invoices: { ownedBy: { 1: '2075', 2: '4075' }, missing: '999999', body: { amount: 1.5, description: 'Taken Over', items: [{ product_id: 669, qty: 1, amount: 1.5 }] } },
  // No route takes a payment id in its path: verify's tenancy is in test/modules/payments/checkout.test.ts.
  payments: { ownedBy: { 1: '123456789', 2: '204820482048' }, missing: '999', body: { amount: 1, currency: 'QAR', order_id: 'taken-over', client: { name: 'Taken Over' } }, idRoutes: false },
}

export interface V1Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Fastify-style path, e.g. /v1/clients/:client_id. */
  path: string
  tag: string
  /** The path's parameters (`:name`). */
  params: string[]
  operationId: string
}

interface Spec { paths: Record<string, Record<string, { tags?: string[], operationId?: string }>> }

/** Every documented /v1 operation of the app, with its tag (its family). */
export async function v1Operations (app: FastifyInstance): Promise<V1Operation[]> {
  const spec = await app.openapi() as Spec
  const out: V1Operation[] = []
  for (const [path, operations] of Object.entries(spec.paths)) {
    if (!path.startsWith('/v1/') && !path.startsWith('/api/v1/')) continue
    for (const [method, op] of Object.entries(operations)) {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string)
      out.push({
        method: method.toUpperCase() as V1Operation['method'],
        path: path.replace(/\{([^}]+)\}/g, ':$1'),
        tag: op.tags?.[0] ?? '',
        params,
        operationId: op.operationId ?? `${method} ${path}`,
      })
    }
  }
  return out
}
