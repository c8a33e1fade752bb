// A scope's checks before routing to a handler — api_key, admin token, media types — as plain
// functions run by one onRequest hook in order: each hook Fastify runs costs a step of its hook
// iterator and a callback, and a request passes every check on the happy path.
import type { FastifyRequest, onRequestHookHandler } from 'fastify'

/** A check of the request: the error to answer, or undefined to go on. */
export type Gate = (request: FastifyRequest) => Error | undefined

/** One onRequest hook running `gates` in order; the first refusal answers. */
export function gatesHook (...gates: [Gate, ...Gate[]]): onRequestHookHandler {
  return function runGates (request, _reply, done) {
    for (const gate of gates) {
      const refused = gate(request)
      if (refused !== undefined) return done(refused)
    }
    done()
  }
}
