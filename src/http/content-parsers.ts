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
  // A body on a GET or HEAD is ignored, but read to its end before the answer: a socket closed
  // with request bytes still unread is reset, and the reset cut the client's copy of a large
  // answer short (a 200 whose last 100 KB never arrived). A body that never ends meets the
  // request timeout (408) like any other.
  app.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw
    if ((raw.method !== 'GET' && raw.method !== 'HEAD') || raw.complete || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) { done(); return }
    const finish = (): void => { raw.off('end', finish); raw.off('error', finish); raw.off('close', finish); done() }
    raw.on('end', finish)
    raw.on('error', finish)
    raw.on('close', finish)
    raw.resume()
  })
}
