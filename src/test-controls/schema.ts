// Schemas of the test controls under /__admin (CONTRACT §5: ours, not Fatora's): faults
// and the request journal. Bodies are strict; responses are serialised from these.
import { Type, type Static } from 'typebox'
import { ISO_DATE_TIME_PATTERN } from '../http/patterns.js'
import { MAX_PREFER_DELAY_MS } from './prefer.js'

/** Faults apply to /v1 requests (and /api/v1, CONTRACT §6.5): their path patterns start there. */
export const FAULT_PATH_PATTERN = '^/(?:api/)?v1/'

const Ms = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_PREFER_DELAY_MS, description })

export const FaultBodySchema = Type.Object({
  method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,20}$', description: 'Only this method (any case; GET also covers HEAD); every method when absent' })),
  // The pattern after the length limits: Ajv checks those first, so "/" is still "too short".
  path: Type.String({ minLength: 2, maxLength: 2000, pattern: FAULT_PATH_PATTERN, description: 'A Fastify-style pattern: `:name` is one segment, `*` the rest (`/v1/clients/:client_id`, `/v1/clients/1024`, `/v1/*`). Faults apply to /v1 requests only: it starts with /v1/ or /api/v1/' }),
  status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599, description: "Answer with this status and the route's documented envelope for it (the reason phrase when the route documents none)" })),
  delay_ms: Type.Optional(Ms('Delay before answering')),
  jitter_ms: Type.Optional(Ms('Extra random delay, uniform from 0 to this')),
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Chance that a matching request is hit (default 1); drawn from FAULT_SEED' })),
  times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'Stop after this many hits (default: unlimited)' })),
  connection: Type.Optional(Type.Enum(['reset'], { description: 'reset: destroy the socket (TCP RST) instead of answering, to test retries' })),
}, { additionalProperties: false, description: 'A fault does something: status, delay_ms, jitter_ms or connection (at least one); connection reset sends no answer, so it takes no status' })

export const FaultSchema = Type.Object({
  id: Type.Integer(),
  method: Type.Union([Type.String(), Type.Null()]),
  path: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  delay_ms: Type.Integer(),
  jitter_ms: Type.Integer(),
  probability: Type.Number(),
  times: Type.Union([Type.Integer(), Type.Null()]),
  connection: Type.Union([Type.Literal('reset'), Type.Null()]),
  hits: Type.Integer({ description: 'Requests it has been applied to' }),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Hits left before it stops (null: unlimited)' }),
  created_at: Type.String({ format: 'date-time' }),
}, { additionalProperties: false })

export const FaultListSchema = Type.Object({
  seed: Type.Integer({ description: 'The seed of the fault generator (FAULT_SEED, or the random one of this start): rerun with it to replay' }),
  faults: Type.Array(FaultSchema),
}, { additionalProperties: false })

export const FaultParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) })

export const RequestsQuerySchema = Type.Object({
  method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,20}$' })),
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'An exact path or a Fastify-style pattern, like a fault\'s' })),
  status: Type.Optional(Type.String({ pattern: '^[1-5]([0-9]{2}|xx)$', description: 'An exact status (404) or a class (4xx)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'At most this many, newest first (default: all kept)' })),
}, { additionalProperties: false })

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const JournalEntrySchema = Type.Object({
  id: Type.String({ description: 'The request id (x-request-id)' }),
  time: Type.String({ format: 'date-time', description: 'When the request arrived' }),
  method: Type.String(),
  url: Type.String({ description: 'Path and query as sent (credentials in the query masked)' }),
  path: Type.String(),
  status: Nullable(Type.Integer({ description: 'null when a fault reset the connection' })),
  duration_ms: Type.Number(),
  merchant_id: Nullable(Type.Integer()),
  auth: Nullable(Type.Enum(['api_key', 'bearer'])),
  api_key: Nullable(Type.String({ description: '"****" and the last 4 characters; never the whole key' })),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Request headers; api_key, Authorization and Cookie masked' }),
  body: Type.Unknown({ description: 'The JSON body of a write (its first 4096 characters when larger); null for reads' }),
  body_truncated: Type.Boolean(),
  fault_id: Nullable(Type.Integer()),
  prefer: Nullable(Type.String({ description: 'The Prefer preferences applied, e.g. "code=404"' })),
  delay_ms: Type.Integer({ description: 'Delay added by latency, Prefer or a fault' }),
}, { additionalProperties: false })

export const RequestsResponseSchema = Type.Object({
  size: Type.Integer({ description: 'JOURNAL_SIZE: how many requests are kept' }),
  recorded: Type.Integer({ description: 'Requests recorded since start or the last clear' }),
  requests: Type.Array(JournalEntrySchema),
}, { additionalProperties: false })

export type FaultBody = Static<typeof FaultBodySchema>
export type RequestsQuery = Static<typeof RequestsQuerySchema>

// The mock's clock (CONTRACT §6.6 Decision).
export const ClockBodySchema = Type.Object({
  now: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: ISO_DATE_TIME_PATTERN, description: 'Move the clock to this instant: an ISO 8601 date-time with a time zone, on a day that exists, from 2000-01-01T00:00:00Z to 9998-12-31T23:59:59Z', examples: ['2027-06-01T00:00:00Z'] })),
  // No minimum/maximum here: the route answers any amount that would leave the clock's range
  // with that reason (a schema bound would say "must be a number other than 0", which is not why).
  advance_days: Type.Optional(Type.Number({ description: 'Move the clock by this many days from its current time (fractions allowed; negative moves back; the clock stays within 2000-01-01 to 9998-12-31)', examples: [30] })),
  advance_seconds: Type.Optional(Type.Number({ description: 'The same in seconds (e.g. past a checkout page\'s CHECKOUT_TTL)', examples: [1800] })),
  frozen: Type.Optional(Type.Boolean({ description: 'true: the clock stands still at the new instant; false: it runs on from there at real speed. Default: now and an advance from real time stand still; an advance of a running clock keeps it running' })),
}, { additionalProperties: false, description: 'now, advance_days or advance_seconds: one of them' })

export type ClockBody = Static<typeof ClockBodySchema>

export const ClockStateSchema = Type.Object({
  now: Type.String({ description: "The mock's current time (ISO 8601 UTC)", examples: ['2027-06-01T00:00:00.000Z'] }),
  real: Type.Boolean({ description: 'true: real time (never moved, or reset)' }),
  frozen: Type.Boolean({ description: 'true: standing still until moved again' }),
}, { additionalProperties: false })
