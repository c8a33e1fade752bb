// The request's logger (http/logging.ts): Fastify's per-request child is made only when something
// logs through it, and then it is pino's own child, bindings and level included.
import pino from 'pino'
import t from 'tap'
import { Writable } from 'node:stream'
import { loggingOptions } from '../../src/http/logging.js'

function memoryLogger (level: string): { logger: pino.Logger, lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { chunks.push(String(chunk)); done() } })
  const logger = pino({ level }, stream)
  return { logger, lines: () => chunks.join('').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) }
}

const { childLoggerFactory, dispose } = loggingOptions('info', 'json')
t.teardown(dispose)
const factory = childLoggerFactory as unknown as (parent: pino.Logger, bindings: object, options: object) => pino.Logger

t.test('a line through the request logger carries the request id, like pino\'s child', async (t) => {
  const { logger, lines } = memoryLogger('info')
  const child = factory(logger, { reqId: 'req-1' }, {})
  child.error({ statusCode: 500 }, 'request failed')
  child.info('handled')
  child.debug('not at info')
  t.same(lines().map(({ level, reqId, msg, statusCode }) => ({ level, reqId, msg, statusCode })), [
    { level: 50, reqId: 'req-1', msg: 'request failed', statusCode: 500 },
    { level: 30, reqId: 'req-1', msg: 'handled', statusCode: undefined },
  ])
})

t.test('levels and grandchildren behave as pino\'s', async (t) => {
  const { logger, lines } = memoryLogger('warn')
  const child = factory(logger, { reqId: 'req-2' }, {})
  t.equal(child.isLevelEnabled('info'), false)
  t.equal(child.isLevelEnabled('warn'), true)
  t.equal(child.level, 'warn')
  child.child({ step: 'inner' }).warn('nested')
  t.same(lines().map(({ reqId, step, msg }) => ({ reqId, step, msg })), [{ reqId: 'req-2', step: 'inner', msg: 'nested' }])
})

t.test('a request whose logger is never used writes nothing', async (t) => {
  const { logger, lines } = memoryLogger('trace')
  factory(logger, { reqId: 'req-3' }, {})
  t.same(lines(), [])
})
