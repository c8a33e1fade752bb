// The kept pools (pools-data.ts) are exactly what faker draws: a faker upgrade that changes them
// fails here, and `npm run build && node scripts/pools.mjs` writes them again.
import t from 'tap'
import { drawPools, poolsFor } from '../../../src/modules/clients/fake.js'

for (const locale of ['en', 'ar'] as const) {
  t.test(`${locale}: the kept pools are faker's own draws`, async (t) => {
    const kept = poolsFor(locale)
    const drawn = drawPools(locale)
    t.equal(kept.firstNames.length, 2000)
    t.equal(kept.cities.length, 500)
    t.same(kept, drawn)
  })
}
