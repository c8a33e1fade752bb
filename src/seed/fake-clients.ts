// Pure fake-client generator: its own Faker instance, a seed and a fixed reference date, so the
// same inputs give byte-identical clients on every machine. The only importer of faker.
import { Faker, ar, base, en } from '@faker-js/faker'
import type { ClientRecord } from '../db/clients-store.js'
import type { Locale } from '../schemas/fixtures.js'

export interface FakeClientsOptions {
  merchantId: number
  firstId: number
  count: number
  seed: number
  locale: Locale
  /** "Now" for generated dates (ISO 8601); never the wall clock. */
  referenceDate: string
}

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

// faker's ar locale has no phone data: Gulf numbers in each country's mobile format.
const GULF_PHONES = [
  '974 [3567][0-9]{3} [0-9]{4}', // Qatar
  '971 5[024568] [0-9]{3} [0-9]{4}', // UAE
  '966 5[0-9] [0-9]{3} [0-9]{4}', // Saudi Arabia
  '965 [569][0-9]{3} [0-9]{4}', // Kuwait
  '973 3[0-9]{3} [0-9]{4}', // Bahrain
  '968 9[0-9]{3} [0-9]{4}', // Oman
]

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org']

function createFaker (locale: Locale, seed: number, referenceDate: string): Faker {
  const faker = new Faker({ locale: locale === 'ar' ? [ar, en, base] : [en, base], seed })
  faker.setDefaultRefDate(referenceDate)
  return faker
}

/**
 * Generates `count` clients with ids firstId, firstId+1, … Emails use reserved example domains
 * (no real mailbox is ever reached) and end in the client id, so they are unique and never
 * collide with a hand-written fixture email.
 */
export function * generateClients (o: FakeClientsOptions): Generator<ClientRecord> {
  const faker = createFaker(o.locale, o.seed, o.referenceDate)
  const notes = NOTES[o.locale]
  const refDate = new Date(o.referenceDate)
  for (let i = 0; i < o.count; i++) {
    const id = o.firstId + i
    const firstName = faker.person.firstName()
    const lastName = faker.person.lastName()
    const user = faker.internet.username({ firstName, lastName }).toLowerCase()
      .replace(/[^a-z0-9._]/g, '').replace(/[0-9._]+$/, '') || 'client'
    const phone = o.locale === 'ar'
      ? '+' + faker.helpers.fromRegExp(faker.helpers.arrayElement(GULF_PHONES))
      : faker.phone.number({ style: 'international' })
    const created = faker.date.past({ years: 3, refDate })
    const updated = faker.date.between({ from: created, to: refDate })
    yield {
      id,
      merchantId: o.merchantId,
      name: `${firstName} ${lastName}`,
      address: `${faker.location.streetAddress()}${o.locale === 'ar' ? '، ' : ', '}${faker.location.city()}`,
      phone,
      email: `${user}${id}@${faker.helpers.arrayElement(EMAIL_DOMAINS)}`,
      notes: faker.datatype.boolean({ probability: 2 / 3 }) ? faker.helpers.arrayElement(notes) : null,
      createdAt: created.toISOString(),
      updatedAt: updated.toISOString(),
    }
  }
}
