// A typed client generated from the document compiles and runs without casts: openapi-typescript
// turns /documentation/json into schema.d.ts, a small program calls the mock through
// openapi-fetch's createClient<paths>() — a client by id, one created from a typed body, a page
// of the list, Authorize and the bearer token, a checkout, a finished payment through /__admin and
// a 404 read from the typed error — tsc checks it (strict, module nodenext), and node runs it
// against a listening app. Offline: the document is handed over as an object.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript'
import t from 'tap'
import { DEMO_KEY, listen } from './helper.js'
import { childEnv, ROOT, spawnAsUser } from './support/child.js'

// The program a developer would write, with no `as`, no `any` and no non-null assertion: every
// answer is narrowed by its status or by the absence of an error, as openapi-fetch types them.
const PROGRAM = `import createClient from 'openapi-fetch'
import type { components, paths } from './schema.js'

type Envelope = components['schemas']['ErrorEnvelope']

const baseUrl = process.argv[2] ?? ''
const demoKey = process.argv[3] ?? ''
const api = createClient<paths>({ baseUrl, headers: { api_key: demoKey } })
const admin = createClient<paths>({ baseUrl })

function fail (what: string, error: Envelope | { status: 'ERROR', error: string } | undefined): never {
  throw new Error(what + ': ' + JSON.stringify(error))
}

const one = await api.GET('/v1/clients/{client_id}', { params: { path: { client_id: 1024 } } })
if (one.data === undefined) fail('get client', one.error)
const name: string = one.data.client.name
const note: string | null = one.data.client.note

const body: paths['/v1/clients']['post']['requestBody']['content']['application/json'] = {
  name: 'Typed Client',
  email: 'typed.client@example.com',
  notes: 'made by a generated client',
  note: null,
}
const created = await api.POST('/v1/clients', { body })
if (created.data === undefined) fail('create client', created.error)
const createdId: number = created.data.client.id

const page = await api.GET('/v1/clients', { params: { query: { page: 1, page_size: 2, keyword: 'Client' } } })
if (page.data === undefined) fail('list clients', page.error)

const missing = await api.GET('/v1/clients/{client_id}', { params: { path: { client_id: 999999 } } })
const missingError: Envelope | undefined = missing.error

const authorize = await api.POST('/v1/Authorization/Authorize', {})
if (authorize.data === undefined) fail('authorize', authorize.error)
const bearer = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + authorize.data.bearer_token } })
const byToken = await bearer.GET('/v1/clients/{client_id}', { params: { path: { client_id: createdId } } })
if (byToken.data === undefined) fail('get client with a bearer token', byToken.error)

const checkout = await api.POST('/v1/payments/checkout', {
  body: { amount: 123.1, currency: 'QAR', order_id: 'typed-1', client: { name: 'Card Holder', email: 'holder@example.com' } },
})
if (checkout.data === undefined) fail('checkout', checkout.error)
const paymentID = new URL(checkout.data.result.checkout_url).searchParams.get('paymentID') ?? ''

const completed = await admin.POST('/__admin/payments/{paymentID}/complete', { params: { path: { paymentID } }, body: { card: '4111111111111111' } })
if (completed.data === undefined) fail('complete', completed.error)

const verified = await api.POST('/v1/payments/verify', { body: { order_id: 'typed-1' } })
if (verified.data === undefined) fail('verify', verified.error)

const state = await admin.GET('/__admin/state')
if (state.data === undefined) fail('state', state.error)

process.stdout.write(JSON.stringify({
  name,
  note,
  created: { status: created.response.status, name: created.data.client.name, notes: created.data.client.notes },
  page: { page: page.data.page, page_size: page.data.page_size, ids: page.data.clients.map((c) => c.id) },
  missing: { status: missing.response.status, error: missingError },
  byToken: byToken.data.client.name,
  paymentID: paymentID.length,
  completed: { status: completed.data.payment.status, card: completed.data.payment.card_type },
  verified: { payment_status: verified.data.result.payment_status, amount: verified.data.result.amount, currency: verified.data.result.currency },
  merchants: state.data.merchants.length,
}) + '\\n')
`

interface Run { code: number | null, stdout: string, stderr: string }

async function run (command: string, args: string[], cwd: string): Promise<Run> {
  const child = spawnAsUser(command, args, { cwd, env: childEnv() })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

t.test('a client generated from the document compiles without casts and runs against the mock', async (t) => {
  const { app, base } = await listen(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json() as OpenAPI3

  const dir = mkdtempSync(join(tmpdir(), 'fatora-mock-client-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  // The program resolves openapi-fetch, typescript's libs and @types/node as a project would.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: ['node'],
      outDir: 'out',
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
    },
    files: ['client.ts', 'schema.d.ts'],
  }))

  const ast = await openapiTS(spec)
  const types = astToString(ast)
  writeFileSync(join(dir, 'schema.d.ts'), types)
  // What generated clients got wrong before: numbers in the path and query, and Authorize's body.
  t.match(types, /client_id: number;/, 'client_id is a number')
  t.match(types, /page_size\?: number;/, 'page_size is a number')
  t.match(types, /authorizePost: \{[\s\S]*?requestBody\?: \{\s*content: \{\s*"application\/json": unknown;/, 'Authorize POST takes an optional body')
  writeFileSync(join(dir, 'client.ts'), PROGRAM)
  t.notMatch(PROGRAM, /\bas\b|\bany\b|!\./, 'the program has no cast')

  const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir)
  t.same({ code: tsc.code, output: tsc.stdout + tsc.stderr }, { code: 0, output: '' }, 'tsc: strict, nodenext, no error')

  const program = await run(process.execPath, [join(dir, 'out', 'client.js'), base, DEMO_KEY], dir)
  t.equal(program.stderr, '', 'no error output')
  t.equal(program.code, 0)
  const result = JSON.parse(program.stdout)
  t.same(result, {
    name: 'Client Name',
    note: 'Additional notes',
    created: { status: 201, name: 'Typed Client', notes: 'made by a generated client' },
    page: { page: 1, page_size: 2, ids: result.page.ids },
    missing: { status: 404, error: { status: 'FAILURE', error: { error_code: '404', description: 'Client not found' } } },
    byToken: 'Typed Client',
    paymentID: 22,
    completed: { status: 'SUCCESS', card: 'VISA' },
    verified: { payment_status: 'SUCCESS', amount: 123.1, currency: 'QAR' },
    merchants: result.merchants,
  })
  t.equal(result.page.ids.length, 2, 'a page of two')
  t.ok(result.merchants >= 2, 'the fixtures\' merchants')
})
