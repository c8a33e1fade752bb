// Body parsing: JSON keeps Fastify's proto-poisoning protection but treats an empty body as
// none (Fatora's samples send "Content-Type: application/json" with no body, STACK.md); any
// other type is left unparsed so routing answers first (404/405) and the media-type hook 415s.
// A poisoned body is valid JSON, so its 400 says which key is refused rather than "invalid".
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { ApiError } from './errors.js'
import { httpMessages as messages } from './messages.js'

/**
 * Why Fastify's parser refused a body that JSON.parse accepts: a "__proto__" key anywhere, or a
 * "constructor" object holding a "prototype" key (the checks of secure-json-parse, which Fastify
 * runs, in its order: breadth first, __proto__ before constructor in each object). Undefined for
 * a body that is not JSON at all.
 */
function poisonedKeyMessage (text: string): string | undefined {
  let value: unknown
  try {
    // secure-json-parse drops a leading byte-order mark before parsing; so do we.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch {
    return undefined
  }
  let level: unknown[] = [value]
  while (level.length > 0) {
    const next: unknown[] = []
    for (const node of level) {
      if (node === null || typeof node !== 'object') continue
      if (Object.hasOwn(node, '__proto__')) return messages.protoKeyRefused
      const ctor: unknown = Object.hasOwn(node, 'constructor') ? (node as { constructor: unknown }).constructor : undefined
      if (ctor !== null && typeof ctor === 'object' && Object.hasOwn(ctor, 'prototype')) return messages.constructorPrototypeRefused
      for (const child of Object.values(node)) next.push(child)
    }
    level = next
  }
  return undefined
}

export function registerContentParsers (app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Route first (CONTRACT §1 check order): an unknown route is a 404 whatever its body holds.
    if (request.is404) return done(null, undefined)
    const text = body.toString()
    if (text.trim() === '') return done(null, undefined)
    parseJson(request, text, (err, value) => {
      if (err === null) return done(null, value)
      const poisoned = poisonedKeyMessage(text)
      done(poisoned === undefined ? err : new ApiError(400, poisoned), undefined)
    })
  })
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))
}

/**
 * A body on a GET or HEAD is ignored, but read to its end before the answer: a socket closed
 * with request bytes still unread is reset, and the reset cut the client's copy of a large
 * answer short (a 200 whose last 100 KB never arrived). A body that never ends meets the
 * request timeout (408) like any other. True when `raw` has such a body still to read.
 */
export function hasIgnoredBody (raw: IncomingMessage): boolean {
  return (raw.method === 'GET' || raw.method === 'HEAD') && !raw.complete && (raw.headers['content-length'] !== undefined || raw.headers['transfer-encoding'] !== undefined)
}

/** Reads the ignored body of `raw` to its end (or its error or close), then calls `done`. */
export function readIgnoredBody (raw: IncomingMessage, done: () => void): void {
  const finish = (): void => { raw.off('end', finish); raw.off('error', finish); raw.off('close', finish); done() }
  raw.on('end', finish)
  raw.on('error', finish)
  raw.on('close', finish)
  raw.resume()
}
