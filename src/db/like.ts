// Keyword search semantics, in one place: the pattern for `column LIKE '%keyword%' ESCAPE '\'`
// and the same test in JavaScript, with which kept search results follow writes
// (db/search-counts.ts). No SQL runs here.
//
// SQLite's LIKE (case_sensitive_like off) folds ASCII letters only: 'A' matches 'a', 'É' never
// matches 'é'. It reads both sides as NUL-terminated text, so a value stops at its first NUL. A
// JavaScript string with a lone surrogate reaches SQLite as U+FFFD (better-sqlite3 writes UTF-8).

/** The LIKE pattern matching `keyword` anywhere, with %, _ and \ taken literally (ESCAPE '\'). */
export function containsPattern (keyword: string): string {
  return `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** `text` as SQLite's LIKE compares it: up to its first NUL, U+FFFD for a lone surrogate, ASCII letters in lower case. */
export function likeFold (text: string): string {
  const nul = text.indexOf('\0')
  const head = nul === -1 ? text : text.slice(0, nul)
  return head.replace(LONE_SURROGATE, '\uFFFD').replace(/[A-Z]+/g, (s) => s.toLowerCase())
}

/**
 * Whether `value LIKE containsPattern(keyword)` is true, given `folded` = likeFold(keyword):
 * NULL never matches; the empty keyword matches every other value.
 */
export function likeContains (value: string | null, folded: string): boolean {
  return value !== null && likeFold(value).includes(folded)
}

/** likeContains for a value already folded by likeFold (a row folded once, tested against many keywords). */
export function likeContainsFolded (folded: string | null, keyword: string): boolean {
  return folded !== null && folded.includes(keyword)
}
