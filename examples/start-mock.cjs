// The package's in-process API from CommonJS: `require('fatora-mock')`. The package is ESM;
// Node ≥ 20.19 loads it with require() (no flag; its modules have no top-level await). The
// package test (test/package.test.ts, scripts/package-check.mjs) runs it in a scratch project
// where the packed package is installed.
const assert = require('node:assert/strict')
const { DEMO_API_KEY, startMock } = require('fatora-mock')

async function main () {
  const mock = await startMock()
  try {
    const res = await fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: DEMO_API_KEY } })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      status: 'SUCCESS',
      client: { id: 1024, name: 'Client Name', address: 'Client Address', phone: 'Client Phone', email: 'client@example.com', note: 'Additional notes', notes: 'Additional notes' },
    })
    console.log('start-mock.cjs: ok')
  } finally {
    await mock.close()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
