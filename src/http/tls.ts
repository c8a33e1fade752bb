// The HTTPS listener's certificate (CONTRACT §8): TLS_CERT and TLS_KEY when given; otherwise a
// self-signed certificate for localhost, 127.0.0.1 and ::1, made at the first start and kept in
// tls/ beside the database, so a client is told to trust it once (curl --cacert, NODE_EXTRA_CA_CERTS).
// Files are never overwritten: an expired certificate is moved aside before a new one is made,
// and anything unusable stops the start with one line saying what to do.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ConfigError, type Config } from '../config.js'

export const CERT_FILE = 'localhost-cert.pem'
export const KEY_FILE = 'localhost-key.pem'

const DAY_MS = 86_400_000
// The longest validity Apple's platforms accept for any TLS server certificate, even a
// user-trusted one; a new one is made when less than a day is left.
const VALID_DAYS = 825

export interface Certificate {
  /** PEM: the certificate (with any chain after it) and its private key. */
  cert: string
  key: string
  /** The certificate's file: what a client trusts (curl --cacert). */
  path: string
  keyPath: string
  /** SHA-256 of the (first) certificate, AB:CD:… as browsers and `openssl x509 -fingerprint -sha256` show it. */
  fingerprint: string
  validTo: Date
  /** given: TLS_CERT/TLS_KEY; created: self-signed at this start; reused: self-signed at an earlier one. */
  source: 'given' | 'created' | 'reused'
}

export interface Notice { level: 'info' | 'warn', message: string }

/** A certificate or key file that cannot be used: its one line names the variable or the file. */
export class CertificateError extends ConfigError {
  override name = 'CertificateError'
}

/**
 * Where the self-signed certificate lives: tls/ beside the database file; for DB_PATH=:memory:,
 * a directory of this user's in the system's temporary directory (it lasts until the next reboot
 * instead of littering the working directory).
 */
export function certificateDir (dbPath: string): string {
  // Absolute: the path printed at start works from any directory (npm start runs in the package's).
  return dbPath === ':memory:' ? join(privateTempDir(), 'tls') : join(dirname(resolve(dbPath)), 'tls')
}

function privateTempDir (): string {
  const uid = process.getuid?.()
  const dir = join(tmpdir(), uid === undefined ? 'fatora-mock' : `fatora-mock-${uid}`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new CertificateError(`${dir} cannot be created (${reason(err)}); set TLS_CERT and TLS_KEY, or a DB_PATH file (the certificate is kept beside it)`)
  }
  // A shared /tmp: only a directory of our own may hold the key our clients trust.
  const stat = lstatSync(dir)
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) {
    throw new CertificateError(`${dir} is not a directory of this user's; refusing to keep a private key there (set TLS_CERT and TLS_KEY, or a DB_PATH file)`)
  }
  return dir
}

/** The HTTPS certificate for this config (HTTPS_PORT is set): given, kept or made now. */
export async function loadCertificate (config: Config, notices: Notice[] = []): Promise<Certificate> {
  if (config.TLS_CERT !== undefined && config.TLS_KEY !== undefined) return given(resolve(config.TLS_CERT), resolve(config.TLS_KEY), notices)
  return await selfSigned(certificateDir(config.DB_PATH), notices)
}

function reason (err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'no such file'
    case 'EACCES': case 'EPERM': return 'permission denied'
    case 'EISDIR': return 'a directory, not a file'
  }
  return (err as Error).message
}

const isoDay = (date: Date): string => date.toISOString().slice(0, 10)

interface Parsed { x509: X509Certificate, key: KeyObject, cert: string, keyPem: string }

/** Reads and checks a pair; `label` names each file in the messages ("TLS_CERT=…" or a path). */
function parsePair (certPath: string, keyPath: string, label: (which: 'cert' | 'key') => string, fix: string): Parsed {
  const read = (path: string, which: 'cert' | 'key'): string => {
    try {
      return readFileSync(path, 'utf8')
    } catch (err) {
      throw new CertificateError(`${label(which)}: ${reason(err)}${fix}`)
    }
  }
  const cert = read(certPath, 'cert')
  const keyPem = read(keyPath, 'key')
  let x509: X509Certificate
  try {
    if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM')
    x509 = new X509Certificate(cert)
  } catch {
    throw new CertificateError(`${label('cert')}: not a PEM certificate (-----BEGIN CERTIFICATE-----)${fix}`)
  }
  // PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY) or OpenSSL's traditional format (Proc-Type: 4,ENCRYPTED).
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED/.test(keyPem)) {
    throw new CertificateError(`${label('key')}: an encrypted private key; give it without a passphrase${fix}`)
  }
  let key: KeyObject
  try {
    key = createPrivateKey(keyPem)
  } catch {
    throw new CertificateError(`${label('key')}: not a PEM private key (-----BEGIN PRIVATE KEY-----)${fix}`)
  }
  if (!x509.checkPrivateKey(key)) throw new CertificateError(`${label('key')} is not the private key of ${label('cert')}${fix}`)
  return { x509, key, cert, keyPem }
}

function given (certPath: string, keyPath: string, notices: Notice[]): Certificate {
  const { x509, cert, keyPem } = parsePair(certPath, keyPath, (which) => which === 'cert' ? `TLS_CERT=${certPath}` : `TLS_KEY=${keyPath}`, '')
  const validTo = new Date(x509.validTo)
  // The user's own certificate is used as it is: clients will say what they think of its dates.
  if (validTo.getTime() < Date.now()) notices.push({ level: 'warn', message: `TLS_CERT=${certPath} expired on ${isoDay(validTo)}: clients will refuse it` })
  else if (new Date(x509.validFrom).getTime() > Date.now()) notices.push({ level: 'warn', message: `TLS_CERT=${certPath} is not valid before ${new Date(x509.validFrom).toISOString()}: clients will refuse it until then` })
  return { cert, key: keyPem, path: certPath, keyPath, fingerprint: x509.fingerprint256, validTo, source: 'given' }
}

/** The self-signed pair in `dir`: kept from an earlier start, or made now (and kept). */
async function selfSigned (dir: string, notices: Notice[]): Promise<Certificate> {
  const certPath = join(dir, CERT_FILE)
  const keyPath = join(dir, KEY_FILE)
  const fix = `; delete ${dir} to make a new certificate, or set TLS_CERT and TLS_KEY`
  // Two servers starting at once beside the same database (or both on :memory:) may both make
  // one: the first to publish wins and the other reads it, possibly while it is being written.
  for (let attempt = 0; ; attempt++) {
    const hasCert = existsSync(certPath)
    const hasKey = existsSync(keyPath)
    if (hasCert || hasKey) {
      let pair: Parsed
      try {
        if (!hasCert || !hasKey) throw new CertificateError(`${dir} holds ${hasCert ? CERT_FILE : KEY_FILE} without ${hasCert ? KEY_FILE : CERT_FILE}${fix}`)
        checkOwnership(dir, [certPath, keyPath], fix)
        pair = parsePair(certPath, keyPath, (which) => which === 'cert' ? certPath : keyPath, fix)
        checkKeyPrivate(keyPath, fix)
      } catch (err) {
        if (attempt > 0 && attempt < 20 && err instanceof CertificateError) { await sleep(100); continue }
        throw err
      }
      const validTo = new Date(pair.x509.validTo)
      if (validTo.getTime() - Date.now() > DAY_MS) {
        return { cert: pair.cert, key: pair.keyPem, path: certPath, keyPath, fingerprint: pair.x509.fingerprint256, validTo, source: 'reused' }
      }
      const aside = retire(dir, certPath, keyPath, validTo)
      const when = validTo.getTime() < Date.now() ? `expired on ${isoDay(validTo)}` : `expires within a day (${validTo.toISOString()})`
      notices.push({ level: 'warn', message: `the self-signed certificate ${certPath} ${when}: moved to ${aside}; a new one is made, which clients must trust again` })
    }
    const made = await make()
    if (publish(dir, certPath, keyPath, made)) {
      const x509 = new X509Certificate(made.cert)
      notices.push({ level: 'info', message: `made a self-signed certificate for localhost, 127.0.0.1 and ::1, valid until ${isoDay(new Date(x509.validTo))}: ${certPath} (its key: ${keyPath}). Trust it once, e.g. curl --cacert ${certPath}` })
      return { cert: made.cert, key: made.key, path: certPath, keyPath, fingerprint: x509.fingerprint256, validTo: new Date(x509.validTo), source: 'created' }
    }
  }
}

// A kept pair is what our clients trust, so only one this user alone could have put there: beside a
// database in a shared directory (DB_PATH=/tmp/mock.db), another user could plant tls/ in advance
// or swap its files. Refused: a directory of someone else's or writable by others, a file of
// someone else's or a symlink, a key others can read. (POSIX only: Windows has no such modes.)
const POSIX = process.platform !== 'win32'

function lstatOf (path: string, fix: string): Stats {
  try {
    return lstatSync(path)
  } catch (err) {
    throw new CertificateError(`${path}: ${reason(err)}${fix}`)
  }
}

function checkOwnership (dir: string, files: readonly string[], fix: string): void {
  if (!POSIX) return
  const uid = process.getuid?.()
  const d = lstatOf(dir, fix)
  if (!d.isDirectory() || (uid !== undefined && d.uid !== uid) || (d.mode & 0o022) !== 0) {
    throw new CertificateError(`${dir} is not a directory only this user can write (owner, symlink or mode ${(d.mode & 0o777).toString(8)}); refusing to trust the certificate in it${fix}`)
  }
  for (const file of files) {
    const f = lstatOf(file, fix)
    if (!f.isFile() || (uid !== undefined && f.uid !== uid)) {
      throw new CertificateError(`${file} is not a file of this user's (a symlink or another owner); refusing to trust it${fix}`)
    }
  }
}

function checkKeyPrivate (keyPath: string, fix: string): void {
  if (!POSIX) return
  const mode = lstatOf(keyPath, fix).mode & 0o777
  if ((mode & 0o077) !== 0) throw new CertificateError(`${keyPath} can be read by other users (mode ${mode.toString(8)}); chmod 600 it${fix}`)
}

async function make (): Promise<{ cert: string, key: string }> {
  // Loaded only here: most starts reuse the kept certificate or serve no HTTPS at all.
  // A CommonJS module: its exports are the namespace's default both in Node and in the bundle
  // (where esbuild offers nothing else).
  const { generate } = (await import('selfsigned')).default
  const now = Date.now()
  const pems = await generate([
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: 'fatora-mock local testing' },
  ], {
    // P-256: made in milliseconds, and every TLS client takes it.
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // A day back, for a client whose clock is a little behind the server's (a container's).
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + VALID_DAYS * DAY_MS),
    extensions: [
      // A server certificate, trusted as itself: browsers refuse a CA certificate as a server's.
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

/**
 * Publishes a new pair as `dir`, complete or not at all: both files are written in a fresh
 * directory beside it, which is then renamed. False when another process published first.
 */
function publish (dir: string, certPath: string, keyPath: string, pair: { cert: string, key: string }): boolean {
  const parent = dirname(dir)
  let tmp: string
  try {
    mkdirSync(parent, { recursive: true })
    tmp = mkdtempSync(join(parent, '.tls-'))
  } catch (err) {
    throw new CertificateError(`${dir} cannot be created (${reason(err)}); set TLS_CERT and TLS_KEY to a certificate and key of yours`)
  }
  try {
    writeFileSync(join(tmp, KEY_FILE), pair.key, { mode: 0o600, flag: 'wx' })
    writeFileSync(join(tmp, CERT_FILE), pair.cert, { mode: 0o644, flag: 'wx' })
    // The certificate is public (clients read it); the key stays 0600.
    chmodSync(tmp, 0o755)
    renameSync(tmp, dir)
    return true
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    if (!existsSync(dir)) throw new CertificateError(`${dir} cannot be created (${reason(err)}); set TLS_CERT and TLS_KEY to a certificate and key of yours`)
    if (existsSync(certPath) || existsSync(keyPath)) return false
  }
  // `dir` exists without the pair (made by hand, a mount point, or holding expired ones): the
  // files go into it directly, never over a file.
  try {
    writeFileSync(keyPath, pair.key, { mode: 0o600, flag: 'wx' })
    writeFileSync(certPath, pair.cert, { mode: 0o644, flag: 'wx' })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new CertificateError(`${dir}: the certificate cannot be written (${reason(err)}); set TLS_CERT and TLS_KEY to a certificate and key of yours`)
  }
}

/** Moves an expired pair aside (never deleted: a user may still want to look at it); returns where. */
function retire (dir: string, certPath: string, keyPath: string, validTo: Date): string {
  for (let n = 1; ; n++) {
    const aside = `${dir}-expired-${isoDay(validTo)}${n === 1 ? '' : `-${n}`}`
    if (existsSync(aside)) continue
    try {
      renameSync(dir, aside)
      return aside
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      // Another server moved it first.
      if (code === 'ENOENT') return aside
      if (code === 'EEXIST' || code === 'ENOTEMPTY') continue
      // A directory that cannot move (a mount point): the files move within it.
      const suffix = `.expired-${isoDay(validTo)}-${Date.now()}`
      try {
        renameSync(certPath, certPath + suffix)
        renameSync(keyPath, keyPath + suffix)
      } catch (err) {
        throw new CertificateError(`the self-signed certificate ${certPath} expired on ${isoDay(validTo)} and cannot be moved aside (${reason(err)}); delete ${dir} to make a new one, or set TLS_CERT and TLS_KEY`)
      }
      return `${certPath}${suffix} and ${keyPath}${suffix}`
    }
  }
}
