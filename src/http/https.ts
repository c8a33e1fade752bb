// The HTTPS listener (CONTRACT §8): a TCP listener on HTTPS_PORT whose connections, wrapped in TLS,
// are handed to the app's own HTTP server, as node:https does with its own. So both listeners
// share everything: routes and state, the timeouts (slowloris), the raw error answers, CONNECT
// and Expect handling, graceful close; and request.protocol is 'https' on these connections,
// so checkout_url built from the request is an https URL.
import type { FastifyInstance } from 'fastify'
import { createServer, type Server } from 'node:net'
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls'
import { ConfigError } from '../config.js'
import { closeWithApp } from './graceful-close.js'
import { httpMessages } from './messages.js'
import { rawErrorResponse } from './raw-errors.js'
import { CertificateError, type Certificate } from './tls.js'

export interface HttpsListener {
  server: Server
  port: number
}

/** Listens with TLS on `port` for `app` (already listening on HTTP); app.close() closes it too. */
export async function listenHttps (app: FastifyInstance, certificate: Certificate, { port, host }: { port: number, host: string }): Promise<HttpsListener> {
  let secureContext: SecureContext
  try {
    secureContext = createSecureContext({ cert: certificate.cert, key: certificate.key })
  } catch (err) {
    // A pair that parses but OpenSSL refuses (a key too weak for its security level, say).
    throw new CertificateError(`${certificate.source === 'given' ? `TLS_CERT=${certificate.path} and TLS_KEY=${certificate.keyPath}` : certificate.path} cannot be used for TLS: ${(err as Error).message}`)
  }
  // Until its handshake is done, nothing written to a connection can reach the client: the raw
  // answer to a client error there (its headers timeout's 408) would wait for a handshake that
  // never comes, so the connection is dropped instead (after clientErrorHandler, which runs first).
  const handshaking = new WeakSet<TLSSocket>()
  app.server.on('clientError', (_err: Error, socket: unknown) => {
    if (socket instanceof TLSSocket && handshaking.has(socket)) socket.destroy()
  })
  const server = createServer((socket) => {
    // Wrapped before the handshake, the socket is the HTTP server's from the start: a client
    // that never completes the handshake meets its headers timeout, and a close drops it at once.
    const secure = new TLSSocket(socket, { isServer: true, secureContext })
    handshaking.add(secure)
    secure.once('secure', () => { handshaking.delete(secure) })
    // OpenSSL recognises plain HTTP on a TLS port: answer it in plain HTTP (as nginx does)
    // rather than with an empty reply.
    secure.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ERR_SSL_HTTP_REQUEST' && socket.writable) socket.end(rawErrorResponse(400, httpMessages.plainHttpOnHttpsPort))
    })
    app.server.emit('connection', secure)
  })
  closeWithApp(app, server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port, host }, () => { server.off('error', reject); resolve() })
  }).catch((err: unknown) => { throw listenError(err as NodeJS.ErrnoException, host, port) })
  const address = server.address()
  return { server, port: typeof address === 'object' && address !== null ? address.port : port }
}

// One line naming HTTPS_PORT (HOST itself worked for the HTTP listener).
function listenError (err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `HOST=${host} HTTPS_PORT=${port}`
  switch (err.code) {
    case 'EADDRINUSE': return new ConfigError(`${where}: the address is already in use (set HTTPS_PORT to a free port)`)
    case 'EACCES': return new ConfigError(`${where}: permission denied (ports below 1024 need privileges; set HTTPS_PORT)`)
  }
  return err
}

const LOOPBACK_OR_ANY = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'])

/**
 * The URL to print: the self-signed certificate names localhost, so a loopback or any-address
 * HOST is shown as https://localhost:<port>, which clients verify; any other HOST as itself.
 */
export function httpsUrl (host: string, port: number): string {
  const name = LOOPBACK_OR_ANY.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return `https://${name}:${port}`
}
