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
