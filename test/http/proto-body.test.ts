// JSON bodies with "__proto__" or "constructor": {"prototype": …} are valid JSON, refused for
// safety (prototype poisoning): the 400 says which key is refused instead of calling the body
// invalid. A body that is not JSON keeps "Invalid JSON body"; harmless look-alikes are accepted.
import t from 'tap'
import { build, DEMO_KEY, failure } from '../helper.js'

const PROTO = failure(400, 'JSON body refused: the key __proto__ is not accepted (it could alter object prototypes)')
const CONSTRUCTOR = failure(400, 'JSON body refused: a constructor key holding a prototype key is not accepted (it could alter object prototypes)')
const INVALID = failure(400, 'Invalid JSON body')

t.test('poisoned bodies name the refused key; invalid JSON keeps its message; on /v1 and /__admin alike', async (t) => {
  const app = await build(t)
  // [route, a member the route needs]
  const routes: Array<[string, Record<string, string>]> = [
    ['/v1/clients', { api_key: DEMO_KEY }],
    ['/__admin/merchants', {}],
  ]
  // [name, body (NAME stands for the route's own members), answer]
  const bodies: Array<[string, string, object]> = [
    ['__proto__ at the top', '{NAME,"__proto__":{"admin":true}}', PROTO],
    ['__proto__ first', '{"__proto__":{"admin":true},NAME}', PROTO],
    ['__proto__ null', '{NAME,"__proto__":null}', PROTO],
    ['__proto__ as a string', '{NAME,"__proto__":"x"}', PROTO],
    ['__proto__ escaped', '{NAME,"\\u005f\\u005fproto\\u005f\\u005f":{"admin":true}}', PROTO],
    ['__proto__ nested', '{NAME,"notes":{"deep":{"__proto__":{"admin":true}}}}', PROTO],
    ['__proto__ in an array', '{NAME,"list":[1,{"__proto__":{}}]}', PROTO],
    ['__proto__ in a top-level array', '[{"__proto__":{}}]', PROTO],
    ['__proto__ after a byte-order mark', '\ufeff{NAME,"__proto__":{}}', PROTO],
    ['__proto__ past 100,000 harmless objects', `{NAME,"list":[${'{},'.repeat(100_000)}{"__proto__":{}}]}`, PROTO],
    ['constructor.prototype at the top', '{NAME,"constructor":{"prototype":{"admin":true}}}', CONSTRUCTOR],
    ['constructor.prototype null', '{NAME,"constructor":{"prototype":null}}', CONSTRUCTOR],
    ['constructor.prototype escaped', '{NAME,"constructor":{"\\u0070rototype":{}}}', CONSTRUCTOR],
    ['constructor.prototype nested', '{NAME,"notes":{"constructor":{"prototype":{}}}}', CONSTRUCTOR],
    // Breadth first, __proto__ before constructor in each object (the order Fastify's parser checks).
    ['both in one object', '{NAME,"constructor":{"prototype":{}},"__proto__":{}}', PROTO],
    ['constructor shallower than __proto__', '{NAME,"constructor":{"prototype":{}},"a":{"__proto__":{}}}', CONSTRUCTOR],
    // Not JSON at all: the old message, even with a forbidden key in it.
    ['truncated', '{NAME,', INVALID],
    ['truncated with __proto__', '{NAME,"__proto__":{}', INVALID],
    ['single quotes', "{'name':'x'}", INVALID],
    ['a trailing comma', '{NAME,}', INVALID],
  ]
  for (const [url, headers] of routes) {
    for (const [name, body, answer] of bodies) {
      const payload = body.replace('NAME', '"name":"Poison"')
      const res = await app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload })
      t.equal(res.statusCode, 400, `${url}: ${name}`)
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8', `${url}: ${name}: JSON`)
      t.same(res.json(), answer, `${url}: ${name}: exact body`)
    }
  }
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was touched')
  t.equal((await app.inject({ url: '/v1/clients?keyword=Poison', headers: { api_key: DEMO_KEY } })).json().total, 0, 'no client was written')
})

t.test('look-alikes are ordinary JSON and accepted', async (t) => {
  const app = await build(t)
  // [name, body]: the words as values, a constructor without a prototype, a prototype without a constructor.
  const bodies: Array<[string, string]> = [
    ['__proto__ as a value', '{"name":"__proto__","notes":"constructor.prototype"}'],
    ['constructor as a string', '{"name":"Constructor 1","constructor":"x"}'],
    ['constructor without prototype', '{"name":"Constructor 2","constructor":{"proto":1}}'],
    ['prototype without constructor', '{"name":"Prototype","prototype":{"a":1}}'],
    ['__proto_ (one underscore short)', '{"name":"Underscore","__proto_":{}}'],
  ]
  for (const [name, payload] of bodies) {
    const res = await app.inject({ method: 'POST', url: '/v1/clients', headers: { api_key: DEMO_KEY, 'content-type': 'application/json' }, payload })
    t.equal(res.statusCode, 201, name)
  }
})
