// The package's in-process API from plain JavaScript (ESM): `import` it by name. The package
// test (test/package.test.ts, scripts/package-check.mjs) runs it in a scratch project where the
// packed package is installed.
import assert from 'node:assert/strict'
import { DEMO_API_KEY, startMock } from 'fatora-mock'

const mock = await startMock()
try {
  const res = await fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: DEMO_API_KEY } })
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), {
    status: 'SUCCESS',
    client: { id: 1024, name: 'Client Name', address: 'Client Address', phone: 'Client Phone', email: 'client@example.com', note: 'Additional notes', notes: 'Additional notes' },
  })
  console.log('start-mock.mjs: ok')
} finally {
  await mock.close()
}
