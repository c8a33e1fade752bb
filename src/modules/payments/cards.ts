// Card input and the test cards (CONTRACT §6.3 Decision: Fatora publishes none; these follow
// the industry's common test numbers). The card decides the outcome; nothing is charged.
import type { PaymentStatus } from './schema.js'

export interface Outcome {
  status: Exclude<PaymentStatus, 'PENDING'>
  responseCode: string
  description: string
}

export const OUTCOMES = {
  approved: { status: 'SUCCESS', responseCode: '000', description: 'Transaction Successful - Approved' },
  doNotHonour: { status: 'FAILURE', responseCode: '005', description: 'Transaction Declined - Do not honour' },
  insufficientFunds: { status: 'FAILURE', responseCode: '051', description: 'Transaction Declined - Insufficient funds' },
  expiredCard: { status: 'FAILURE', responseCode: '054', description: 'Transaction Declined - Expired card' },
  authenticationFailed: { status: 'FAILURE', responseCode: '101', description: 'Authentication failed' },
  cancelled: { status: 'FAILURE', responseCode: '100', description: 'Cancelled by the card holder' },
  expired: { status: 'FAILURE', responseCode: '102', description: 'Payment page expired' },
} as const satisfies Record<string, Outcome>

/** What a saved card does when charged again (collect-payment): the outcomes a card can decide. */
export type ChargeOutcome = 'approved' | 'doNotHonour' | 'insufficientFunds' | 'expiredCard'

export type CardBehaviour = 'approve' | 'decline' | '3ds' | 'debit'

export interface TestCard {
  number: string
  brand: CardType
  behaviour: CardBehaviour
  outcome: Outcome
  /** What the page's table says it does. */
  label: { en: string, ar: string }
}

/** The table shown on the page and in the docs, in this order. */
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4111111111111111', brand: 'VISA', behaviour: 'approve', outcome: OUTCOMES.approved, label: { en: 'Approved', ar: 'مقبولة' } },
  { number: '5555555555554444', brand: 'MASTERCARD', behaviour: 'approve', outcome: OUTCOMES.approved, label: { en: 'Approved', ar: 'مقبولة' } },
  { number: '4000000000000002', brand: 'VISA', behaviour: 'decline', outcome: OUTCOMES.doNotHonour, label: { en: 'Declined: do not honour (005)', ar: 'مرفوضة: عدم الوفاء (005)' } },
  { number: '4000000000009995', brand: 'VISA', behaviour: 'decline', outcome: OUTCOMES.insufficientFunds, label: { en: 'Declined: insufficient funds (051)', ar: 'مرفوضة: رصيد غير كافٍ (051)' } },
  { number: '4000000000000069', brand: 'VISA', behaviour: 'decline', outcome: OUTCOMES.expiredCard, label: { en: 'Declined: expired card (054)', ar: 'مرفوضة: بطاقة منتهية (054)' } },
  { number: '4000000000003220', brand: 'VISA', behaviour: '3ds', outcome: OUTCOMES.approved, label: { en: '3-D Secure: Approve or Fail (101)', ar: 'التحقق ثلاثي الأبعاد: موافقة أو فشل (101)' } },
  { number: '4000056655665556', brand: 'VISA', behaviour: 'debit', outcome: OUTCOMES.approved, label: { en: 'Approved, debit card: no card_token', ar: 'مقبولة، بطاقة خصم: بلا card_token' } },
]

const BY_NUMBER = new Map(TEST_CARDS.map((c) => [c.number, c]))

export type CardType = 'VISA' | 'MASTERCARD' | 'AMEX' | 'DISCOVER' | 'JCB' | 'DINERS' | 'UNIONPAY' | 'OTHER'

/** Luhn's checksum (ISO/IEC 7812). */
export function luhnValid (digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * The card's scheme from its number: Visa (4…) and Mastercard (51–55, 2221–2720), the two CONTRACT
 * §6.3 names; any other Luhn-valid number is approved too (the contract's test-card table) and
 * reports its own scheme, so no number is ever passed off as a Visa.
 */
export function brandOf (digits: string): CardType {
  if (digits.startsWith('4')) return 'VISA'
  const two = Number(digits.slice(0, 2))
  const four = Number(digits.slice(0, 4))
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD'
  if (two === 34 || two === 37) return 'AMEX'
  if (digits.startsWith('6011') || digits.startsWith('65') || (four >= 6440 && four <= 6499)) return 'DISCOVER'
  if (four >= 3528 && four <= 3589) return 'JCB'
  if (two === 36 || two === 38 || two === 39 || (four >= 3000 && four <= 3059)) return 'DINERS'
  if (two === 62) return 'UNIONPAY'
  return 'OTHER'
}

export interface Card {
  digits: string
  brand: CardType
  behaviour: CardBehaviour
  outcome: Outcome
}

export type CardField = 'card_number' | 'expiry' | 'cvv' | 'holder_name'
export type CardErrorKey = 'numberMissing' | 'numberInvalid' | 'expiryInvalid' | 'expiryPast' | 'cvvInvalid' | 'holderMissing' | 'holderTooLong'
export type CardErrors = Partial<Record<CardField, CardErrorKey>>

export interface CardInput {
  card_number?: string | undefined
  expiry?: string | undefined
  cvv?: string | undefined
  holder_name?: string | undefined
}

/** The card a number stands for (any other Luhn-valid number is approved). */
export function cardFor (digits: string): Card {
  const known = BY_NUMBER.get(digits)
  if (known !== undefined) return { digits, brand: known.brand, behaviour: known.behaviour, outcome: known.outcome }
  return { digits, brand: brandOf(digits), behaviour: 'approve', outcome: OUTCOMES.approved }
}

/** Spaces and dashes people type between digit groups are fine. */
export const normaliseNumber = (raw: string): string => raw.replace(/[\s-]/g, '')

export function checkNumber (raw: string | undefined): CardErrorKey | undefined {
  const digits = normaliseNumber(raw ?? '')
  if (digits === '') return 'numberMissing'
  if (!/^[0-9]{12,19}$/.test(digits) || !luhnValid(digits)) return 'numberInvalid'
  return undefined
}

/** Every problem with a card form, by field; empty when the card can be charged. `now` decides "past". */
export function checkCard (input: CardInput, now: Date): CardErrors {
  const errors: CardErrors = {}
  const number = checkNumber(input.card_number)
  if (number !== undefined) errors.card_number = number
  const expiry = /^\s*(0[1-9]|1[0-2])\s*\/\s*([0-9]{2})\s*$/.exec(input.expiry ?? '')
  if (expiry === null) {
    errors.expiry = 'expiryInvalid'
  } else {
    // A card is valid through the last day of its expiry month.
    const year = 2000 + Number(expiry[2])
    const month = Number(expiry[1])
    if (Date.UTC(year, month, 1) <= now.getTime()) errors.expiry = 'expiryPast'
  }
  if (!/^[0-9]{3,4}$/.test((input.cvv ?? '').trim())) errors.cvv = 'cvvInvalid'
  const holder = (input.holder_name ?? '').trim()
  if (holder === '') errors.holder_name = 'holderMissing'
  else if (holder.length > 100) errors.holder_name = 'holderTooLong'
  return errors
}

/**
 * What the card does when charged without its holder (collect-payment): a declining test card
 * declines as on the page; the 3-D Secure card is approved (no one is there to authenticate, as
 * merchant-initiated charges are exempt).
 */
export function chargeOutcomeOf (card: Card): ChargeOutcome {
  if (card.outcome === OUTCOMES.doNotHonour) return 'doNotHonour'
  if (card.outcome === OUTCOMES.insufficientFunds) return 'insufficientFunds'
  if (card.outcome === OUTCOMES.expiredCard) return 'expiredCard'
  return 'approved'
}

/** MM/YY as typed (already checked) to the month it names, YYYY-MM. */
export function expiryMonth (expiry: string): string {
  const [month, year] = expiry.split('/').map((part) => part.trim())
  return `20${year ?? '00'}-${month ?? '01'}`
}

/** YYYY-MM to MM/YY, as a card shows it. */
export const expiryLabel = (month: string): string => `${month.slice(5, 7)}/${month.slice(2, 4)}`

/** The first instant after a card's expiry month: it is valid through that month's last day. */
export function cardValidUntil (month: string): Date {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1))
}
