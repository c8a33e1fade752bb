// Prototype poisoning: "__proto__" and "constructor.prototype" in a JSON body are a 400 on every
// write route, /v1 and /__admin, with nothing written and no prototype touched.
import t from 'tap'
import { build, CLIENT_1024, DEMO_KEY, failure, INACTIVE_KEY } from '../helper.js'
import { getState, send, tokenFor, type Headers, type Method } from './support.js'

t.test('prototype poisoning: "__proto__" and "constructor.prototype" bodies are a 400 on every write route', async (t) => {
  const app = await build(t)
  const v1 = { api_key: DEMO_KEY }
  const bearer = { authorization: `Bearer ${await tokenFor(app, DEMO_KEY)}` }
  // [route, headers, the members of a body the route accepts]
  const routes: Array<[Method, string, Headers, string[]]> = [
    ['POST', '/v1/clients', v1, ['"name":"Poison"']],
    ['POST', '/v1/clients', bearer, ['"name":"Poison"']],
    ['PUT', '/v1/clients/1024', v1, ['"name":"Poison"']],
    ['PUT', '/v1/clients/1024', bearer, ['"name":"Poison"']],
    ['DELETE', '/v1/clients/1025', v1, []],
    ['POST', '/v1/Authorization/Authorize', v1, []],
    ['POST', '/__admin/merchants', {}, ['"name":"Poison"']],
    ['POST', '/__admin/api-keys', {}, ['"merchant_id":1']],
    ['PATCH', `/__admin/api-keys/${INACTIVE_KEY}`, {}, ['"status":"active"']],
    ['POST', '/__admin/clients', {}, ['"name":"Poison"']],
    ['POST', '/__admin/seed', {}, ['"count":1']],
    ['POST', '/__admin/reset', {}, []],
    ['POST', '/__admin/faults', {}, ['"path":"/v1/nothing"', '"delay_ms":1']],
    ['DELETE', '/__admin/faults', {}, []],
    ['DELETE', '/__admin/faults/1', {}, []],
    ['DELETE', '/__admin/requests', {}, []],
  ]
  // Valid JSON, so the answer names the refused key rather than calling the body invalid.
  const PROTO = failure(400, 'JSON body refused: the key __proto__ is not accepted (it could alter object prototypes)')
  const CONSTRUCTOR = failure(400, 'JSON body refused: a constructor key holding a prototype key is not accepted (it could alter object prototypes)')
  const poisons: Array<[string, (members: string[]) => string, object]> = [
    ['"__proto__" last', (m) => `{${[...m, '"__proto__":{"polluted":"yes"}'].join(',')}}`, PROTO],
    ['"__proto__" first', (m) => `{${['"__proto__":{"polluted":"yes"}', ...m].join(',')}}`, PROTO],
    ['"__proto__" escaped', (m) => `{${[...m, '"\\u005f_proto__":{"polluted":"yes"}'].join(',')}}`, PROTO],
    ['"__proto__" nested', (m) => `{${[...m, '"notes":{"__proto__":{"polluted":"yes"}}'].join(',')}}`, PROTO],
    ['"__proto__" in an array', () => '[{"__proto__":{"polluted":"yes"}}]', PROTO],
    ['"constructor": {"prototype"}', (m) => `{${[...m, '"constructor":{"prototype":{"polluted":"yes"}}'].join(',')}}`, CONSTRUCTOR],
    ['"constructor" first', (m) => `{${['"constructor":{"prototype":{"polluted":"yes"}}', ...m].join(',')}}`, CONSTRUCTOR],
    ['"constructor" escaped', (m) => `{${[...m, '"constructor":{"\\u0070rototype":{"polluted":"yes"}}'].join(',')}}`, CONSTRUCTOR],
    ['"constructor" nested', (m) => `{${[...m, '"notes":{"constructor":{"prototype":{"polluted":"yes"}}}'].join(',')}}`, CONSTRUCTOR],
  ]
  const stateBefore = await getState(app)
  for (const [method, url, headers, members] of routes) {
    for (const [name, body, answer] of poisons) {
      const label = `${method} ${url}${headers.authorization !== undefined ? ' (bearer)' : ''}: ${name}`
      const res = await send(app, method, url, headers, body(members))
      t.equal(res.statusCode, 400, label)
      t.same(res.json(), answer, `${label}: exact body`)
      t.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: ({}).polluted === undefined`)
      t.notOk(Object.hasOwn(Object.prototype, 'polluted'), `${label}: Object.prototype untouched`)
    }
  }
  t.same(await getState(app), stateBefore, 'nothing was written')
  t.same((await app.inject({ url: '/v1/clients/1024', headers: v1 })).json(), { status: 'SUCCESS', client: CLIENT_1024 }, 'client 1024 unchanged')
  t.equal((await app.inject({ url: '/v1/clients/1024', headers: { api_key: INACTIVE_KEY } })).statusCode, 403, 'the inactive key is still inactive')
  // Control: the same bodies without the poison are accepted, so the 400s above are the poison's.
  for (const [i, [method, url, headers, members]] of routes.entries()) {
    if (url === '/__admin/reset' || url === '/v1/clients/1025' || url.startsWith('/__admin/faults/')) continue
    const res = await send(app, method, url, headers, `{${members.map((m) => m.replace('"Poison"', `"Control ${i}"`)).join(',')}}`)
    t.ok(res.statusCode >= 200 && res.statusCode < 300, `control: ${method} ${url} without the poison → ${res.statusCode}`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'still no pollution')
})
