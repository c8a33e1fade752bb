// Body parsing: JSON keeps Fastify's proto-poisoning protection but treats an empty body as
// none (Fatora's samples send "Content-Type: application/json" with no body, STACK.md); any
// other type is left unparsed so routing answers first (404/405) and the media-type hook 415s.
import type { FastifyInstance } from 'fastify'

export function registerContentParsers (app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Route first (CONTRACT §1 check order): an unknown route is a 404 whatever its body holds.
    if (request.is404) return done(null, undefined)
    const text = body.toString()
    if (text.trim() === '') return done(null, undefined)
    parseJson(request, text, done)
  })
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))
}
