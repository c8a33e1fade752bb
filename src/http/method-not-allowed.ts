// 405 with an Allow header (CONTRACT §1) for a known path called with another method — Fastify
// alone answers 404. Routes are collected as they are added; a request Fastify found no route
// for is looked up among them (in a router of their own, built on the first such request:
// registering every other method of every path with Fastify made its router several times
// larger and start-up slower).
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify'
import FindMyWay from 'find-my-way'
import { METHODS as NODE_METHODS } from 'node:http'
import { ApiError } from './errors.js'
import { httpMessages, httpMessages as messages } from './messages.js'

// Every method Node parses (TRACE, PROPFIND, PURGE…), so any of them on a known path is a 405;
// CONNECT never reaches routing (app.ts answers it). The usual ones first, for the Allow header.
const COMMON = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const METHODS: readonly string[] = [...COMMON, ...NODE_METHODS.filter((m) => !COMMON.includes(m) && m !== 'CONNECT')]

/** The 405 (or 414) for a request no route matched, or undefined when its path is unknown too (a 404). */
export type MethodNotAllowed = (request: FastifyRequest) => ApiError | undefined

/** Its check, and the step to take once every route is added (before app.ready()). */
export interface MethodNotAllowedCheck {
  check: MethodNotAllowed
  /**
   * Registers, in Fastify's own router, the 405s that another route would otherwise catch: a
   * static path such as /v1/clients/ whose method belongs to a parametric sibling
   * (PUT /v1/clients/:client_id matches it with an empty id).
   */
  registerShadowed: () => void
}

const TOO_LONG = Symbol('a path parameter is too long')

/**
 * Starts collecting the routes whose url starts with one of `prefixes` (the API's, not Swagger
 * UI's static files): call before they are registered. `routerOptions` are the app's, so a path
 * matches here exactly when it would match there.
 */
export function collectRoutesForMethodNotAllowed (app: FastifyInstance, prefixes: readonly string[], routerOptions: { maxParamLength: number }): MethodNotAllowedCheck {
  for (const m of METHODS) {
    if (!app.supportedMethods.includes(m)) app.addHttpMethod(m, { hasBody: true })
  }
  const allowed = new Map<string, Set<string>>()
  let registering = false
  app.addHook('onRoute', (route) => {
    // The 405 routes added below are not methods the path takes.
    if (registering || !prefixes.some((p) => route.url.startsWith(p))) return
    const set = allowed.get(route.url) ?? new Set<string>()
    for (const m of [route.method].flat()) set.add(m)
    allowed.set(route.url, set)
  })
  const allowOf = (set: Set<string>): string => METHODS.filter((m) => set.has(m) || (m === 'HEAD' && set.has('GET'))).join(', ')
  const refuse = (method: string, allow: string): ApiError => new ApiError(405, messages.methodNotAllowed(method, allow), { allow })

  let router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined
  const build = (): FindMyWay.Instance<FindMyWay.HTTPVersion.V1> => {
    // As Fastify's router: a parameter over the limit is a 414, not an unknown path.
    const built = FindMyWay({ maxParamLength: routerOptions.maxParamLength, onMaxParamLength: () => {} })
    for (const [url, set] of allowed) built.on('GET', url, () => {}, { allow: allowOf(set), methods: set })
    return built
  }
  const lookup = (url: string): { allow: string, methods: Set<string> } | typeof TOO_LONG | undefined => {
    router ??= build()
    const q = url.indexOf('?')
    const found = router.find('GET', q === -1 ? url : url.slice(0, q))
    if (found === null) return undefined
    return (found.store as { allow: string, methods: Set<string> } | null) ?? TOO_LONG
  }
  return {
    check (request) {
      const store = lookup(request.url)
      if (store === TOO_LONG) return new ApiError(414, httpMessages.paramTooLong)
      if (store === undefined || store.methods.has(request.method) || (request.method === 'HEAD' && store.methods.has('GET'))) return undefined
      return refuse(request.method, store.allow)
    },
    registerShadowed () {
      registering = true
      // Each method's own routes, as Fastify's router holds them.
      const byMethod = new Map<string, FindMyWay.Instance<FindMyWay.HTTPVersion.V1>>()
      for (const [url, set] of allowed) {
        for (const m of set) {
          let r = byMethod.get(m)
          if (r === undefined) {
            r = FindMyWay({ maxParamLength: routerOptions.maxParamLength })
            byMethod.set(m, r)
          }
          r.on('GET', url, () => {})
        }
      }
      for (const [url, set] of allowed) {
        if (url.includes(':') || url.includes('*')) continue
        const shadowed = [...byMethod].filter(([m, r]) => !set.has(m) && !(m === 'HEAD' && set.has('GET')) && r.find('GET', url) !== null).map(([m]) => m)
        if (shadowed.length === 0) continue
        const allow = allowOf(set)
        app.route({
          method: shadowed as HTTPMethods[],
          url,
          schema: { hide: true },
          // onRequest, so neither auth, media types nor body parsing run first.
          onRequest (request, _reply, done) { done(refuse(request.method, allow)) },
          handler () { throw new Error('unreachable: onRequest always answers 405') },
        })
      }
    },
  }
}
