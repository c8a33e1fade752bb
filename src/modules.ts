// The registry: every API family, in order. Everything that needs "each family" loops over this
// list — database checks, migrations, stores, counts, reset, schemas, OpenAPI tags, routes,
// fixtures, seeding and admin summaries. Adding a family is one line here (see modules/README.md).
// Order matters: a family comes after the ones its tables reference (merchants first).
import { clientsModule } from './modules/clients/index.js'
import { merchantsModule } from './modules/merchants/index.js'

export const modules = [
  merchantsModule,
  clientsModule,
] as const

export type Module = typeof modules[number]
