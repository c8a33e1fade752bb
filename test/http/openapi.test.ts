// OpenAPI 3 at /documentation/json and /yaml, Swagger UI at /documentation.
import t from 'tap'
import { parse } from 'yaml'
import { build } from '../helper.js'

const envelopeRef = { $ref: '#/components/schemas/ErrorEnvelope' }

t.test('the spec documents Get Client: security, parameter, every response with examples', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/documentation/json' })
  t.equal(res.statusCode, 200)
  const spec = res.json()
  t.equal(spec.openapi, '3.1.0')
  t.match(spec.components.securitySchemes.api_key, { type: 'apiKey', in: 'header', name: 'api_key' })
  t.same(Object.keys(spec.paths).filter((p) => !p.startsWith('/__admin/')).sort(), ['/Pay/Success', '/api/v1/payments/refund', '/pay/3ds', '/pay/MCPaymentPage', '/pay/return', '/v1/Authorization/Authorize', '/v1/clients', '/v1/clients/{client_id}', '/v1/invoices', '/v1/invoices/{invoice_id}', '/v1/payments/checkout', '/v1/payments/collect-payment', '/v1/payments/deactivate-token', '/v1/payments/refund', '/v1/payments/verify', '/v1/products', '/v1/products/{product_id}'],
    'besides /__admin, only Fatora routes and the payment pages: /health, /v1/clients/ and 405 fallbacks are hidden')
  t.same(Object.keys(spec.paths['/v1/clients']).sort(), ['get', 'post'])
  t.same(Object.keys(spec.paths['/v1/clients/{client_id}']).sort(), ['delete', 'get', 'put'])
  const op = spec.paths['/v1/clients/{client_id}'].get
  t.equal(op.operationId, 'getClient')
  t.same(op.security, [{ api_key: [] }, { bearer: [] }])
  t.match(op.parameters, [{ in: 'path', name: 'client_id', required: true, schema: { type: 'integer', minimum: 1, maximum: 9007199254740991 } }])
  // api_key is the security scheme, not a parameter; the only header parameters are the mock's own.
  t.same(op.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name), ['prefer', 'x-request-id'])
  // 414: a path parameter too long for the router; default: whatever a configured fault forces.
  t.same(Object.keys(op.responses).sort(), ['200', '400', '401', '403', '404', '406', '414', '415', '500', '503', 'default'])
  t.same(op.responses['200'].content['application/json'].example, {
    status: 'SUCCESS',
    client: { id: 1024, name: 'Client Name', address: 'Client Address', phone: 'Client Phone', email: 'client@example.com', note: 'Additional notes', notes: 'Additional notes' },
  })
  t.same(op.responses['200'].content['application/json'].schema.properties.client, { $ref: '#/components/schemas/Client' })
  for (const code of ['400', '401', '403', '404', '406', '414', '415', '500', '503']) {
    const media = op.responses[code].content['application/json']
    t.same(media.schema.allOf, [envelopeRef], `${code} uses the envelope`)
    t.equal(media.example.status, 'FAILURE', `${code} example`)
    t.equal(media.example.error.error_code, code, `${code} example code`)
  }
  t.same(op.responses['404'].content['application/json'].example, { status: 'FAILURE', error: { error_code: '404', description: 'Client not found' } })
  t.same(op.responses['401'].content['application/json'].example, { status: 'FAILURE', error: { error_code: '401', description: "Merchant API key isn't valid" } })
})

t.test('every /v1 operation documents the Prefer and x-request-id headers; the admin ones do not', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { parameters?: Array<{ in: string, name: string, description: string }> }>>)) {
    for (const [method, op] of Object.entries(item)) {
      const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name)
      t.same(headers, path.startsWith('/v1/') || path.startsWith('/api/v1/') ? ['prefer', 'x-request-id'] : [], `${method} ${path}`)
    }
  }
  const prefer = spec.paths['/v1/clients'].post.parameters.find((p: { name: string }) => p.name === 'prefer')
  t.match(prefer.description, /code=NNN/)
})

t.test('components: the envelope and the client, nullable fields as JSON Schema', async (t) => {
  const app = await build(t)
  const spec = (await app.inject({ url: '/documentation/json' })).json()
  const envelope = spec.components.schemas.ErrorEnvelope
  t.same(envelope.required, ['status', 'error'])
  t.same(envelope.properties.status.enum, ['FAILURE'])
  t.same(envelope.properties.error.properties.error_code.type, 'string')
  const client = spec.components.schemas.Client
  t.same(client.required, ['id', 'name', 'address', 'phone', 'email', 'note', 'notes'])
  t.same(client.properties.address.type, ['string', 'null'])
})

t.test('the YAML spec is the same document', async (t) => {
  const app = await build(t)
  const json = (await app.inject({ url: '/documentation/json' })).json()
  const res = await app.inject({ url: '/documentation/yaml' })
  t.equal(res.statusCode, 200)
  t.same(parse(res.body), json)
})

t.test('Swagger UI is served at /documentation', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/documentation/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.match(res.body, /swagger/i)
})
