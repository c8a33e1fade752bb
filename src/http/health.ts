// GET /health for container health checks: 200 when the database answers, else the 503 envelope.
// Hidden from the OpenAPI spec: it is ours, not Fatora's.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ApiError } from './errors.js'
import { httpMessages as messages } from './messages.js'

export interface HealthRoutesOptions {
  ping: () => void
}

export const healthRoutes: FastifyPluginCallbackTypebox<HealthRoutesOptions> = (app, { ping }, done) => {
  app.get('/health', {
    schema: {
      hide: true,
      response: { 200: Type.Object({ status: Type.Literal('ok') }) },
    },
  }, () => {
    try {
      ping()
    } catch {
      throw new ApiError(503, messages.storageUnavailable)
    }
    return { status: 'ok' as const }
  })
  done()
}
