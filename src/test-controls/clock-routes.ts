// /__admin/clock (ours, CONTRACT §6.6 Decision): move the mock's time for tests — token expiry,
// checkout page expiry, refund timing and every date the payment routes write follow it.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox'
import { adminErrors as errors, adminSecurity as security } from '../admin/responses.js'
import { ApiError } from '../http/errors.js'
import { errorResponse } from '../http/responses.js'
import { CLOCK_RANGE, type Clock } from './clock.js'
import { controlMessages as messages } from './messages.js'
import { ClockBodySchema, ClockStateSchema } from './schema.js'

export interface ClockRoutesOptions {
  clock: Clock
}

const DAY_MS = 86_400_000
// A date-time with a time zone (RFC 3339), four-digit year: Date.parse alone takes too much.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i

const needsOne = new ApiError(400, messages.clockNeedsOne)
const nowInvalid = new ApiError(400, messages.clockNowInvalid)
const outOfRange = new ApiError(400, messages.clockOutOfRange)

const inRange = (ms: number): boolean => Number.isFinite(ms) && ms >= CLOCK_RANGE.min && ms <= CLOCK_RANGE.max

// Date.parse takes any day up to 31 and rolls it over (2027-02-30 is March 2): the day must exist.
const dayExists = (text: string): boolean => {
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day
}

export const clockRoutes: FastifyPluginCallbackTypebox<ClockRoutesOptions> = (app, { clock }, done) => {
  const state = {
    tags: ['admin'],
    security,
    response: { 200: ClockStateSchema, 401: errors[401] },
  }

  app.get('/clock', { schema: { ...state, operationId: 'adminGetClock', summary: "The mock's clock: its time, and whether it was moved" } }, () => clock.state())

  app.post('/clock', {
    config: {
      validationMessages: {
        'body.now': messages.clockNowInvalid,
        'body.advance_days': messages.clockAdvanceInvalid('advance_days'),
        'body.advance_seconds': messages.clockAdvanceInvalid('advance_seconds'),
        'body.frozen': 'Invalid body field frozen: must be true or false',
      },
    },
    schema: {
      ...state,
      operationId: 'adminSetClock',
      summary: 'Move the clock: to an instant (now) or by an amount (advance_days, advance_seconds)',
      description: 'Body: `{"now": "2027-06-01T00:00:00Z"}`, `{"advance_days": 30}` or `{"advance_seconds": 1800}`. The clock then stands still there (`"frozen": false`: it runs on from there; an advance of a running clock keeps it running). It drives card-token expiry, checkout page expiry, refund timing and every date the payment routes write; `DELETE` (or reset) returns to real time.',
      body: ClockBodySchema,
      response: { ...state.response, 400: errorResponse(400, 'Not exactly one of now, advance_days and advance_seconds, or a value out of range', messages.clockNeedsOne), 415: errors[415] },
    },
  }, (request) => {
    const b = request.body
    const given = [b.now, b.advance_days, b.advance_seconds].filter((v) => v !== undefined).length
    if (given !== 1) throw needsOne
    if (b.now !== undefined) {
      const at = ISO_DATE_TIME.test(b.now) && dayExists(b.now) ? Date.parse(b.now) : Number.NaN
      if (!inRange(at)) throw nowInvalid
      clock.set(new Date(at), b.frozen ?? true)
      return clock.state()
    }
    const field = b.advance_days !== undefined ? 'advance_days' : 'advance_seconds'
    const amount = b.advance_days ?? (b.advance_seconds as number)
    const ms = Math.round(amount * (b.advance_days !== undefined ? DAY_MS : 1000))
    // Less than a millisecond is no move at all (the clock counts whole milliseconds).
    if (ms === 0) throw new ApiError(400, messages.clockAdvanceInvalid(field))
    const target = clock.now().getTime() + ms
    if (!inRange(target)) throw outOfRange
    // Without `frozen`, a running clock keeps running and a frozen (or real) one stands still.
    if (b.frozen === undefined) clock.advance(ms)
    else clock.set(new Date(target), b.frozen)
    return clock.state()
  })

  app.delete('/clock', { schema: { ...state, operationId: 'adminResetClock', summary: 'Back to real time' } }, () => {
    clock.reset()
    return clock.state()
  })
  done()
}
