// HTTPS (CONTRACT §8): HTTPS_PORT beside PORT on one app; the self-signed certificate for
// localhost made once beside the database and kept; TLS_CERT/TLS_KEY used as given; bad settings
// and files stop the start with one line; graceful close covers both listeners; and the built
// server as a user runs it, checked with curl --cacert and the path it prints. Every client here
// verifies the certificate (rejectUnauthorized, the printed certificate as its only CA).
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import type { IncomingHttpHeaders } from 'node:http'
import { Agent, request } from 'node:https'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { createConfig, loadConfig, type ConfigInput } from '../src/config.js'
import { startMock } from '../src/index.js'
import { startServer, type StartedServer } from '../src/server.js'
import { CLIENT_1024, DEMO_KEY } from './helper.js'
import { exitWithin, startServer as startChild } from './support/child.js'

t.setTimeout(120_000)

interface Answer { status: number, headers: IncomingHttpHeaders, body: string }

/** One request over HTTPS that trusts `ca` only (and verifies the host name against it). */
async function httpsRequest (url: string, ca: string | undefined, options: { method?: string, headers?: Record<string, string>, body?: string, agent?: Agent, servername?: string } = {}): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      ...(ca === undefined ? {} : { ca }),
      rejectUnauthorized: true,
      agent: options.agent ?? false,
      ...(options.servername === undefined ? {} : { servername: options.servername }),
    }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const fingerprintOf = (pem: string): string =>
  (createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase().match(/../g) ?? []).join(':')

const CLIENT_1024_BODY = { status: 'SUCCESS', client: CLIENT_1024 }
const port = (url: string): number => Number(new URL(url).port)

/** startServer (the real one) on free ports, silent; closed at teardown. */
async function start (t: Test, settings: ConfigInput): Promise<StartedServer> {
  const started = await startServer(createConfig({ PORT: 0, HTTPS_PORT: 0, LOG_LEVEL: 'silent', ...settings }))
  t.teardown(async () => { await started.app.close() })
  return started
}

/** A certificate and key made here, as a user's own would be (valid for localhost). */
async function userPair (options: { cn?: string, notAfterDate?: Date, notBeforeDate?: Date, passphrase?: string } = {}): Promise<{ cert: string, key: string }> {
  const pems = await generate([{ name: 'commonName', value: options.cn ?? 'given.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...(options.notBeforeDate === undefined ? {} : { notBeforeDate: options.notBeforeDate }),
    ...(options.notAfterDate === undefined ? {} : { notAfterDate: options.notAfterDate }),
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

t.test('the self-signed certificate: both listeners, one app, verified on localhost and 127.0.0.1', async (t) => {
  const dir = t.testdir({})
  const started = await start(t, { DB_PATH: join(dir, 'data', 'fatora-mock.db') })
  const certPath = join(dir, 'data', 'tls', 'localhost-cert.pem')
  const keyPath = join(dir, 'data', 'tls', 'localhost-key.pem')
  const httpsPort = started.httpsPort as number
  t.equal(started.httpsUrl, `https://localhost:${httpsPort}`, 'the URL names localhost, which the certificate covers')
  t.not(httpsPort, port(started.url), 'its own port')
  t.same(started.certificate, { path: certPath, pem: readFileSync(certPath, 'utf8'), fingerprint: fingerprintOf(readFileSync(certPath, 'utf8')) }, 'the file beside the database, its PEM and SHA-256 fingerprint')
  const ca = readFileSync(certPath, 'utf8')

  await t.test('the certificate: localhost, 127.0.0.1 and ::1; a server certificate; the key file is 0600', async (t) => {
    const x509 = new X509Certificate(ca)
    t.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
    t.equal(x509.subject, 'CN=localhost\nO=fatora-mock local testing')
    t.equal(x509.ca, false, 'not a CA: browsers refuse a CA certificate as a server\'s')
    t.same(x509.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: TLS server')
    t.ok(new Date(x509.validTo).getTime() - Date.now() > 800 * 86_400_000, `valid until ${x509.validTo}`)
    t.ok(new Date(x509.validFrom).getTime() < Date.now() - 3_600_000, `valid from ${x509.validFrom} (a day back, for clocks behind)`)
    t.equal(statSync(keyPath).mode & 0o777, 0o600, 'the private key is readable by its owner only')
  })

  await t.test('GET /v1/clients/1024 over HTTPS: the full body, on both host names', async (t) => {
    for (const host of ['localhost', '127.0.0.1']) {
      const res = await httpsRequest(`https://${host}:${httpsPort}/v1/clients/1024`, ca, { headers: { api_key: DEMO_KEY } })
      t.equal(res.status, 200, host)
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8', host)
      t.same(JSON.parse(res.body), CLIENT_1024_BODY, host)
    }
  })

  await t.test('the same app: a write over HTTP is read over HTTPS, and the other way round', async (t) => {
    const jane = { name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'jane@example.com', notes: 'VIP' }
    const created = await fetch(`${started.url}/v1/clients`, { method: 'POST', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, body: JSON.stringify(jane) })
    t.equal(created.status, 201)
    const { client } = await created.json() as { client: { id: number } }
    const read = await httpsRequest(`https://localhost:${httpsPort}/v1/clients/${client.id}`, ca, { headers: { api_key: DEMO_KEY } })
    t.equal(read.status, 200)
    t.same(JSON.parse(read.body), { status: 'SUCCESS', client: { id: client.id, ...jane, note: 'VIP' } }, 'created over HTTP, read over HTTPS')
    const deleted = await httpsRequest(`https://localhost:${httpsPort}/v1/clients/${client.id}`, ca, { method: 'DELETE', headers: { api_key: DEMO_KEY } })
    t.equal(deleted.status, 204)
    const gone = await fetch(`${started.url}/v1/clients/${client.id}`, { headers: { api_key: DEMO_KEY } })
    t.equal(gone.status, 404, 'deleted over HTTPS, gone over HTTP')
  })

  await t.test('errors are the same envelope over HTTPS', async (t) => {
    const res = await httpsRequest(`https://localhost:${httpsPort}/v1/clients/1024`, ca)
    t.equal(res.status, 401)
    t.equal(res.body, '{"status":"FAILURE","error":{"error_code":"401","description":"Missing api_key header"}}')
  })

  await t.test('a client that does not trust the certificate, or expects another name, is refused', async (t) => {
    await t.rejects(httpsRequest(`https://localhost:${httpsPort}/health`, undefined), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'the default CAs only: a self-signed certificate')
    await t.rejects(httpsRequest(`https://localhost:${httpsPort}/health`, ca, { servername: 'fatora.example' }), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'another name')
  })

  await t.test('checkout_url over HTTPS is an https URL, and the payment page works there', async (t) => {
    const body = JSON.stringify({ amount: 10, currency: 'QAR', order_id: 'HTTPS-1', client: { name: 'A', email: 'a@example.com', phone: '+974 77777777' }, success_url: 'https://shop.example/ok', failure_url: 'https://shop.example/ko' })
    const res = await httpsRequest(`https://localhost:${httpsPort}/v1/payments/checkout`, ca, { method: 'POST', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, body })
    t.equal(res.status, 200)
    const checkoutUrl = (JSON.parse(res.body) as { result: { checkout_url: string } }).result.checkout_url
    t.match(checkoutUrl, new RegExp(`^https://localhost:${httpsPort}/pay/MCPaymentPage\\?paymentID=[A-Z0-9]+$`))
    const overHttp = await (await fetch(`${started.url}/v1/payments/checkout`, { method: 'POST', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, body: body.replace('HTTPS-1', 'HTTP-1') })).json() as { result: { checkout_url: string } }
    t.match(overHttp.result.checkout_url, new RegExp(`^http://127\\.0\\.0\\.1:${port(started.url)}/pay/MCPaymentPage\\?paymentID=`), 'over HTTP, an http URL')

    const paymentId = new URL(checkoutUrl).searchParams.get('paymentID') as string
    const page = await httpsRequest(checkoutUrl, ca)
    t.equal(page.status, 200)
    t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
    t.match(String(page.headers['content-security-policy']), /; form-action 'self' https:\/\/shop\.example;/, "forms post to 'self' (this HTTPS origin) and the merchant")
    t.match(page.body, `<form method="post" action="/pay/MCPaymentPage?paymentID=${paymentId}" novalidate>`, 'a relative action: it stays on HTTPS')
    const year = String((new Date().getUTCFullYear() + 5) % 100).padStart(2, '0')
    const paid = await httpsRequest(checkoutUrl, ca, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=pay&card_number=4111111111111111&expiry=12%2F${year}&cvv=123&holder_name=Card+Holder` })
    t.equal(paid.status, 303)
    t.equal(paid.headers.location, `/Pay/Success?paymentID=${paymentId}`, 'a relative redirect: it stays on HTTPS')
    const verified = await (await fetch(`${started.url}/v1/payments/verify`, { method: 'POST', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, body: '{"order_id":"HTTPS-1"}' })).json() as { status: string, result: { payment_status: string } }
    t.equal(verified.result.payment_status, 'SUCCESS', 'paid over HTTPS, verified over HTTP')
  })

  await t.test('plain HTTP sent to the HTTPS port gets a plain 400 saying so, not an empty reply', async (t) => {
    const res = await fetch(`http://127.0.0.1:${httpsPort}/v1/clients/1024`, { headers: { api_key: DEMO_KEY } })
    t.equal(res.status, 400)
    t.equal(res.headers.get('connection'), 'close')
    t.equal(await res.text(), '{"status":"FAILURE","error":{"error_code":"400","description":"Plain HTTP sent to the HTTPS port: use https:// on this port"}}')
  })
})

t.test('made once, then kept: the same certificate on the next start, its files untouched', async (t) => {
  const dir = t.testdir({})
  const dbPath = join(dir, 'fatora-mock.db')
  const certPath = join(dir, 'tls', 'localhost-cert.pem')
  const keyPath = join(dir, 'tls', 'localhost-key.pem')
  const first = await startServer(createConfig({ PORT: 0, HTTPS_PORT: 0, LOG_LEVEL: 'silent', DB_PATH: dbPath }))
  await first.app.close()
  const before = { cert: statSync(certPath), key: statSync(keyPath), pem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') }

  const second = await start(t, { DB_PATH: dbPath })
  t.equal(second.certificate?.fingerprint, first.certificate?.fingerprint, 'the same fingerprint')
  t.equal(second.certificate?.path, certPath)
  for (const [name, path, stat, text] of [['certificate', certPath, before.cert, before.pem], ['key', keyPath, before.key, before.keyPem]] as const) {
    const now = statSync(path)
    t.same({ ino: now.ino, mtimeMs: now.mtimeMs }, { ino: stat.ino, mtimeMs: stat.mtimeMs }, `the ${name} file was not rewritten`)
    t.equal(readFileSync(path, 'utf8'), text)
  }
  const res = await httpsRequest(`https://localhost:${second.httpsPort}/v1/clients/1024`, before.pem, { headers: { api_key: DEMO_KEY } })
  t.same(JSON.parse(res.body), CLIENT_1024_BODY, 'a client that trusted it once still connects')
})

t.test('two servers starting at once beside one database make one certificate', async (t) => {
  const dir = t.testdir({})
  const [a, b] = await Promise.all([start(t, { DB_PATH: join(dir, 'a.db') }), start(t, { DB_PATH: join(dir, 'b.db') })])
  t.equal(a.certificate?.fingerprint, b.certificate?.fingerprint)
  t.equal(a.certificate?.fingerprint, fingerprintOf(readFileSync(join(dir, 'tls', 'localhost-cert.pem'), 'utf8')))
})

t.test('an expired kept certificate is moved aside and a new one made', async (t) => {
  const dir = t.testdir({ tls: {} })
  const old = await userPair({ cn: 'localhost', notBeforeDate: new Date('2020-01-01T00:00:00Z'), notAfterDate: new Date('2020-06-01T00:00:00Z') })
  writeFileSync(join(dir, 'tls', 'localhost-cert.pem'), old.cert)
  writeFileSync(join(dir, 'tls', 'localhost-key.pem'), old.key, { mode: 0o600 })
  const started = await start(t, { DB_PATH: join(dir, 'fatora-mock.db') })
  t.not(started.certificate?.fingerprint, fingerprintOf(old.cert), 'a new certificate')
  t.equal(readFileSync(join(dir, 'tls-expired-2020-06-01', 'localhost-cert.pem'), 'utf8'), old.cert, 'the old one kept, moved aside')
  t.equal(readFileSync(join(dir, 'tls-expired-2020-06-01', 'localhost-key.pem'), 'utf8'), old.key)
  const res = await httpsRequest(`https://localhost:${started.httpsPort}/health`, readFileSync(join(dir, 'tls', 'localhost-cert.pem'), 'utf8'))
  t.equal(res.status, 200)
})

t.test('DB_PATH=:memory: keeps the certificate in a directory of this user\'s under the temporary directory', async (t) => {
  const mock = await startMock({ httpsPort: 0 })
  t.teardown(mock.close)
  const uid = process.getuid?.()
  const expected = join(tmpdir(), uid === undefined ? 'fatora-mock' : `fatora-mock-${uid}`, 'tls', 'localhost-cert.pem')
  t.equal(mock.certificate?.path, expected)
  if (uid !== undefined) t.equal(statSync(join(tmpdir(), `fatora-mock-${uid}`)).mode & 0o777, 0o700, 'the directory is private')
  t.equal(mock.httpsUrl, `https://127.0.0.1:${mock.httpsPort}`, 'the host of mock.url')
  t.equal(mock.url, `http://127.0.0.1:${mock.port}`)
  const res = await httpsRequest(`${mock.httpsUrl}/v1/clients/1024`, mock.certificate?.pem as string, { headers: { api_key: mock.apiKey } })
  t.same(JSON.parse(res.body), CLIENT_1024_BODY)
})

t.test('startMock: no httpsPort, no HTTPS', async (t) => {
  const mock = await startMock()
  t.teardown(mock.close)
  t.same({ httpsUrl: mock.httpsUrl, httpsPort: mock.httpsPort, certificate: mock.certificate }, { httpsUrl: undefined, httpsPort: undefined, certificate: undefined })
})

t.test('TLS_CERT and TLS_KEY are used as given; no certificate is made', async (t) => {
  const pair = await userPair()
  const dir = t.testdir({ 'cert.pem': pair.cert, 'key.pem': pair.key })
  const mock = await startMock({ httpsPort: 0, dbPath: join(dir, 'fatora-mock.db'), tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') })
  t.teardown(mock.close)
  t.same(mock.certificate, { path: join(dir, 'cert.pem'), pem: pair.cert, fingerprint: fingerprintOf(pair.cert) })
  t.notOk(existsSync(join(dir, 'tls')), 'no tls/ directory beside the database')
  const res = await httpsRequest(`https://localhost:${mock.httpsPort}/v1/clients/1024`, pair.cert, { headers: { api_key: DEMO_KEY } })
  t.same(JSON.parse(res.body), CLIENT_1024_BODY)
  const peer = await new Promise<string>((resolve, reject) => {
    request(`https://localhost:${mock.httpsPort}/health`, { ca: pair.cert, agent: false }, (res) => {
      resolve((res.socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN as string)
      res.resume()
    }).on('error', reject).end()
  })
  t.equal(peer, 'given.test', 'the server presents the given certificate')
})

t.test('HOST=0.0.0.0: the URL shown is https://localhost:<port>, and it answers there', async (t) => {
  const dir = t.testdir({})
  const started = await start(t, { HOST: '0.0.0.0', DB_PATH: join(dir, 'fatora-mock.db') })
  t.equal(started.httpsUrl, `https://localhost:${started.httpsPort}`)
  const res = await httpsRequest(`${started.httpsUrl}/health`, started.certificate?.pem as string)
  t.equal(res.status, 200)
})

t.test('bad settings: one line naming the variables', async (t) => {
  const env: Array<[Record<string, string>, string]> = [
    [{ HTTPS_PORT: '65536' }, 'Invalid environment variable HTTPS_PORT="65536": expected an integer from 0 to 65535'],
    [{ HTTPS_PORT: '-1' }, 'Invalid environment variable HTTPS_PORT="-1": expected an integer from 0 to 65535'],
    [{ HTTPS_PORT: 'https' }, 'Invalid environment variable HTTPS_PORT="https": expected an integer from 0 to 65535'],
    [{ HTTPS_PORT: '3443 ' }, 'Invalid environment variable HTTPS_PORT="3443 ": expected an integer from 0 to 65535'],
    [{ HTTPS_PORT: '0x10' }, 'Invalid environment variable HTTPS_PORT="0x10": expected an integer from 0 to 65535'],
    [{ HTTPS_PORT: '3000' }, 'Invalid environment variable HTTPS_PORT="3000": expected a port other than PORT (3000), which serves HTTP'],
    [{ HTTPS_PORT: '8080', PORT: '8080' }, 'Invalid environment variable HTTPS_PORT="8080": expected a port other than PORT (8080), which serves HTTP'],
    [{ HTTPS_PORT: '3443', TLS_CERT: 'cert.pem' }, 'Invalid environment variables TLS_CERT and TLS_KEY: set both (a certificate and its private key) or neither; only TLS_CERT is set'],
    [{ HTTPS_PORT: '3443', TLS_KEY: 'key.pem' }, 'Invalid environment variables TLS_CERT and TLS_KEY: set both (a certificate and its private key) or neither; only TLS_KEY is set'],
    [{ HTTPS_PORT: '3443', TLS_CERT: '', TLS_KEY: 'key.pem' }, 'Invalid environment variables TLS_CERT and TLS_KEY: set both (a certificate and its private key) or neither; only TLS_KEY is set'],
    [{ TLS_CERT: 'cert.pem', TLS_KEY: 'key.pem' }, 'Invalid environment variables TLS_CERT and TLS_KEY: they are for the HTTPS listener, but HTTPS_PORT is not set (e.g. HTTPS_PORT=3443)'],
  ]
  for (const [vars, message] of env) t.throws(() => loadConfig(vars), { name: 'ConfigError', message }, JSON.stringify(vars))
  const options: Array<[ConfigInput, string]> = [
    [{ HTTPS_PORT: 1.5 }, 'Invalid option HTTPS_PORT=1.5: expected an integer from 0 to 65535'],
    [{ HTTPS_PORT: 3000 }, 'Invalid option HTTPS_PORT=3000: expected a port other than PORT (3000), which serves HTTP'],
    [{ HTTPS_PORT: 0, TLS_KEY: 'key.pem' }, 'Invalid options TLS_CERT and TLS_KEY: set both (a certificate and its private key) or neither; only TLS_KEY is set'],
    [{ TLS_CERT: '', TLS_KEY: 'key.pem', HTTPS_PORT: 0 }, 'Invalid option TLS_CERT="": expected a non-empty file path'],
  ]
  for (const [values, message] of options) t.throws(() => createConfig(values), { name: 'ConfigError', message }, JSON.stringify(values))
  t.same(loadConfig({ HTTPS_PORT: '0', PORT: '0' }).HTTPS_PORT, 0, 'both 0: a free port each')
  t.same(loadConfig({ HTTPS_PORT: '3443', TLS_CERT: '/c.pem', TLS_KEY: '/k.pem' }), { ...loadConfig({}), HTTPS_PORT: 3443, TLS_CERT: '/c.pem', TLS_KEY: '/k.pem' })
})

t.test('bad certificate files: one line naming the variable and the file; nothing is created', async (t) => {
  const pair = await userPair()
  const other = await userPair()
  const encrypted = await userPair({ passphrase: 'secret-passphrase' })
  const dir = t.testdir({ 'cert.pem': pair.cert, 'key.pem': pair.key, 'other-key.pem': other.key, 'garbage.pem': 'hello\n', 'encrypted-key.pem': encrypted.key, 'truncated.pem': pair.cert.slice(0, 200), sub: {} })
  const at = (file: string): string => join(dir, file)
  const cases: Array<[string, string, string, string]> = [
    ['missing certificate', at('none.pem'), at('key.pem'), `TLS_CERT=${at('none.pem')}: no such file`],
    ['missing key', at('cert.pem'), at('none.pem'), `TLS_KEY=${at('none.pem')}: no such file`],
    ['a directory', at('sub'), at('key.pem'), `TLS_CERT=${at('sub')}: a directory, not a file`],
    ['garbage certificate', at('garbage.pem'), at('key.pem'), `TLS_CERT=${at('garbage.pem')}: not a PEM certificate (-----BEGIN CERTIFICATE-----)`],
    ['truncated certificate', at('truncated.pem'), at('key.pem'), `TLS_CERT=${at('truncated.pem')}: not a PEM certificate (-----BEGIN CERTIFICATE-----)`],
    ['the key as the certificate', at('key.pem'), at('key.pem'), `TLS_CERT=${at('key.pem')}: not a PEM certificate (-----BEGIN CERTIFICATE-----)`],
    ['garbage key', at('cert.pem'), at('garbage.pem'), `TLS_KEY=${at('garbage.pem')}: not a PEM private key (-----BEGIN PRIVATE KEY-----)`],
    ['the certificate as the key', at('cert.pem'), at('cert.pem'), `TLS_KEY=${at('cert.pem')}: not a PEM private key (-----BEGIN PRIVATE KEY-----)`],
    ['an encrypted key', at('cert.pem'), at('encrypted-key.pem'), `TLS_KEY=${at('encrypted-key.pem')}: an encrypted private key; give it without a passphrase`],
    ['another certificate\'s key', at('cert.pem'), at('other-key.pem'), `TLS_KEY=${at('other-key.pem')} is not the private key of TLS_CERT=${at('cert.pem')}`],
  ]
  for (const [name, cert, key, message] of cases) {
    const dbPath = join(dir, `${name.replace(/\W+/g, '-')}.db`)
    await t.rejects(startServer(createConfig({ PORT: 0, HTTPS_PORT: 0, LOG_LEVEL: 'silent', DB_PATH: dbPath, TLS_CERT: cert, TLS_KEY: key })), { name: 'CertificateError', message }, name)
    t.notOk(existsSync(dbPath), `${name}: no database was created`)
  }
  if (process.getuid?.() === 0) {
    t.comment('running as root: a file without read permission is still readable, case skipped')
  } else {
    writeFileSync(at('locked.pem'), pair.cert)
    chmodSync(at('locked.pem'), 0o000)
    await t.rejects(startServer(createConfig({ PORT: 0, HTTPS_PORT: 0, LOG_LEVEL: 'silent', DB_PATH: ':memory:', TLS_CERT: at('locked.pem'), TLS_KEY: at('key.pem') })), { message: `TLS_CERT=${at('locked.pem')}: permission denied` })
  }
})

t.test('a kept self-signed pair that cannot be used stops the start and is left as it is', async (t) => {
  const dir = t.testdir({ garbage: { tls: { 'localhost-cert.pem': 'hello\n', 'localhost-key.pem': 'world\n' } }, lonely: { tls: { 'localhost-cert.pem': 'hello\n' } } })
  const tls = join(dir, 'garbage', 'tls')
  await t.rejects(start(t, { DB_PATH: join(dir, 'garbage', 'fatora-mock.db') }), {
    name: 'CertificateError',
    message: `${join(tls, 'localhost-cert.pem')}: not a PEM certificate (-----BEGIN CERTIFICATE-----); delete ${tls} to make a new certificate, or set TLS_CERT and TLS_KEY`,
  })
  t.equal(readFileSync(join(tls, 'localhost-cert.pem'), 'utf8'), 'hello\n', 'not overwritten')
  t.equal(readFileSync(join(tls, 'localhost-key.pem'), 'utf8'), 'world\n', 'not overwritten')
  const lonely = join(dir, 'lonely', 'tls')
  await t.rejects(start(t, { DB_PATH: join(dir, 'lonely', 'fatora-mock.db') }), {
    name: 'CertificateError',
    message: `${lonely} holds localhost-cert.pem without localhost-key.pem; delete ${lonely} to make a new certificate, or set TLS_CERT and TLS_KEY`,
  })
})

t.test('a kept pair is trusted only if no one else could have put it there (a shared directory such as /tmp)', async (t) => {
  // A valid pair, made once by a first start, then copied into each case's tls/.
  const dir = t.testdir({})
  await start(t, { DB_PATH: join(dir, 'first.db') })
  const cert = readFileSync(join(dir, 'tls', 'localhost-cert.pem'), 'utf8')
  const key = readFileSync(join(dir, 'tls', 'localhost-key.pem'), 'utf8')
  const plant = (name: string, keyMode = 0o600, dirMode = 0o755): string => {
    const tls = join(dir, name, 'tls')
    mkdirSync(tls, { recursive: true })
    writeFileSync(join(tls, 'localhost-cert.pem'), cert)
    writeFileSync(join(tls, 'localhost-key.pem'), key, { mode: keyMode })
    chmodSync(join(tls, 'localhost-key.pem'), keyMode)
    chmodSync(tls, dirMode)
    return tls
  }
  const fix = (tls: string): string => `; delete ${tls} to make a new certificate, or set TLS_CERT and TLS_KEY`
  const cases: Array<[string, () => string, (tls: string) => string]> = [
    ['a key others can read', () => plant('readable', 0o644), (tls) => `${join(tls, 'localhost-key.pem')} can be read by other users (mode 644); chmod 600 it${fix(tls)}`],
    ['a directory others can write', () => plant('writable', 0o600, 0o777), (tls) => `${tls} is not a directory only this user can write (owner, symlink or mode 777); refusing to trust the certificate in it${fix(tls)}`],
    ['a key that is a symlink', () => {
      const tls = plant('linked')
      writeFileSync(join(dir, 'elsewhere-key.pem'), key, { mode: 0o600 })
      rmSync(join(tls, 'localhost-key.pem'))
      symlinkSync(join(dir, 'elsewhere-key.pem'), join(tls, 'localhost-key.pem'))
      return tls
    }, (tls) => `${join(tls, 'localhost-key.pem')} is not a file of this user's (a symlink or another owner); refusing to trust it${fix(tls)}`],
  ]
  if (process.getuid?.() === 0) {
    // Root can give files away: a pair another user planted.
    cases.push(['a pair another user owns', () => {
      const tls = plant('planted')
      for (const f of [tls, join(tls, 'localhost-cert.pem'), join(tls, 'localhost-key.pem')]) chownSync(f, 4242, 4242)
      return tls
    }, (tls) => `${tls} is not a directory only this user can write (owner, symlink or mode 755); refusing to trust the certificate in it${fix(tls)}`])
  }
  for (const [name, setup, message] of cases) {
    const tls = setup()
    const dbPath = join(tls, '..', 'fatora-mock.db')
    await t.rejects(start(t, { DB_PATH: dbPath }), { name: 'CertificateError', message: message(tls) }, name)
    t.notOk(existsSync(dbPath), `${name}: nothing started, no database`)
    t.equal(readFileSync(join(tls, 'localhost-cert.pem'), 'utf8'), cert, `${name}: left as it is`)
  }
  // The same pair, kept as the server keeps it, is trusted.
  const ok = plant('ok')
  const reused = await start(t, { DB_PATH: join(ok, '..', 'fatora-mock.db') })
  t.equal(reused.certificate?.path, join(ok, 'localhost-cert.pem'), 'a pair of this user\'s, key 0600, directory 0755: reused')
})

t.test('HTTPS_PORT in use: one line naming it, and the HTTP listener is closed again', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { blocker.close() })
  const taken = (blocker.address() as { port: number }).port
  const free = createServer()
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
  const httpPort = (free.address() as { port: number }).port
  await new Promise<void>((resolve) => free.close(() => { resolve() }))
  const dir = t.testdir({})
  await t.rejects(startServer(createConfig({ PORT: httpPort, HTTPS_PORT: taken, LOG_LEVEL: 'silent', DB_PATH: join(dir, 'fatora-mock.db') })), {
    name: 'ConfigError',
    message: `HOST=127.0.0.1 HTTPS_PORT=${taken}: the address is already in use (set HTTPS_PORT to a free port)`,
  })
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(httpPort, '127.0.0.1', () => { socket.destroy(); resolve('connected') })
    socket.on('error', (err: NodeJS.ErrnoException) => { resolve(err.code ?? '') })
  })
  t.equal(refused, 'ECONNREFUSED', 'nothing listens on PORT after the failed start')
})

t.test('graceful close covers both listeners: idle, half-open and busy HTTPS connections', async (t) => {
  const dir = t.testdir({})
  const started = await startServer(createConfig({ PORT: 0, HTTPS_PORT: 0, LOG_LEVEL: 'silent', DB_PATH: join(dir, 'fatora-mock.db') }))
  const ca = started.certificate?.pem as string
  const httpsPort = started.httpsPort as number
  // An idle kept-alive connection…
  const agent = new Agent({ keepAlive: true, ca })
  t.teardown(() => { agent.destroy() })
  const warm = await httpsRequest(`https://localhost:${httpsPort}/health`, ca, { agent })
  t.equal(warm.status, 200)
  // …one that never starts its TLS handshake…
  const halfOpen = connect(httpsPort, '127.0.0.1')
  const halfOpenClosed = new Promise<void>((resolve) => halfOpen.on('close', () => { resolve() }))
  halfOpen.on('error', () => {})
  await new Promise<void>((resolve) => halfOpen.on('connect', () => { resolve() }))
  // …a request still being answered (its delay ends when the close starts)…
  const busy = httpsRequest(`https://localhost:${httpsPort}/v1/clients/1024`, ca, { headers: { api_key: DEMO_KEY, prefer: 'delay=30000' } })
  // …and one whose body is still on its way when the close starts: it reaches the database after
  // the HTTP listener has closed, so the database must wait for the HTTPS listener.
  const body = '{"name":"Uploaded During Close"}'
  const upload = new Promise<Answer>((resolve, reject) => {
    const req = request(`https://localhost:${httpsPort}/v1/clients`, { method: 'POST', ca, agent: false, headers: { api_key: DEMO_KEY, 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }) })
    })
    req.on('error', reject)
    req.write(body.slice(0, 10))
    // The rest goes after the close has started (below), well within the close's upload grace.
    setTimeout(() => { req.end(body.slice(10)) }, 300)
  })
  await new Promise((resolve) => setTimeout(resolve, 150))

  await started.app.close()
  const answer = await busy
  t.equal(answer.status, 200, 'the busy request is answered, from the open database')
  t.equal(answer.headers.connection, 'close')
  t.same(JSON.parse(answer.body), CLIENT_1024_BODY)
  const uploaded = await upload
  t.equal(uploaded.status, 201, 'the upload finished during the close is stored: the database was still open')
  t.match(JSON.parse(uploaded.body), { status: 'SUCCESS', client: { name: 'Uploaded During Close' } })
  await halfOpenClosed
  t.pass('the half-open connection was closed')
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(httpsPort, '127.0.0.1', () => { socket.destroy(); resolve('connected') })
    socket.on('error', (err: NodeJS.ErrnoException) => { resolve(err.code ?? '') })
  })
  t.equal(refused, 'ECONNREFUSED', 'the HTTPS port is closed')
  t.notOk(process.getActiveResourcesInfo().includes('TCPServerWrap'), 'no listening socket is left open')
})

t.test('a handshake that never comes is dropped after HEADERS_TIMEOUT_MS', async (t) => {
  const dir = t.testdir({})
  const started = await start(t, { DB_PATH: join(dir, 'fatora-mock.db'), HEADERS_TIMEOUT_MS: 1000 })
  const socket = connect(started.httpsPort as number, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise<void>((resolve) => socket.on('close', () => { resolve() }))
  t.pass('closed by the server')
})

t.test('the built server as a user runs it: prints the path and fingerprint; curl --cacert <path> works', async (t) => {
  const dir = t.testdir({})
  const child = startChild(t, { DB_PATH: join(dir, 'data', 'fatora-mock.db'), HTTPS_PORT: '0' }, 30_000)
  await child.ready
  while (!child.stdout().includes('"msg":"HTTPS listening at ')) {
    if (!child.running()) throw new Error(`exited: ${child.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const lines = child.stdout().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
  const certPath = join(dir, 'data', 'tls', 'localhost-cert.pem')
  const fingerprint = fingerprintOf(readFileSync(certPath, 'utf8'))
  const made = lines.find((l) => String(l.msg).startsWith('made a self-signed certificate'))
  t.match(made?.msg, 'made a self-signed certificate for localhost, 127.0.0.1 and ::1, valid until ')
  t.match(made?.msg, `: ${certPath} (its key: ${join(dir, 'data', 'tls', 'localhost-key.pem')}). Trust it once, e.g. curl --cacert ${certPath}`)
  const listening = lines.find((l) => String(l.msg).startsWith('HTTPS listening at '))
  const url = String(listening?.url)
  t.match(url, /^https:\/\/localhost:\d+$/)
  t.same({ msg: listening?.msg, certificate: listening?.certificate, fingerprint: listening?.fingerprint }, {
    msg: `HTTPS listening at ${url} with certificate ${certPath} (SHA-256 ${fingerprint})`,
    certificate: certPath,
    fingerprint,
  })
  const curl = await new Promise<{ code: number, stdout: string, stderr: string }>((resolve) => {
    execFile('curl', ['-sS', '--cacert', certPath, `${url}/v1/clients/1024`, '-H', `api_key: ${DEMO_KEY}`], (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : Number((err as { code?: number }).code), stdout, stderr })
    })
  })
  t.same(curl, { code: 0, stdout: JSON.stringify(CLIENT_1024_BODY), stderr: '' }, 'curl verifies the certificate and gets the client')
  child.kill('SIGTERM')
  const exit = await exitWithin(child, 5000)
  t.same({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'SIGTERM: both listeners closed, exit 0')
  t.equal(child.stderr(), '', 'nothing on stderr')
})

t.test('the built server refuses bad HTTPS settings with one line and exit code 1', async (t) => {
  const dir = t.testdir({ 'garbage.pem': 'hello\n', 'key.pem': 'x' })
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: '3000', HTTPS_PORT: '3000' }, 'Invalid environment variable HTTPS_PORT="3000": expected a port other than PORT (3000), which serves HTTP'],
    [{ HTTPS_PORT: '0', TLS_CERT: join(dir, 'garbage.pem'), TLS_KEY: join(dir, 'key.pem') }, `TLS_CERT=${join(dir, 'garbage.pem')}: not a PEM certificate (-----BEGIN CERTIFICATE-----)`],
  ]
  const children = cases.map(([vars]) => startChild(t, { DB_PATH: join(dir, 'fatora-mock.db'), ...vars }, 20_000))
  for (const [i, [vars, message]] of cases.entries()) {
    const child = children[i] as ReturnType<typeof startChild>
    const exit = await exitWithin(child, 15_000)
    t.equal(exit.code, 1, JSON.stringify(vars))
    t.equal(child.stderr(), `fatora-mock: ${message}\n`, 'one line, no stack trace')
  }
  t.notOk(existsSync(join(dir, 'fatora-mock.db')), 'no database was created')
})
