// Amounts (CONTRACT §6.1 Decision): a JSON number > 0 with at most 3 decimals, up to
// 999,999,999.999, kept as integer thousandths so `123.1` stays `123.1` and sums never drift.
export const MAX_AMOUNT_MILLI = 999_999_999_999

// A number's shortest decimal form (what JSON.parse read): digits, at most 3 after the point.
// Exponent forms (1e-7, 1e21) never match.
const DECIMAL = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,3})?$/

/** Thousandths of a valid amount, or undefined when it is not one. */
export function toMilli (amount: number): number | undefined {
  if (!Number.isFinite(amount) || amount <= 0) return undefined
  const match = DECIMAL.exec(String(amount))
  if (match === null) return undefined
  const fraction = (match[2] ?? '').slice(1).padEnd(3, '0')
  const milli = Number(match[1]) * 1000 + Number(fraction)
  return milli > 0 && milli <= MAX_AMOUNT_MILLI ? milli : undefined
}

/** The amount as a JSON number: the double nearest the decimal, which prints as that decimal. */
export function fromMilli (milli: number): number {
  return milli / 1000
}

/** The amount for people: at least two decimals, three when the third is used ("123.10", "0.125"). */
export function formatAmount (milli: number): string {
  const whole = Math.floor(milli / 1000).toLocaleString('en-US')
  const fraction = String(milli % 1000).padStart(3, '0')
  return `${whole}.${fraction.endsWith('0') ? fraction.slice(0, 2) : fraction}`
}
