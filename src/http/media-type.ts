// Media types (CONTRACT §1, Fatora's Response Code page): a Content-Type other than
// application/json → 415; an Accept that admits no JSON → 406. A GET with
// "Content-Type: application/json" and no body — the docs' own curl — passes.
import { ApiError } from './errors.js'
import type { Gate } from './gates.js'
import { httpMessages as messages } from './messages.js'

const unsupported = new ApiError(415, messages.unsupportedMediaType)
const notAcceptable = new ApiError(406, messages.notAcceptable)

/** True for "application/json" with any parameters (charset=…), case-insensitive. */
export function isJsonContentType (value: string): boolean {
  const semi = value.indexOf(';')
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase() === 'application/json'
}

/**
 * True when an Accept header admits application/json: the most specific matching range
 * (application/json, then application/*, then *\/*) decides, and q=0 means "not this".
 */
export function acceptsJson (accept: string): boolean {
  let best = 0
  let bestQ = 0
  let ranges = 0
  for (const range of accept.split(',')) {
    const parts = range.split(';')
    const type = (parts[0] ?? '').trim().toLowerCase()
    if (type === '') continue
    ranges++
    const specificity = type === 'application/json' ? 3 : type === 'application/*' ? 2 : type === '*/*' ? 1 : 0
    if (specificity <= best) continue
    let q = 1
    for (let i = 1; i < parts.length; i++) {
      const [name, value] = (parts[i] ?? '').split('=')
      const text = value?.trim() ?? ''
      // A malformed weight (q=, q=abc) is ignored, as if absent.
      if (name?.trim().toLowerCase() === 'q' && /^[0-9.]+$/.test(text)) q = Number(text)
    }
    best = specificity
    bestQ = q
  }
  // A header with no media range at all (",") is treated like no Accept header.
  return ranges === 0 || (best > 0 && bestQ > 0)
}

/** 415 for a body that is not JSON, 406 when JSON is not acceptable; undefined when both are fine. */
export const mediaTypeGate: Gate = function mediaType (request) {
  const contentType = request.headers['content-type']
  if (contentType !== undefined && contentType !== '' && !isJsonContentType(contentType)) return unsupported
  const accept = request.headers.accept
  // The common cases skip parsing; an empty Accept is treated as none.
  if (accept !== undefined && accept !== '' && accept !== '*/*' && accept !== 'application/json' && !acceptsJson(accept)) return notAcceptable
  return undefined
}
