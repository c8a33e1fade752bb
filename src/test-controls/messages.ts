// What the test controls answer (CONTRACT §5): Prefer and faults.
export const controlMessages = {
  preferCodeInvalid: 'Invalid Prefer header: code must be a 3-digit HTTP status such as 404',
  preferDelayInvalid: 'Invalid Prefer header: delay must be an integer number of milliseconds from 0 to 60000',
  preferCodeNotDocumented: (code: number, method: string, route: string, allowed: readonly number[]) =>
    `Invalid Prefer header: code=${code} is not documented for ${method} ${route}; allowed: ${allowed.join(', ')}`,
  faultNotFound: 'Fault not found',
  faultNeedsEffect: 'Invalid body: a fault needs status, delay_ms, jitter_ms or connection',
  faultResetWithStatus: 'Invalid body: connection reset sends no response, so it takes no status',
  faultPathOutsideV1: 'Invalid body field path: faults apply to /v1 requests; start the pattern with /v1/ (or /api/v1/)',
  clockNeedsOne: 'Invalid body: send now, advance_days or advance_seconds (one of them)',
  clockNowInvalid: 'Invalid body field now: must be an ISO 8601 date-time with a time zone (2027-06-01T00:00:00Z), from 2000-01-01 to 9998-12-31',
  clockAdvanceInvalid: (field: string) => `Invalid body field ${field}: must be a number other than 0 (at least a millisecond)`,
  clockOutOfRange: 'Invalid body: the clock would leave 2000-01-01T00:00:00Z to 9998-12-31T23:59:59Z',
} as const
