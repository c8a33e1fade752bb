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
  const busy = new WeakMap<Socket, number>()
  const inFlight = new Map<ServerResponse, IncomingMessage>()
  let closing = false
  const closeAfterReply = (response: ServerResponse): void => {
    if (!response.headersSent) response.setHeader('connection', 'close')
  }
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  // Raw server events rather than Fastify hooks: a few counter updates per request.
  app.server.on('request', (request, response) => {
    const socket = request.socket
    busy.set(socket, (busy.get(socket) ?? 0) + 1)
    inFlight.set(response, request)
    if (closing) closeAfterReply(response)
    response.once('close', () => {
      busy.set(socket, (busy.get(socket) ?? 1) - 1)
      inFlight.delete(response)
    })
  })
  app.addHook('preClose', (done) => {
    closing = true
    // No new connection on any listener (Fastify closes app.server's own after this hook).
    listenersClosed = [...listeners].map(async (listener) => await new Promise<void>((resolve) => { listener.close(() => { resolve() }) }))
    for (const response of inFlight.keys()) closeAfterReply(response)
    for (const socket of sockets) {
      if ((busy.get(socket) ?? 0) === 0) socket.destroy()
    }
    setTimeout(() => {
      for (const request of inFlight.values()) {
        if (!request.complete) request.socket.destroy()
      }
    }, UPLOAD_GRACE_MS).unref()
    done()
  })
  // app.server's close waits for its own connections only.
  app.addHook('onClose', async () => { await Promise.all(listenersClosed) })
}
