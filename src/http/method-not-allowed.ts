// 405 with an Allow header (CONTRACT §1) for a known path called with another method — Fastify
// alone answers 404. Routes are collected as they are added; a request Fastify found no route
// for is looked up among them (in a router of their own, built on the first such request:
// registering every other method of every path with Fastify made its router several times
// larger and start-up slower).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import FindMyWay from 'find-my-way'
import { METHODS as NODE_METHODS } from 'node:http'
import { ApiError } from './errors.js'
import { httpMessages as messages } from './messages.js'

// Every method Node parses (TRACE, PROPFIND, PURGE…), so any of them on a known path is a 405;
// CONNECT never reaches routing (app.ts answers it). The usual ones first, for the Allow header.
const COMMON = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const METHODS: readonly string[] = [...COMMON, ...NODE_METHODS.filter((m) => !COMMON.includes(m) && m !== 'CONNECT')]

/** The 405 for a request no route matched, or undefined when its path is unknown too (a 404). */
export type MethodNotAllowed = (request: FastifyRequest) => ApiError | undefined

/**
 * Starts collecting the routes whose url starts with one of `prefixes` (the API's, not Swagger
 * UI's static files): call before they are registered. `routerOptions` are the app's, so a path
 * matches here exactly when it would match there.
 */
export function collectRoutesForMethodNotAllowed (app: FastifyInstance, prefixes: readonly string[], routerOptions: { maxParamLength: number }): MethodNotAllowed {
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
  let router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined
  const build = (): FindMyWay.Instance<FindMyWay.HTTPVersion.V1> => {
    const built = FindMyWay({ maxParamLength: routerOptions.maxParamLength })
    for (const [url, set] of allowed) {
      if (set.has('GET')) set.add('HEAD')
      built.on('GET', url, () => {}, { allow: METHODS.filter((m) => set.has(m)).join(', '), methods: set })
    }
    return built
  }
  return function methodNotAllowed (request) {
    router ??= build()
    const q = request.url.indexOf('?')
    const found = router.find('GET', q === -1 ? request.url : request.url.slice(0, q))
    const store = found?.store as { allow: string, methods: Set<string> } | undefined
    if (store === undefined || store.methods.has(request.method)) return undefined
    return new ApiError(405, messages.methodNotAllowed(request.method, store.allow), { allow: store.allow })
  }
}
