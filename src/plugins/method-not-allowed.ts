// 405 with an Allow header (CONTRACT §1) for a known path called with another method — Fastify
// alone answers 404. Routes are collected as they are added; register `methodNotAllowed` last.
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { ApiError, messages } from '../errors.js'

const METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * Starts collecting the routes whose url starts with one of `prefixes` (the API's, not Swagger
 * UI's static files): call before they are registered; returns the final step.
 */
export function collectRoutesForMethodNotAllowed (app: FastifyInstance, prefixes: readonly string[]): () => void {
  const allowed = new Map<string, Set<string>>()
  app.addHook('onRoute', (route) => {
    if (!prefixes.some((p) => route.url.startsWith(p))) return
    const set = allowed.get(route.url) ?? new Set<string>()
    for (const m of [route.method].flat()) set.add(m)
    allowed.set(route.url, set)
  })
  return function registerMethodNotAllowed () {
    for (const [url, set] of allowed) {
      if (set.has('GET')) set.add('HEAD')
      const allow = METHODS.filter((m) => set.has(m)).join(', ')
      const others = METHODS.filter((m) => !set.has(m))
      if (others.length === 0) continue
      app.route({
        method: [...others],
        url,
        schema: { hide: true },
        // onRequest, so neither auth, media types nor body parsing run first.
        onRequest (request, _reply, done) {
          done(new ApiError(405, messages.methodNotAllowed(request.method, allow), { allow }))
        },
        handler () { throw new Error('unreachable: onRequest always answers 405') },
      })
    }
  }
}
