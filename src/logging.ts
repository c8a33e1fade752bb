// Logger settings: pino at the configured level, one line per request, the api_key and any
// Authorization header never printed, query strings never logged (they may carry secrets).
import { LogController, type FastifyServerOptions } from 'fastify'

/** One "request" line when the reply is sent, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest (): void {}

  override requestCompleted (error: Error | null, request: { method: string, url: string, log: { info: (o: object, m: string) => void, error: (o: object, m: string) => void } }, reply: { statusCode: number, elapsedTime: number }): void {
    const q = request.url.indexOf('?')
    const line = {
      method: request.method,
      path: q === -1 ? request.url : request.url.slice(0, q),
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }
    if (error) request.log.error({ ...line, err: error }, 'request errored')
    else request.log.info(line, 'request')
  }
}

/** Fastify logger options for the server (tests pass `logger: false`). */
export function loggingOptions (level: string): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return {
    logger: {
      level,
      redact: { paths: ['req.headers.api_key', 'req.headers.authorization', 'headers.api_key', 'headers.authorization'], censor: '[redacted]' },
    },
    logController: new OneLinePerRequest(),
  }
}
