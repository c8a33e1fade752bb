// What the fixtures schema cannot check about clients: ids unique across all merchants (of every
// file), including the ranges their fake clients will take.
import type { FixtureMerchant } from '../module.js'
import type { ClientsFixture } from './schema.js'

export function checkClientReferences (merchants: readonly FixtureMerchant[]): string | undefined {
  const ranges: Array<{ from: number, to: number, where: string }> = []
  for (const [mi, merchant] of merchants.entries()) {
    const m = merchant as unknown as ClientsFixture
    for (const [ci, c] of m.clients.entries()) ranges.push({ from: c.id, to: c.id, where: `/merchants/${mi}/clients/${ci}/id` })
    const fake = m.fake_clients
    if (fake !== undefined && fake.count > 0) {
      ranges.push({ from: fake.first_id, to: fake.first_id + fake.count - 1, where: `/merchants/${mi}/fake_clients` })
    }
  }
  ranges.sort((a, b) => a.from - b.from)
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]
    const cur = ranges[i]
    if (prev !== undefined && cur !== undefined && cur.from <= prev.to) return `${cur.where} overlaps client ids of ${prev.where}`
  }
  return undefined
}
