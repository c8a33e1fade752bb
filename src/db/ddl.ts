// Shared pieces of the modules' DDL.

/** An ISO 8601 UTC timestamp with milliseconds, as a column default. */
export const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
