// Text rules the schemas share, written as JSON Schema patterns so that the OpenAPI document
// carries the exact rule the server applies, not a looser name for it.

/**
 * An e-mail address as the server accepts it: ajv-formats' `email` (its "full" mode), with the
 * case-insensitivity spelled out. `format: email` alone means RFC 5321 to most tools, which also
 * admits addresses this refuses (a quoted local part, an IP literal, a domain without a dot), so
 * schemas carry both: the format for meaning, this pattern for the rule. A failure is reported
 * as the format's ("must be a valid e-mail address") by the routes' validation messages.
 */
export const EMAIL_PATTERN = "^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$"

// A day that exists: months of 31, 30 and 28 days, and 29 February of leap years (every fourth
// year; of the centuries only every fourth: 2000 and 0000, not 1900). Years 0000 to 9999.
const DAY = '(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))' +
  '|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)'
// A time of that day (00:00 to 23:59:59.999999999, seconds optional) and its zone: Z or an offset.
const time = (t: string, z: string): string =>
  `${t}(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,9})?)?(?:${z}|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])`

/**
 * An ISO 8601 date (2023-09-30) or date-time with a zone (2023-09-30T10:00Z, …T10:00:00.5+03:00)
 * on a day that exists. Date.parse alone would roll 2023-02-30 over to March and 24:00 to the next day.
 */
export const ISO_DATE_PATTERN = `^${DAY}(?:${time('T', 'Z')})?$`

/** A date-time with a zone only (RFC 3339 lets T and Z be lower-case). */
export const ISO_DATE_TIME_PATTERN = `^${DAY}${time('[Tt]', '[Zz]')}$`
