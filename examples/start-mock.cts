// The package's in-process API from a CommonJS TypeScript project ("module": "nodenext", no
// "type": "module"): TypeScript ≥ 5.8 compiles the import to require(), which Node ≥ 20.19 runs
// on the ESM package. The package test typechecks, compiles and runs it beside start-mock.ts.
import assert from 'node:assert/strict'
import { DEMO_API_KEY, startMock, type MockServer } from 'fatora-mock'

async function main (): Promise<void> {
  const mock: MockServer = await startMock()
  try {
    const res = await fetch(`${mock.url}/v1/clients/1024`, { headers: { api_key: DEMO_API_KEY } })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      status: 'SUCCESS',
      client: { id: 1024, name: 'Client Name', address: 'Client Address', phone: 'Client Phone', email: 'client@example.com', note: 'Additional notes', notes: 'Additional notes' },
    })
    console.log('start-mock.cts: ok')
  } finally {
    await mock.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
