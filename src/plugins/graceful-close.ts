// Graceful close that never waits on a socket that is not being answered: on close, connections
// with no request in Fastify's hands (fresh, half-sent headers, idle keep-alive) are destroyed at
// once; busy ones finish their reply, which Fastify sends with "Connection: close".
import type { FastifyInstance } from 'fastify'
import type { Socket } from 'node:net'

export function registerGracefulClose (app: FastifyInstance): void {
  const sockets = new Set<Socket>()
  const busy = new WeakMap<Socket, number>()
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  // Raw server events rather than Fastify hooks: two counter updates per request.
  app.server.on('request', (request, response) => {
    const socket = request.socket
    busy.set(socket, (busy.get(socket) ?? 0) + 1)
    response.once('close', () => busy.set(socket, (busy.get(socket) ?? 1) - 1))
  })
  app.addHook('preClose', (done) => {
    for (const socket of sockets) {
      if ((busy.get(socket) ?? 0) === 0) socket.destroy()
    }
    done()
  })
}
