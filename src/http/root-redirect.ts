// GET / (and HEAD /): a person who opens the base URL in a browser lands on Swagger UI (CONTRACT
// §8). A 302 with an empty body: a redirect is not an error, so no envelope. Not an API route:
// hidden from the OpenAPI document. Below PUBLIC_URL's path, like the hosted pages' links, when
// a proxy serves the mock under a path.
import type { FastifyInstance } from 'fastify'

// Where registerOpenApi (openapi.ts) serves Swagger UI.
const DOCUMENTATION_PATH = '/documentation'

export interface RootRedirectOptions {
  publicUrl: string | undefined
}

export async function rootRedirect (app: FastifyInstance, { publicUrl }: RootRedirectOptions): Promise<void> {
  const prefix = publicUrl === undefined ? '' : new URL(publicUrl).pathname.replace(/\/+$/, '')
  const location = `${prefix}${DOCUMENTATION_PATH}`
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    // The router also hands the asterisk-form target (`GET * HTTP/1.1`) to '/': not the root.
    // (An absolute-form target, `GET http://host/`, is the root: HTTP/1.1 servers accept it.)
    if (request.raw.url === '*') return reply.callNotFound()
    return await reply.redirect(location, 302)
  })
}
