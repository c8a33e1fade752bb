// LOG_FORMAT=pretty's lines (src/http/pretty-log.ts), from pino's objects as the server writes
// them: the ready block, a request, any other line; and when auto means pretty, and colours.
// The server itself prints them in test/server-start.test.ts (a pipe, and a pseudo-terminal).
import t from 'tap'
import { join } from 'node:path'
import { logFormat } from '../../src/http/logging.js'
import { logLine, prettyDestination, readyBlock, requestLine, style } from '../../src/http/pretty-log.js'

// Lines show local time: pinned to UTC here, so the literals below hold on any machine.
process.env.TZ = 'UTC'
const TIME = Date.UTC(2026, 10, 30, 10, 21, 4, 7) // 10:21:04.007
const plain = style(false)
const ESC = '\u001b'

const FIXTURE_COUNTS = { merchants: 2, apiKeys: 3, clients: 83, products: 46, payments: 2, cardTokens: 2, invoices: 83 }
const NO_COUNTS = { merchants: 0, apiKeys: 0, clients: 0, products: 0, payments: 0, cardTokens: 0, invoices: 0 }
/** The ready line's fields as server.ts logs them. */
const ready = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  level: 30,
  time: TIME,
  pid: 1,
  hostname: 'h',
  version: '0.1.0',
  url: 'http://127.0.0.1:3000',
  documentation: 'http://127.0.0.1:3000/documentation',
  demoKey: true,
  db: '/srv/mock/fatora-mock.db',
  created: true,
  ...FIXTURE_COUNTS,
  msg: 'fatora-mock ready: created and seeded database /srv/mock/fatora-mock.db (2 merchants, …)',
  ...over,
})

t.test('LOG_FORMAT: auto is pretty on a terminal only; colours only on a terminal that has them', async (t) => {
  const colours = (): boolean => true
  const none = (): boolean => false
  const cases: Array<[string, 'auto' | 'json' | 'pretty', { isTTY?: boolean, hasColors?: () => boolean }, { pretty: boolean, colours: boolean }]> = [
    ['auto, a pipe or file', 'auto', {}, { pretty: false, colours: false }],
    ['auto, a terminal with colours', 'auto', { isTTY: true, hasColors: colours }, { pretty: true, colours: true }],
    ['auto, a terminal without (NO_COLOR, TERM=dumb)', 'auto', { isTTY: true, hasColors: none }, { pretty: true, colours: false }],
    ['json, a terminal', 'json', { isTTY: true, hasColors: colours }, { pretty: false, colours: false }],
    ['json, a pipe', 'json', {}, { pretty: false, colours: false }],
    ['pretty, a pipe: no colours in a file', 'pretty', {}, { pretty: true, colours: false }],
    ['pretty, a terminal with colours', 'pretty', { isTTY: true, hasColors: colours }, { pretty: true, colours: true }],
    ['pretty, a terminal without', 'pretty', { isTTY: true, hasColors: none }, { pretty: true, colours: false }],
  ]
  for (const [name, format, terminal, expected] of cases) t.same(logFormat(format, terminal), expected, name)
})

t.test('the ready block', async (t) => {
  const cases: Array<{ name: string, line: Record<string, unknown>, text: string }> = [
    {
      name: 'a database created now, the demo key active',
      line: ready(),
      text: [
        'fatora-mock 0.1.0 ready at http://127.0.0.1:3000',
        '  Swagger UI  http://127.0.0.1:3000/documentation',
        '  demo key    E4B73FEE-F492-4607-A38D-852B0EBC91C9',
        '  database    /srv/mock/fatora-mock.db (created now)',
        '              2 merchants, 3 keys, 83 clients, 46 products, 2 payments, 2 card tokens, 83 invoices',
        '',
      ].join('\n'),
    },
    {
      name: 'an existing file, a relative path (shown where it is), one of each, thousands',
      line: ready({ db: 'data/fatora-mock.db', created: false, merchants: 1, apiKeys: 1, clients: 1_000_042, products: 1, payments: 1, cardTokens: 1, invoices: 1 }),
      text: [
        'fatora-mock 0.1.0 ready at http://127.0.0.1:3000',
        '  Swagger UI  http://127.0.0.1:3000/documentation',
        '  demo key    E4B73FEE-F492-4607-A38D-852B0EBC91C9',
        `  database    ${join(process.cwd(), 'data', 'fatora-mock.db')} (existing)`,
        '              1 merchant, 1 key, 1,000,042 clients, 1 product, 1 payment, 1 card token, 1 invoice',
        '',
      ].join('\n'),
    },
    {
      name: 'an empty database in memory: no key to show',
      line: ready({ db: ':memory:', demoKey: false, ...NO_COUNTS }),
      text: [
        'fatora-mock 0.1.0 ready at http://127.0.0.1:3000',
        '  Swagger UI  http://127.0.0.1:3000/documentation',
        "  demo key    none: the docs' key is not active in this database",
        '  database    in memory, gone when the server stops',
        '              empty',
        '',
      ].join('\n'),
    },
    {
      name: 'behind PUBLIC_URL: that is where to go; where it listens below',
      line: ready({ url: 'http://localhost:3000', publicUrl: 'http://localhost:8080/fatora', documentation: 'http://localhost:8080/fatora/documentation' }),
      text: [
        'fatora-mock 0.1.0 ready at http://localhost:8080/fatora',
        '  Swagger UI  http://localhost:8080/fatora/documentation',
        '  demo key    E4B73FEE-F492-4607-A38D-852B0EBC91C9',
        '  database    /srv/mock/fatora-mock.db (created now)',
        '              2 merchants, 3 keys, 83 clients, 46 products, 2 payments, 2 card tokens, 83 invoices',
        '  listening   http://localhost:3000',
        '',
      ].join('\n'),
    },
  ]
  for (const c of cases) {
    t.equal(readyBlock(plain, c.line), c.text, c.name)
    t.equal(logLine(plain, c.line), c.text, `${c.name}: logLine turns the ready line into the block`)
  }
  const coloured = readyBlock(style(true), ready())
  t.equal(coloured.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), ''), cases[0]?.text, 'with colours: the same text once the escapes are taken out')
  t.ok(coloured.includes(`${ESC}[1m${ESC}[36mhttp://127.0.0.1:3000${ESC}[39m${ESC}[22m`), 'the URL in bold cyan')
  t.notOk(readyBlock(plain, ready()).includes(ESC), 'without colours: no escape at all')
})

t.test('a request line', async (t) => {
  const cases: Array<[string, number, string]> = [
    ['GET', 200, '32'],
    ['GET', 302, '36'],
    ['POST', 404, '33'],
    ['DELETE', 503, '31'],
  ]
  for (const [method, status, colour] of cases) {
    t.equal(requestLine(plain, TIME, method, '/v1/clients/1024', status, 1.3), `10:21:04.007 ${method} /v1/clients/1024 ${status} 1.3 ms\n`, `${method} ${status}, plain`)
    t.equal(requestLine(style(true), TIME, method, '/v1/clients/1024', status, 1.3),
      `${ESC}[2m10:21:04.007${ESC}[22m ${method} /v1/clients/1024 ${ESC}[${colour}m${status}${ESC}[39m ${ESC}[2m1.3 ms${ESC}[22m\n`, `${method} ${status}, the status in colour ${colour}`)
  }
})

t.test('any other line: time, level (none for info), message, fields, an error\'s stack', async (t) => {
  const base = { time: TIME, pid: 1, hostname: 'h' }
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['info: no level shown', { ...base, level: 30, msg: 'SIGTERM received, closing' }, '10:21:04.007 SIGTERM received, closing\n'],
    ['warn with fields (quoted when they need it)', { ...base, level: 40, msg: 'database file replaced', db: '/srv/x.db', tries: 2, note: 'two words' },
      '10:21:04.007 WARN database file replaced db=/srv/x.db tries=2 note="two words"\n'],
    ['error with a stack, indented below', { ...base, level: 50, reqId: 'r-1', msg: 'request errored', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.js:1:1)' } },
      '10:21:04.007 ERROR request errored reqId=r-1\n    Error: boom\n        at f (x.js:1:1)\n'],
    ['an error without a stack: its message', { ...base, level: 60, msg: 'closing after an unexpected error', err: { message: 'gone' } },
      '10:21:04.007 FATAL closing after an unexpected error\n    gone\n'],
    ['debug', { ...base, level: 20, msg: 'details' }, '10:21:04.007 DEBUG details\n'],
    ["Fastify's listening line: left out (the block says it)", { ...base, level: 30, msg: 'Server listening at http://127.0.0.1:3000' }, ''],
  ]
  for (const [name, line, text] of cases) t.equal(logLine(plain, line), text, name)
  t.equal(logLine(style(true), { ...base, level: 40, msg: 'careful' }), `${ESC}[2m10:21:04.007${ESC}[22m ${ESC}[33mWARN${ESC}[39m careful\n`, 'warn in yellow, the time dim')
})

t.test('prettyDestination: pino writes JSON in, pretty lines come out', async (t) => {
  const written: string[] = []
  const destination = prettyDestination({ write: (data) => written.push(data) }, plain)
  destination.write(JSON.stringify({ level: 30, time: TIME, msg: 'Server listening at http://127.0.0.1:3000' }) + '\n')
  destination.write(JSON.stringify({ level: 40, time: TIME, msg: 'careful' }) + '\n')
  destination.write('not JSON\n')
  t.same(written, ['10:21:04.007 WARN careful\n', 'not JSON\n'], 'the listening line left out, the warning pretty, anything else as it came')
})
