// The identifiers a payment gets (CONTRACT §6.2, §6.3, §6.6 Decisions), from a CSPRNG.
import { randomInt } from 'node:crypto'

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
// Fatora warns that card tokens contain + / \ and |: every token here has each of them.
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\\|'

function pick (alphabet: string, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

/** paymentID: 22 upper-case letters and digits. */
export const PAYMENT_ID = /^[A-Z0-9]{22}$/
export const newPaymentId = (): string => pick(UPPER_ALNUM, 22)

/** transaction_id: 12 digits, never starting with 0 (so it survives a round trip through a number). */
export const newTransactionId = (): string => String(randomInt(1, 10)) + pick('0123456789', 11)

/** auth_code: 6 upper-case letters and digits. */
export const newAuthCode = (): string => pick(UPPER_ALNUM, 6)

/** card_token: 44 characters, with +, /, \ and | at random places. */
export function newCardToken (): string {
  const chars = [...pick(TOKEN_ALPHABET, 40), '+', '/', '\\', '|']
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j] as string, chars[i] as string]
  }
  return chars.join('')
}
