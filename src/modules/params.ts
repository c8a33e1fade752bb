// Path and query parameters the API families share (CONTRACT §2, §4, §7), declared once: an id in
// the path and a list's page and page_size. They are integers in the schema — and so in the
// OpenAPI document and a generated client — read from plain decimal digits only
// (http/validators.ts): 1e3, 0x10, 1.0, " 12" and 01024 are refused (STACK.md), and so is anything
// past 2^53−1, where an id would lose precision.
import { Type } from 'typebox'

export const MAX_ID = Number.MAX_SAFE_INTEGER
export const MAX_PAGE = 999_999_999
export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 20

/** A pattern for the decimal digits of 1 … max: no leading zero, nothing past max (1e3 and 0x10 are no digits). */
export function digitsUpTo (max: number): string {
  const m = String(max)
  const alternatives = m.length > 1 ? [`[1-9][0-9]{0,${m.length - 2}}`] : []
  // As many digits as max: its own digits up to one position, a smaller digit there, any digits after.
  for (let i = 0; i < m.length; i++) {
    const digit = Number(m[i])
    const lowest = i === 0 ? 1 : 0
    if (digit <= lowest) continue
    const smaller = digit - 1 === lowest ? String(lowest) : `[${lowest}-${digit - 1}]`
    const rest = m.length - i - 1
    alternatives.push(`${m.slice(0, i)}${smaller}${rest === 0 ? '' : rest === 1 ? '[0-9]' : `[0-9]{${rest}}`}`)
  }
  alternatives.push(m)
  return `^(?:${alternatives.join('|')})$`
}

/** An id written as a string of digits (Fatora's samples send "123" where a number is meant). */
export const ID_DIGITS_PATTERN = digitsUpTo(MAX_ID)

/** A row's id in a path: `what` names it ("client"), `example` is the docs' sample id. */
export const idParam = (what: string, example: number) => Type.Integer({
  minimum: 1,
  maximum: MAX_ID,
  description: `Unique identifier of the ${what}: a positive integer from 1 to ${MAX_ID}, in decimal digits`,
  examples: [example],
})

/** `page` and `page_size` of a list of `rows` ("Clients"). */
export const pagingQuery = (rows: string) => ({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, description: `Page number, 1 to ${MAX_PAGE} (default 1)`, examples: [1] })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, description: `${rows} per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`, examples: [DEFAULT_PAGE_SIZE] })),
})
