// The Prefer request header (RFC 7240), Prism's convention for forced responses (CONTRACT §5):
// `Prefer: code=404` and `Prefer: delay=250`, together as `Prefer: code=404, delay=250`.
// Preferences we do not know are ignored, as RFC 7240 asks.

export const MAX_PREFER_DELAY_MS = 60_000

export interface Preferences {
  code?: number
  delay?: number
}

/** The preferences we act on, or which one is malformed. */
export function parsePrefer (header: string | string[]): Preferences | 'code' | 'delay' {
  const out: Preferences = {}
  const text = Array.isArray(header) ? header.join(',') : header
  for (const item of text.split(/[,;]/)) {
    const eq = item.indexOf('=')
    if (eq === -1) continue
    const name = item.slice(0, eq).trim().toLowerCase()
    const value = item.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    if (name === 'code') {
      if (!/^[1-5][0-9]{2}$/.test(value)) return 'code'
      out.code = Number(value)
    } else if (name === 'delay') {
      if (!/^[0-9]{1,6}$/.test(value) || Number(value) > MAX_PREFER_DELAY_MS) return 'delay'
      out.delay = Number(value)
    }
  }
  return out
}
