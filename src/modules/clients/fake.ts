// Pure fake-client generator: its own Faker instance, a seed and a fixed reference date, so the
// same inputs give byte-identical clients on every machine. The only importer of faker.
//
// Speed (a million clients in seconds; figures in docs/performance.md): faker's person/location
// generators are slow per call, so each locale's names, streets and cities are drawn once into pools (from
// faker's own locale data, with a fixed pool seed) and every client is composed from seeded
// picks. Randomness is re-seeded every CHUNK_SIZE clients from (seed, chunk number), so the
// output never depends on batch sizes or on how the work is split.
import type { Faker } from '@faker-js/faker'
// The per-locale entry points, not '@faker-js/faker' itself: that one loads every locale
// at once; these two load a fraction of it (a fresh database's cold start).
import { faker as fakerAr } from '@faker-js/faker/locale/ar'
import { faker as fakerEn } from '@faker-js/faker/locale/en'
import { DEFAULT_REFERENCE_DATE } from '../../seed/batches.js'
import { POOLS_JSON } from './pools-data.js'
import type { Locale } from './schema.js'
import type { ClientRecord } from './store.js'

export interface FakeClientsOptions {
  merchantId: number
  firstId: number
  count: number
  seed: number
  locale: Locale
  /** "Now" for generated dates (ISO 8601); never the wall clock. */
  referenceDate: string
}

/** Clients per deterministic chunk: part of the determinism contract, never change it lightly. */
export const CHUNK_SIZE = 10_000
export { DEFAULT_REFERENCE_DATE }

const POOL_SEED = 20250101
const POOL_SIZE = 2_000
const YEARS_BACK_MS = 3 * 365 * 24 * 3600 * 1000

// Short, realistic notes; a third of clients have none.
const NOTES: Record<Locale, readonly string[]> = {
  en: [
    'Prefers invoices by email', 'Net 30 payment terms', 'VIP customer', 'Call before delivery',
    'Pays by bank transfer', 'Requires PO number on invoices', 'Send receipts to accounts team',
    'Monthly subscription', 'Wholesale pricing agreed', 'Contact in the morning only',
  ],
  ar: [
    'يفضل استلام الفواتير عبر البريد الإلكتروني', 'شروط الدفع 30 يومًا', 'عميل مميز', 'الاتصال قبل التوصيل',
    'يدفع بالتحويل البنكي', 'يتطلب رقم أمر الشراء على الفواتير', 'إرسال الإيصالات إلى قسم الحسابات',
    'اشتراك شهري', 'تم الاتفاق على أسعار الجملة', 'التواصل صباحًا فقط',
  ],
}

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const
const EMAIL_SEPARATORS = ['.', '_', ''] as const

export interface Name { text: string, slug: string }
export interface Pools { firstNames: Name[], lastNames: Name[], streets: string[], cities: string[] }

const pools = new Map<Locale, Pools>()

// A new instance per use (generators may interleave), over the entry point's definitions:
// fakerAR's are [ar, en, base] merged, fakerEN's [en, base], exactly the chains used before.
const FakerClass = fakerEn.constructor as new (options: { locale: Faker['rawDefinitions'], seed: number }) => Faker

function createFaker (locale: Locale, seed: number, referenceDate: string): Faker {
  const faker = new FakerClass({ locale: (locale === 'ar' ? fakerAr : fakerEn).rawDefinitions, seed })
  faker.setDefaultRefDate(referenceDate)
  return faker
}

// An ASCII e-mail slug for a name, using faker's own transliteration (Arabic → Latin). Hamza
// forms first become their base letters: faker would spell them as digits (a190myr for أمير).
function slugOf (faker: Faker, text: string): string {
  const plain = text.replace(/[أإآ]/g, 'ا').replace(/ؤ/g, 'و').replace(/ئ/g, 'ي').replace(/ء/g, '')
  const slug = faker.internet.username({ firstName: plain, lastName: 'x' }).toLowerCase()
  return slug.replace(/[._]?x[0-9]*$/, '').replace(/[^a-z0-9]/g, '').replace(/[0-9]+$/, '') || 'client'
}

/** Draws the locale's pools from faker (its locale data, the fixed pool seed): what pools-data.ts holds. */
export function drawPools (locale: Locale): Pools {
  const faker = createFaker(locale, POOL_SEED, DEFAULT_REFERENCE_DATE)
  const draw = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make)
  const name = (text: string): Name => ({ text, slug: slugOf(faker, text) })
  return {
    firstNames: draw(POOL_SIZE, () => name(faker.person.firstName())),
    lastNames: draw(POOL_SIZE, () => name(faker.person.lastName())),
    streets: draw(POOL_SIZE, () => faker.location.street()),
    cities: draw(POOL_SIZE / 4, () => faker.location.city()),
  }
}

/**
 * The locale's names (with their e-mail slugs), streets and cities: fake invoices' clients are
 * composed from them too. Read from pools-data.ts, drawn once with drawPools and kept: drawing
 * them took ~190 ms of every new database (startMock's in-memory one included), for the same
 * 13,000 values every time (a test compares the two).
 */
export function poolsFor (locale: Locale): Pools {
  let p = pools.get(locale)
  if (p !== undefined) return p
  const kept = (JSON.parse(POOLS_JSON) as Record<Locale, KeptPools>)[locale]
  const names = (list: Array<[string, string]>): Name[] => list.map(([text, slug]) => ({ text, slug }))
  p = { firstNames: names(kept.firstNames), lastNames: names(kept.lastNames), streets: kept.streets, cities: kept.cities }
  pools.set(locale, p)
  return p
}

/** Pools as pools-data.ts keeps them: names as [text, slug] pairs. */
export interface KeptPools { firstNames: Array<[string, string]>, lastNames: Array<[string, string]>, streets: string[], cities: string[] }

/**
 * Generates `count` clients with ids firstId, firstId+1, … Emails use reserved example domains
 * (no real mailbox is ever reached) and end in the client id, so they are unique and never
 * collide with a hand-written fixture email. Arabic clients get Gulf mobile numbers.
 */
export function * generateClients (o: FakeClientsOptions): Generator<ClientRecord> {
  const p = poolsFor(o.locale)
  const faker = createFaker(o.locale, o.seed, o.referenceDate)
  const int = (max: number): number => faker.number.int(max)
  const pick = <T>(list: readonly T[]): T => list[int(list.length - 1)] as T
  const digits = (n: number): string => String(int(10 ** n - 1)).padStart(n, '0')
  const notes = NOTES[o.locale]
  const comma = o.locale === 'ar' ? '، ' : ', '
  const ref = Date.parse(o.referenceDate)
  const gulfPhone = (): string => {
    switch (int(5)) {
      case 0: return `+974 ${pick(['3', '5', '6', '7'])}${digits(3)} ${digits(4)}` // Qatar
      case 1: return `+971 5${pick(['0', '2', '4', '5', '6', '8'])} ${digits(3)} ${digits(4)}` // UAE
      case 2: return `+966 5${digits(1)} ${digits(3)} ${digits(4)}` // Saudi Arabia
      case 3: return `+965 ${pick(['5', '6', '9'])}${digits(3)} ${digits(4)}` // Kuwait
      case 4: return `+973 3${digits(3)} ${digits(4)}` // Bahrain
      default: return `+968 9${digits(3)} ${digits(4)}` // Oman
    }
  }
  // North American numbering: +1 NXX NXX XXXX, as faker's international style writes it.
  const usPhone = (): string => `+1${2 + int(7)}${digits(2)}${2 + int(7)}${digits(6)}`

  for (let i = 0; i < o.count; i++) {
    if (i % CHUNK_SIZE === 0) faker.seed([o.seed, i / CHUNK_SIZE])
    const id = o.firstId + i
    const first = pick(p.firstNames)
    const last = pick(p.lastNames)
    const created = ref - 1 - int(YEARS_BACK_MS)
    const updated = created + int(ref - created)
    yield {
      id,
      merchantId: o.merchantId,
      name: `${first.text} ${last.text}`,
      address: `${1 + int(9998)} ${pick(p.streets)}${comma}${pick(p.cities)}`,
      phone: o.locale === 'ar' ? gulfPhone() : usPhone(),
      email: `${first.slug}${pick(EMAIL_SEPARATORS)}${last.slug}${id}@${pick(EMAIL_DOMAINS)}`,
      notes: int(2) === 0 ? null : pick(notes),
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(updated).toISOString(),
    }
  }
}
