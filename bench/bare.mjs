// The baseline: a bare node:http server answering every request with the same status and bytes
// fatora-mock sends (BARE_STATUS, BARE_BODY), with the same Content-Type. Node's ceiling.
import { createServer } from 'node:http'

const status = Number(process.env.BARE_STATUS ?? 200)
const body = Buffer.from(process.env.BARE_BODY ?? '{}')
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }
createServer((_req, res) => { res.writeHead(status, headers); res.end(body) })
  .listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
process.on('SIGINT', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
