// Graceful close that never waits on a socket that is not being answered: on close, connections
// with no request in Fastify's hands (fresh, half-sent headers, idle keep-alive) are destroyed at
// once; busy ones finish their reply with "Connection: close", so they end right after it instead
// of idling out the keep-alive timeout. A request whose body is still arriving gets UPLOAD_GRACE_MS
// to finish, then its socket is closed: a stalled upload never holds the shutdown.
// Other listeners that hand their connections to the app's server (HTTPS, http/https.ts) stop
// accepting at the same time, and the close waits for their last connection before the
// database closes.
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Server, Socket } from 'node:net'

const UPLOAD_GRACE_MS = 1000

const listenersOf = new WeakMap<FastifyInstance, Set<Server>>()

/**
 * The response a socket is answering now, if any: Node keeps it on the socket from the request
 * until its answer is finished (then the next pipelined one's). Read there instead of counting
 * requests in and out, which cost two listeners and a closure on every request.
 */
const answering = (socket: Socket): ServerResponse | undefined =>
  (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined

/** A listener whose connections go to app.server ('connection' events): closed with the app. */
export function closeWithApp (app: FastifyInstance, listener: Server): void {
  const listeners = listenersOf.get(app)
  if (listeners === undefined) throw new Error('closeWithApp: registerGracefulClose(app) was not called')
  listeners.add(listener)
}

/**
 * Call it after the onClose hook that closes the database: onClose hooks run last-registered
 * first, so the other listeners' connections are done before the database closes.
 */
export function registerGracefulClose (app: FastifyInstance): void {
  const listeners = new Set<Server>()
  listenersOf.set(app, listeners)
  let listenersClosed: Array<Promise<void>> = []
  const sockets = new Set<Socket>()
  const closeAfterReply = (response: ServerResponse): void => {
    if (!response.headersSent) response.setHeader('connection', 'close')
  }
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  app.addHook('preClose', (done) => {
    listenersClosed = [...listeners].map(async (listener) => await new Promise<void>((resolve) => { listener.close(() => { resolve() }) }))
    // From now on every answer closes its connection, requests already queued on a socket too.
    app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => { closeAfterReply(response) })
    for (const socket of sockets) {
      const response = answering(socket)
      if (response === undefined) socket.destroy()
      else closeAfterReply(response)
    }
    setTimeout(() => {
      for (const socket of sockets) {
        if (answering(socket)?.req.complete === false) socket.destroy()
      }
    }, UPLOAD_GRACE_MS).unref()
    done()
  })
  app.addHook('onClose', async () => { await Promise.all(listenersClosed) })
}
