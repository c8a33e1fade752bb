// The registry: every API family, in order. Everything that needs "each family" loops over this
// list — database checks, migrations, stores, counts, reset, schemas, OpenAPI tags, routes,
// fixtures, seeding and admin summaries. Adding a family is one line here (see modules/README.md).
// Order matters: a family comes after the ones its tables reference (merchants first).
import type { ModuleStores } from './db/stores.js'
import { clientsModule } from './modules/clients/index.js'
import { invoicesModule } from './modules/invoices/index.js'
import { merchantsModule } from './modules/merchants/index.js'
import { paymentsModule } from './modules/payments/index.js'
import { productsModule } from './modules/products/index.js'

export const modules = [
  merchantsModule,
  clientsModule,
  productsModule,
  paymentsModule,
  invoicesModule,
] as const

// Checked by the compiler: the stores the modules create are exactly the ones their store files
// declare in ModuleStores (a renamed or forgotten store fails the type-check, not a request).
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never
type Created = UnionToIntersection<ReturnType<typeof modules[number]['createStores']>>
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const storesMatchRegistry: Same<Created, ModuleStores> = true
