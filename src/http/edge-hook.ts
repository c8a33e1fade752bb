// The one onRequest hook every request passes, in order: the headers every answer carries, the
// test controls (CONTRACT §5), reading an ignored GET/HEAD body to its end, and for a request no
// route matched, whether its path takes other methods (405) before the 404. One hook instead of
// four: each hook Fastify runs costs a step of its iterator and a callback on every request.
import type { FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify'
import { hasIgnoredBody, readIgnoredBody } from './content-parsers.js'
import type { MethodNotAllowed } from './method-not-allowed.js'

const failed = (err: unknown): boolean => err !== undefined && err !== null

/** `done`, preceded by the 405 check (for a request that matched no route). */
function thenMethodCheck (request: FastifyRequest, methodNotAllowed: MethodNotAllowed, done: HookHandlerDoneFunction): HookHandlerDoneFunction {
  return (err) => {
    if (failed(err)) return done(err)
    const refused = methodNotAllowed(request)
    if (refused === undefined) done()
    else done(refused)
  }
}

export function createEdgeHook (controls: onRequestHookHandler, methodNotAllowed: MethodNotAllowed): onRequestHookHandler {
  return function edge (request, reply, done) {
    // Every answer names its request, so a test can find it in the journal, and tells browsers
    // not to guess its type: set before anything can fail, so errors carry them too.
    reply.header('x-request-id', request.id)
    reply.header('x-content-type-options', 'nosniff')
    // Only a request that matched no route pays for a closure.
    const next = request.is404 ? thenMethodCheck(request, methodNotAllowed, done) : done
    if (!hasIgnoredBody(request.raw)) return controls.call(this, request, reply, next)
    controls.call(this, request, reply, (err) => {
      if (failed(err)) next(err)
      else readIgnoredBody(request.raw, next)
    })
  }
}
