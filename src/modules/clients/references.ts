// What the fixtures schema cannot check about clients: ids unique across all merchants (of every
// file), including the ranges their fake clients will take.
import { rangeProblem, recipeRange, type IdRange } from '../../seed/id-ranges.js'
import type { FixtureMerchant } from '../module.js'
import type { ClientsFixture } from './schema.js'

export function checkClientReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const ranges: IdRange[] = []
  for (const [mi, merchant] of merchants.entries()) {
    const m = merchant as unknown as ClientsFixture
    for (const [ci, c] of m.clients.entries()) ranges.push({ from: c.id, to: c.id, where: `/merchants/${mi}/clients/${ci}/id` })
    ranges.push(...recipeRange(m.fake_clients, `/merchants/${mi}/fake_clients`))
  }
  return rangeProblem(ranges, 'client')
}
