// Response serialisers (fast-json-stringify, from each route's response schemas) compiled on
// first use instead of at start-up: dozens of routes × statuses are a large share of cold start
// (docs/performance.md), and most are never called in a given run. Same compiler, same output, later.
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Factory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>

const buildDefault = SerializerSelector()

export const lazySerializerFactory: Factory = (externalSchemas, options) => {
  const compile = buildDefault(externalSchemas, options)
  return (routeSchema) => {
    let serialize: ((data: unknown) => string) | undefined
    return (data: unknown) => (serialize ??= compile(routeSchema) as (data: unknown) => string)(data)
  }
}
