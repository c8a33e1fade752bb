// An example integration-test suite, as it would run beside fatora-mock in docker-compose:
// it sets up its own state through the admin API, then checks the answers your Fatora client
// code would get. No dependencies: Node 20's fetch and assert. Exits 0 when all checks pass.
import assert from 'node:assert/strict'

const BASE = process.env.FATORA_BASE_URL ?? 'http://localhost:3000'
const ADMIN_TOKEN = process.env.ADMIN_TOKEN

/**
 * One request; the answer's status and its JSON body (undefined when empty).
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ status: number, body: any }>} any: the JSON of whatever the server answered
 */
async function call (method, path, { body, headers = {} } = {}) {
  const res = await fetch(BASE + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) }
}

/**
 * An admin call, with the admin token when ADMIN_TOKEN is set.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
const admin = (method, path, body) =>
  call(method, `/__admin${path}`, { body, headers: ADMIN_TOKEN ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {} })

let failures = 0
/**
 * @param {string} name
 * @param {() => Promise<void>} fn
 */
async function check (name, fn) {
  try {
    await fn()
    console.log(`ok - ${name}`)
  } catch (err) {
    failures++
    console.log(`not ok - ${name}\n  ${String(/** @type {Error} */ (err).message).split('\n').join('\n  ')}`)
  }
}

// Setup: our own merchant, the client our code will look up, a key that will be deactivated.
const merchant = await admin('POST', '/merchants', { name: 'Compose Integration Tests' })
assert.equal(merchant.status, 201, `creating a merchant: ${JSON.stringify(merchant.body)}`)
const apiKey = merchant.body.api_key
const created = await admin('POST', '/clients', { api_key: apiKey, name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'jane.doe@example.com', notes: 'created by the test suite' })
assert.equal(created.status, 201, `creating a client: ${JSON.stringify(created.body)}`)
const clientId = created.body.client.id
const spare = await admin('POST', '/api-keys', { merchant_id: merchant.body.merchant.id })

await check('GET /v1/clients/{id} with our key → 200 and the client we created', async () => {
  const res = await call('GET', `/v1/clients/${clientId}`, { headers: { api_key: apiKey, 'Content-Type': 'application/json' } })
  assert.equal(res.status, 200)
  assert.deepEqual(res.body, {
    status: 'SUCCESS',
    client: { id: clientId, name: 'Jane Doe', address: 'West Bay, Doha', phone: '+974 5555 0101', email: 'jane.doe@example.com', note: 'created by the test suite', notes: 'created by the test suite' },
  })
})

await check('without an api_key → 401 envelope', async () => {
  const res = await call('GET', `/v1/clients/${clientId}`)
  assert.equal(res.status, 401)
  assert.deepEqual(res.body, { status: 'FAILURE', error: { error_code: '401', description: 'Missing api_key header' } })
})

await check("another merchant's client (the docs' client 1024) → 404, as if it did not exist", async () => {
  const res = await call('GET', '/v1/clients/1024', { headers: { api_key: apiKey } })
  assert.equal(res.status, 404)
  assert.deepEqual(res.body, { status: 'FAILURE', error: { error_code: '404', description: 'Client not found' } })
})

await check('a deactivated key → 403 envelope', async () => {
  const patched = await admin('PATCH', `/api-keys/${spare.body.key}`, { status: 'inactive' })
  assert.equal(patched.status, 200)
  const res = await call('GET', `/v1/clients/${clientId}`, { headers: { api_key: spare.body.key } })
  assert.equal(res.status, 403)
  assert.deepEqual(res.body, { status: 'FAILURE', error: { error_code: '403', description: 'Merchant API key is inactive' } })
})

await check("the docs' own request still answers the documented client", async () => {
  const res = await call('GET', '/v1/clients/1024', { headers: { api_key: 'E4B73FEE-F492-4607-A38D-852B0EBC91C9', 'Content-Type': 'application/json' } })
  assert.equal(res.status, 200)
  assert.equal(res.body.client.name, 'Client Name')
})

console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`)
process.exit(failures === 0 ? 0 : 1)
