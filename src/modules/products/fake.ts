// Pure fake-product generator (CONTRACT §3, §7): its own Faker instance, a seed and a fixed reference
// date, so the same inputs give byte-identical products on every machine, in English or Arabic.
// Names are composed from faker's own commerce words of the locale (one pick per word: fast for a
// million rows), descriptions from short templates around the name. Randomness is re-seeded every
// CHUNK_SIZE products from (seed, chunk number), as for clients, so the output never depends on
// batch sizes.
import type { Faker } from '@faker-js/faker'
// The per-locale entry points: loading '@faker-js/faker' itself loads every locale (see clients' fake.ts).
import { faker as fakerAr } from '@faker-js/faker/locale/ar'
import { faker as fakerEn } from '@faker-js/faker/locale/en'
import type { SeedLocale } from '../module.js'
import type { ProductRecord } from './store.js'

export interface FakeProductsOptions {
  merchantId: number
  firstId: number
  count: number
  seed: number
  locale: SeedLocale
  /** "Now" for generated dates (ISO 8601); never the wall clock. */
  referenceDate: string
}

/** Products per deterministic chunk: part of the determinism contract, never change it lightly. */
export const CHUNK_SIZE = 10_000

const YEAR_MS = 365 * 24 * 3600 * 1000

// A shop in the Gulf sells no pork: faker's word lists have it in both locales.
const NOT_SOLD = new Set(['Bacon', 'لحم خنزير مقدد'])

interface Words { adjectives: string[], materials: string[], products: string[], departments: string[] }

function wordsOf (faker: Faker): Words {
  const commerce = faker.rawDefinitions.commerce as { product_name: { adjective: string[], material: string[], product: string[] }, department: string[] }
  return {
    adjectives: commerce.product_name.adjective,
    materials: commerce.product_name.material,
    products: commerce.product_name.product.filter((p) => !NOT_SOLD.has(p)),
    departments: commerce.department,
  }
}

const WORDS: Record<SeedLocale, Words> = { en: wordsOf(fakerEn), ar: wordsOf(fakerAr) }

// Faker's own word order per locale: "Rustic Steel Chair", "كرسي فولاذ ريفي".
const NAME: Record<SeedLocale, (adjective: string, material: string, product: string) => string> = {
  en: (a, m, p) => `${a} ${m} ${p}`,
  ar: (a, m, p) => `${p} ${m} ${a}`,
}

const DESCRIPTION_LEADS: Record<SeedLocale, ReadonlyArray<(name: string) => string>> = {
  en: [
    (n) => `${n} for everyday use.`,
    (n) => `${n}: quality at a fair price.`,
    (n) => `Our best-selling ${n.toLowerCase()}.`,
    (n) => `${n}, practical and built to last.`,
  ],
  ar: [
    (n) => `${n} للاستخدام اليومي.`,
    (n) => `${n} بجودة عالية وسعر مناسب.`,
    (n) => `الأكثر مبيعًا لدينا: ${n}.`,
    (n) => `${n}، تصميم عملي يدوم طويلًا.`,
  ],
}

const DESCRIPTION_TAILS: Record<SeedLocale, readonly string[]> = {
  en: ['Ships within 2 business days.', 'One-year warranty.', 'Available in three sizes.', 'Free delivery in Doha.', 'Limited stock.', 'Gift wrapping available.'],
  ar: ['يُشحن خلال يومي عمل.', 'ضمان لمدة سنة.', 'متوفر بثلاثة مقاسات.', 'توصيل مجاني داخل الدوحة.', 'الكمية محدودة.', 'تغليف الهدايا متاح.'],
}

// Mostly round shop prices; one in ten uses all three decimals (exact amounts, CONTRACT §6.1).
const CENTS = [0, 0, 0, 500, 250, 750, 990, 950] as const

// A new instance per use (generators may interleave), over the entry point's definitions.
const FakerClass = fakerEn.constructor as new (options: { locale: Faker['rawDefinitions'], seed: number }) => Faker

/**
 * Generates `count` products with ids firstId, firstId+1, … in QAR, created over the year before
 * the reference date. SKUs are `SKU-<id>` (as the hand-written fixtures'), so unique per merchant
 * unless a hand-written sku already says so — the seeder then leaves that one without a sku.
 * Images are on the reserved example.com domain.
 */
export function * generateProducts (o: FakeProductsOptions): Generator<ProductRecord> {
  const faker = new FakerClass({ locale: (o.locale === 'ar' ? fakerAr : fakerEn).rawDefinitions, seed: o.seed })
  const int = (max: number): number => faker.number.int(max)
  const pick = <T>(list: readonly T[]): T => list[int(list.length - 1)] as T
  const w = WORDS[o.locale]
  const leads = DESCRIPTION_LEADS[o.locale]
  const tails = DESCRIPTION_TAILS[o.locale]
  const ref = Date.parse(o.referenceDate)

  for (let i = 0; i < o.count; i++) {
    if (i % CHUNK_SIZE === 0) faker.seed([o.seed, i / CHUNK_SIZE])
    const id = o.firstId + i
    const name = NAME[o.locale](pick(w.adjectives), pick(w.materials), pick(w.products))
    const tier = int(9)
    const whole = tier < 6 ? 1 + int(199) : tier < 9 ? 200 + int(1799) : 2000 + int(18_000)
    const fraction = int(9) === 0 ? int(999) : pick(CENTS)
    const limited = int(6) === 0
    const created = ref - 1 - int(YEAR_MS)
    const updated = created + int(ref - 1 - created)
    yield {
      id,
      merchantId: o.merchantId,
      name,
      priceMilli: whole * 1000 + fraction,
      sku: int(9) === 0 ? null : `SKU-${id}`,
      image: int(2) === 0 ? null : `https://example.com/images/product-${id}.png`,
      description: int(4) === 0 ? null : `${pick(leads)(name)} ${pick(tails)}`,
      language: o.locale,
      currency: 'QAR',
      status: pick(['Normal', 'Normal', 'Normal', 'Normal', 'Normal', 'Normal', 'Draft', 'Archived']),
      category: int(19) === 0 ? null : pick(w.departments),
      isPublic: int(6) !== 0,
      isLimited: limited,
      isCashier: int(3) === 0,
      maxCount: limited ? int(500) : null,
      maxOrder: int(4) === 0 ? 1 + int(9) : null,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(updated).toISOString(),
    }
  }
}
