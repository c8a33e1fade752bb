// x-request-id: the caller's when it is a sane token, else a fresh id in UUID form. A random
// UUID per request costs a CSPRNG draw and a hex encoding; an id needs only to be unique, so
// each app draws one random UUID and counts in its last 48 bits (still a well-formed version 4
// UUID, distinct from every other app's and every restart's).
import { randomBytes, randomUUID } from 'node:crypto'

const CALLER_ID = /^[\x21-\x7e]{1,200}$/
const COUNTER_SPAN = 2 ** 48

/** A request-id generator for one app (Fastify's genReqId). */
export function createRequestIds (): (req: { headers: Record<string, string | string[] | undefined> }) => string {
  const prefix = randomUUID().slice(0, 24)
  let counter = randomBytes(6).readUIntBE(0, 6)
  return function genReqId (req) {
    const given = req.headers['x-request-id']
    if (typeof given === 'string' && CALLER_ID.test(given)) return given
    counter = counter + 1 === COUNTER_SPAN ? 0 : counter + 1
    return prefix + counter.toString(16).padStart(12, '0')
  }
}
