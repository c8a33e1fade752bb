// What a new database is filled with: the fixtures (unless SEED_FIXTURES=false), then
// SEED_CLIENTS fake clients for the demo merchant (CONTRACT §3). The seeding code (faker, fixture
// validation) is slow to load, so only a start that creates a database loads it.
import { existsSync } from 'node:fs'
import type { Config } from '../config.js'
import { DatabaseFileError, type Db } from '../db/open.js'
import { createStores } from '../db/stores.js'

export type InitialDataConfig = Pick<Config, 'DB_PATH' | 'SEED_FIXTURES' | 'FIXTURES_DIR' | 'SEED_CLIENTS' | 'SEED' | 'SEED_LOCALE'>

/** The onCreate for openDatabase; an existing file never reaches it (it is used as it is). */
export async function loadSeeder (config: InitialDataConfig): Promise<(db: Db) => void> {
  if (config.DB_PATH !== ':memory:' && existsSync(config.DB_PATH)) {
    return () => { throw new DatabaseFileError(`${config.DB_PATH} disappeared while starting; start again`) }
  }
  const [{ loadFixturesDir }, { seedFixtures }, { seedClients }, { resolveMerchant }] = await Promise.all([
    import('./fixtures.js'), import('./seed.js'), import('../modules/clients/seed.js'), import('../modules/merchants/service.js'),
  ])
  return (fresh) => {
    const stores = createStores(fresh)
    if (config.SEED_FIXTURES) seedFixtures(stores, loadFixturesDir(config.FIXTURES_DIR))
    if (config.SEED_CLIENTS > 0) {
      const merchant = resolveMerchant(stores, {})
      seedClients(stores, { merchantId: merchant.id, count: config.SEED_CLIENTS, seed: config.SEED, locale: config.SEED_LOCALE })
    }
  }
}
