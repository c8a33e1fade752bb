// 405 with an Allow header (CONTRACT §1) for a known path called with another method — Fastify
// alone answers 404. Routes are collected as they are added; register `methodNotAllowed` last.
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { METHODS as NODE_METHODS } from 'node:http'
import { ApiError } from './errors.js'
import { httpMessages as messages } from './messages.js'

// Every method Node parses (TRACE, PROPFIND, PURGE…), so any of them on a known path is a 405;
// CONNECT never reaches routing (app.ts answers it). The usual ones first, for the Allow header.
const COMMON = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const METHODS: readonly string[] = [...COMMON, ...NODE_METHODS.filter((m) => !COMMON.includes(m) && m !== 'CONNECT')]

/**
 * Starts collecting the routes whose url starts with one of `prefixes` (the API's, not Swagger
 * UI's static files): call before they are registered; returns the final step.
 */
export function collectRoutesForMethodNotAllowed (app: FastifyInstance, prefixes: readonly string[]): () => void {
  for (const m of METHODS) {
    if (!app.supportedMethods.includes(m)) app.addHttpMethod(m, { hasBody: true })
  }
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
        method: others as HTTPMethods[],
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
