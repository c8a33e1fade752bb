// Pure fake-invoice generator (CONTRACT §3, §7): its own Faker instance, a seed and a fixed reference
// date, so the same inputs give byte-identical invoices on every machine, in English or Arabic.
//
// Each invoice is dated in the year before the reference date, quick (an amount and a description)
// or detailed (items naming the merchant's products, or services when it has none), with exact
// amounts in thousandths: an item's amount is its quantity times the unit price, the invoice's
// the items' sum less any discount plus any tax. The status agrees with the dates and payments
// (an overdue invoice's due date has passed; a paid one has a payment of the whole amount).
// Clients come from a per-seed address book drawn from the fake clients' name pools, so the same
// client has several invoices (the client_email filter finds them). Randomness is re-seeded every
// CHUNK_SIZE invoices from (seed, chunk number), as for clients: the output never depends on
// batch sizes.
import type { Faker } from '@faker-js/faker'
// The per-locale entry points: loading '@faker-js/faker' itself loads every locale (see clients' fake.ts).
import { faker as fakerAr } from '@faker-js/faker/locale/ar'
import { faker as fakerEn } from '@faker-js/faker/locale/en'
import { poolsFor } from '../clients/fake.js'
import type { SeedLocale } from '../module.js'
import type { CatalogProduct } from '../products/store.js'
import type { InvoiceItemFields, InvoicePaymentFields, InvoiceRecord } from './store.js'

export interface FakeInvoicesOptions {
  merchantId: number
  firstId: number
  count: number
  seed: number
  locale: SeedLocale
  /** "Now" for generated dates (ISO 8601); never the wall clock. */
  referenceDate: string
  /** The merchant's products, which detailed invoices' items name; none: items without product_id. */
  products: readonly CatalogProduct[]
}

/** Invoices per deterministic chunk: part of the determinism contract, never change it lightly. */
export const CHUNK_SIZE = 10_000
/** Clients in a seed's address book. */
export const BOOK_SIZE = 200

const DAY_MS = 24 * 3600 * 1000
const YEAR_MS = 365 * DAY_MS

interface Text {
  months: readonly string[]
  titles: readonly string[]
  quick: readonly string[]
  services: readonly string[]
  more: (description: string, others: number) => string
  terms: readonly string[]
  notes: readonly string[]
  comma: string
}

const TEXT: Record<SeedLocale, Text> = {
  en: {
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    titles: ['Invoice', 'Sales invoice', 'Service invoice', 'Monthly invoice', 'Project invoice'],
    quick: ['Deposit for order', 'Consultation fee', 'Monthly subscription', 'Event booking', 'Balance due', 'Repair service', 'Delivery charge', 'Custom order', 'Workshop seat', 'Annual membership'],
    services: ['Consulting', 'Installation', 'Maintenance visit', 'Design work', 'Training session', 'Support hours'],
    more: (d, n) => `${d} and ${n} more`,
    terms: ['Payment due within 14 days.', 'Goods remain our property until paid in full.', 'Late payments incur a 2% monthly fee.', 'Prices are in Qatari riyals.'],
    notes: ['Thank you for your business!', 'Please quote the invoice number with your payment.', 'Delivered to the front desk.', 'Call before delivery.'],
    comma: ', ',
  },
  ar: {
    months: ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'],
    titles: ['فاتورة', 'فاتورة مبيعات', 'فاتورة خدمات', 'فاتورة شهرية', 'فاتورة مشروع'],
    quick: ['دفعة مقدمة للطلب', 'رسوم استشارة', 'اشتراك شهري', 'حجز فعالية', 'الرصيد المستحق', 'خدمة إصلاح', 'رسوم التوصيل', 'طلب خاص', 'مقعد في ورشة عمل', 'عضوية سنوية'],
    services: ['استشارات', 'تركيب', 'زيارة صيانة', 'أعمال تصميم', 'جلسة تدريب', 'ساعات دعم'],
    more: (d) => `${d} وأصناف أخرى`,
    terms: ['الدفع خلال 14 يومًا.', 'تبقى البضاعة ملكًا لنا حتى السداد الكامل.', 'تُفرض رسوم 2٪ شهريًا على التأخر في السداد.', 'الأسعار بالريال القطري.'],
    notes: ['شكرًا لتعاملكم معنا!', 'يرجى ذكر رقم الفاتورة عند الدفع.', 'تم التسليم إلى الاستقبال.', 'الاتصال قبل التوصيل.'],
    comma: '، ',
  },
}

const PAYMENT_METHODS = [['credit_card'], ['credit_card', 'apple_pay'], ['credit_card', 'debit_card'], ['credit_card', 'apple_pay', 'google_pay']] as const
const PAYMENT_TYPES = ['credit_card', 'bank_transfer', 'cash', 'apple_pay'] as const
const QUANTITIES = [1, 1, 1, 1, 2, 2, 3, 5, 10] as const
const CENTS = [0, 0, 0, 500, 250, 750, 990, 950] as const
const DUE_DAYS = [7, 14, 30] as const

interface BookClient { name: string, email: string, phone: string, address: string | null }

// A new instance per use (generators may interleave), over the entry point's definitions.
const FakerClass = fakerEn.constructor as new (options: { locale: Faker['rawDefinitions'], seed: number }) => Faker

/** ISO 8601 UTC to the second, as invoice dates are stored and answered ("2024-03-05T00:00:00Z"). */
const toSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z'

/** The seed's clients: names, e-mails (reserved example domains, unique in the book), phones, addresses. */
function addressBook (faker: Faker, locale: SeedLocale): BookClient[] {
  const p = poolsFor(locale)
  const int = (max: number): number => faker.number.int(max)
  const pick = <T>(list: readonly T[]): T => list[int(list.length - 1)] as T
  const digits = (n: number): string => String(int(10 ** n - 1)).padStart(n, '0')
  return Array.from({ length: BOOK_SIZE }, (_, k) => {
    const first = pick(p.firstNames)
    const last = pick(p.lastNames)
    return {
      name: `${first.text} ${last.text}`,
      email: `${first.slug}.${last.slug}${k + 1}@example.${pick(['com', 'net', 'org'])}`,
      // Qatari mobiles for Arabic data, North American numbers for English (as fake clients').
      phone: locale === 'ar' ? `+974 ${pick(['3', '5', '6', '7'])}${digits(3)} ${digits(4)}` : `+1${2 + int(7)}${digits(2)}${2 + int(7)}${digits(6)}`,
      address: int(3) === 0 ? null : `${1 + int(998)} ${pick(p.streets)}${TEXT[locale].comma}${pick(p.cities)}`,
    }
  })
}

/** Generates `count` invoices with ids firstId, firstId+1, … numbered INV-000123, in QAR. */
export function * generateInvoices (o: FakeInvoicesOptions): Generator<InvoiceRecord> {
  const definitions = (o.locale === 'ar' ? fakerAr : fakerEn).rawDefinitions
  const book = addressBook(new FakerClass({ locale: definitions, seed: o.seed }), o.locale)
  const faker = new FakerClass({ locale: definitions, seed: o.seed })
  const int = (max: number): number => faker.number.int(max)
  const pick = <T>(list: readonly T[]): T => list[int(list.length - 1)] as T
  const digits = (n: number): string => String(int(10 ** n - 1)).padStart(n, '0')
  const text = TEXT[o.locale]
  const ref = Date.parse(o.referenceDate)
  const products = o.products

  const item = (): InvoiceItemFields => {
    if (products.length > 0 && int(6) !== 0) {
      const product = pick(products)
      const qty = pick(QUANTITIES)
      return { productId: product.id, description: product.name, qtyMilli: qty * 1000, amountMilli: qty * product.priceMilli, type: 'Inventory' }
    }
    // Services by the hour, in half hours, at a whole-riyal rate: the amount stays exact.
    const qtyMilli = 500 * (1 + int(15))
    return { productId: null, description: pick(text.services), qtyMilli, amountMilli: qtyMilli * (100 + int(400)), type: 'Service' }
  }

  for (let i = 0; i < o.count; i++) {
    if (i % CHUNK_SIZE === 0) faker.seed([o.seed, i / CHUNK_SIZE])
    const id = o.firstId + i
    const day = Math.floor((ref - 1 - int(YEAR_MS)) / DAY_MS) * DAY_MS
    const created = Math.min(day + int(DAY_MS - 1), ref - 1)
    const client = pick(book)
    const detailed = int(9) < 7
    const items: InvoiceItemFields[] = []
    let amountMilli: number
    let taxMilli: number | null = null
    let discountMilli: number | null = null
    let discountType: 'fixed' | 'percentage' | null = null
    if (detailed) {
      const n = 1 + int(3)
      for (let k = 0; k < n; k++) items.push(item())
      const subtotal = items.reduce((sum, it) => sum + it.amountMilli, 0)
      let afterDiscount = subtotal
      discountMilli = 0
      const discount = int(11)
      if (discount < 2) {
        // A whole-riyal discount of 5–9 % (none on a small invoice).
        discountMilli = Math.floor(subtotal * (5 + int(4)) / 100 / 1000) * 1000
        discountType = discountMilli > 0 ? 'fixed' : null
        afterDiscount = subtotal - discountMilli
      } else if (discount === 2) {
        const percent = pick([5, 10, 15])
        discountMilli = percent * 1000
        discountType = 'percentage'
        afterDiscount = subtotal - Math.round(subtotal * percent / 100)
      }
      // Gulf VAT (5 %) on one invoice in five.
      taxMilli = int(4) === 0 ? 5000 : 0
      amountMilli = afterDiscount + Math.round(afterDiscount * taxMilli / 100_000)
    } else {
      const tier = int(9)
      amountMilli = (tier < 7 ? 10 + int(490) : 500 + int(4500)) * 1000 + pick(CENTS)
    }

    const due = detailed ? day + pick(DUE_DAYS) * DAY_MS : null
    const payments: InvoicePaymentFields[] = []
    let updated = created
    const pay = (amount: number): void => {
      const at = created + int(Math.min(due === null ? 14 * DAY_MS : due - created, ref - 1 - created))
      updated = Math.max(updated, at)
      payments.push({ payment_date: toSeconds(at), transaction_id: `TXN${digits(10)}`, amount_milli: amount, note: null, payment_type: pick(PAYMENT_TYPES), status: 'paid' })
    }
    const roll = int(99)
    let status: string
    if (roll < 45) {
      status = 'paid'
      pay(amountMilli)
    } else if (roll < 55 && amountMilli >= 2000) {
      status = 'partially_paid'
      pay(Math.max(1000, Math.floor(amountMilli * (30 + int(40)) / 100 / 1000) * 1000))
    } else if (roll < 60) {
      status = 'cancelled'
    } else {
      status = due !== null && due < ref ? 'overdue' : 'unpaid'
    }

    const date = new Date(day)
    yield {
      id,
      merchantId: o.merchantId,
      number: `INV-${String(id).padStart(6, '0')}`,
      type: detailed ? 'detailed' : 'quick',
      title: detailed ? `${pick(text.titles)} – ${text.months[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}` : null,
      description: detailed
        ? (items.length > 1 ? text.more(items[0]?.description ?? '', items.length - 1) : items[0]?.description ?? null)
        : pick(text.quick),
      amountMilli,
      currency: 'QAR',
      status,
      date: toSeconds(day),
      dueDate: due === null ? null : toSeconds(due),
      termsConditions: detailed && int(1) === 0 ? pick(text.terms) : null,
      note: int(2) === 0 ? pick(text.notes) : null,
      clientName: client.name,
      clientEmail: client.email,
      clientPhone: client.phone,
      clientAddress: detailed ? client.address : null,
      items,
      payments,
      taxMilli,
      discountMilli,
      discountType,
      language: o.locale,
      acceptedPaymentMethods: [...pick(PAYMENT_METHODS)],
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(updated).toISOString(),
    }
  }
}
