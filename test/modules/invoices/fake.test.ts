// The fake-invoice generator (CONTRACT §3, §7): pinned output for a seed, deterministic, independent
// of the wall clock and of how the work is split, and invoices whose amounts, items, dates and
// statuses agree with each other, in both locales.
import t from 'tap'
import { generateInvoices } from '../../../src/modules/invoices/fake.js'

const REFERENCE_DATE = '2025-01-01T00:00:00.000Z'
const PRODUCTS = [{ id: 669, name: 'Product Name', priceMilli: 100_000 }, { id: 670, name: 'Cashier Coffee', priceMilli: 12_500 }, { id: 671, name: 'Limited Edition Mug', priceMilli: 45_125 }]
const recipe = { merchantId: 1, firstId: 1, count: 40, seed: 2075, locale: 'en' as const, referenceDate: REFERENCE_DATE, products: PRODUCTS.slice(0, 2) }

t.test('faker output is pinned: the same seed gives these exact invoices on every machine', async (t) => {
  const [first] = generateInvoices(recipe)
  t.same(first, {
    id: 1,
    merchantId: 1,
    number: 'INV-000001',
    type: 'detailed',
    title: 'Project invoice – January 2024',
    description: 'Cashier Coffee and 1 more',
    amountMilli: 1_710_000,
    currency: 'QAR',
    status: 'paid',
    date: '2024-01-24T00:00:00Z',
    dueDate: '2024-02-23T00:00:00Z',
    termsConditions: 'Prices are in Qatari riyals.',
    note: null,
    clientName: 'Jill Cummings',
    clientEmail: 'jill.cummings110@example.org',
    clientPhone: '+16846747398',
    clientAddress: '235 Renner Forest, North Tannerworth',
    items: [
      { productId: 670, description: 'Cashier Coffee', qtyMilli: 1000, amountMilli: 12_500, type: 'Inventory' },
      { productId: null, description: 'Support hours', qtyMilli: 3500, amountMilli: 1_697_500, type: 'Service' },
    ],
    payments: [{ payment_date: '2024-01-27T09:25:06Z', transaction_id: 'TXN6653465724', amount_milli: 1_710_000, note: null, payment_type: 'apple_pay', status: 'paid' }],
    taxMilli: 0,
    discountMilli: 0,
    discountType: null,
    language: 'en',
    acceptedPaymentMethods: ['credit_card', 'apple_pay'],
    createdAt: '2024-01-24T22:23:55.375Z',
    updatedAt: '2024-01-27T09:25:06.754Z',
  })
  // A merchant without products: services only.
  const [arFirst] = generateInvoices({ ...recipe, merchantId: 2, firstId: 2001, seed: 4075, locale: 'ar', products: [] })
  t.same(arFirst, {
    id: 2001,
    merchantId: 2,
    number: 'INV-002001',
    type: 'detailed',
    title: 'فاتورة مشروع – ديسمبر 2024',
    description: 'استشارات',
    amountMilli: 3_652_950,
    currency: 'QAR',
    status: 'cancelled',
    date: '2024-12-13T00:00:00Z',
    dueDate: '2025-01-12T00:00:00Z',
    termsConditions: 'تُفرض رسوم 2٪ شهريًا على التأخر في السداد.',
    note: null,
    clientName: 'فاطمه بن حمودة',
    clientEmail: 'fatmh.bnhmwdt112@example.com',
    clientPhone: '+974 6359 0086',
    clientAddress: '874 مَمَر نسيم، نينوى',
    items: [{ productId: null, description: 'استشارات', qtyMilli: 7000, amountMilli: 3_479_000, type: 'Service' }],
    payments: [],
    taxMilli: 5000,
    discountMilli: 0,
    discountType: null,
    language: 'ar',
    acceptedPaymentMethods: ['credit_card', 'debit_card'],
    createdAt: '2024-12-13T10:10:59.584Z',
    updatedAt: '2024-12-13T10:10:59.584Z',
  })
})

t.test('generation is deterministic, independent of the wall clock and of the count', async (t) => {
  const a = JSON.stringify([...generateInvoices(recipe)])
  t.equal(JSON.stringify([...generateInvoices(recipe)]), a)
  t.not(JSON.stringify([...generateInvoices({ ...recipe, seed: 2076 })]), a, 'another seed gives other invoices')
  const long = [...generateInvoices({ ...recipe, count: 10_005 })]
  t.equal(JSON.stringify(long.slice(0, 40)), a, 'the first invoices do not depend on the count')
  t.same([long[10_004]?.id, long[10_004]?.number], [10_005, 'INV-010005'])
  t.not(JSON.stringify({ ...long[10_000], id: 0, number: '' }), JSON.stringify({ ...long[0], id: 0, number: '' }), 'the second chunk is not a copy of the first')
})

t.test('fake invoices agree with themselves: amounts, items, dates, statuses, payments', async (t) => {
  for (const [locale, products] of [['en', PRODUCTS], ['ar', PRODUCTS], ['en', []]] as const) {
    const what = `${locale}, ${products.length} products`
    const invoices = [...generateInvoices({ ...recipe, count: 2000, locale, products })]
    const price = new Map<number, number>(products.map((p) => [p.id, p.priceMilli]))
    // One assertion per rule, listing the invoices that break it (empty lists pass).
    const broken = (rule: (i: typeof invoices[number]) => boolean): number[] => invoices.filter((i) => !rule(i)).map((i) => i.id)
    const sum = (i: typeof invoices[number]): number => i.items.reduce((s, it) => s + it.amountMilli, 0)
    t.same(broken((i) => i.type === 'quick' ? i.items.length === 0 : i.items.length >= 1 && i.items.length <= 4), [], `${what}: quick invoices have no items, detailed ones 1 to 4`)
    t.same(broken((i) => i.items.every((it) => it.productId === null
      ? it.type === 'Service' && it.amountMilli % (it.qtyMilli / 1000) === 0
      : it.type === 'Inventory' && it.amountMilli === (price.get(it.productId) as number) * it.qtyMilli / 1000)), [], `${what}: an item's amount is its quantity times the product's price (or an hourly rate)`)
    t.same(broken((i) => i.items.every((it) => it.productId === null || price.has(it.productId))), [], `${what}: items name only the given products`)
    t.same(broken((i) => {
      if (i.type === 'quick') return i.taxMilli === null && i.discountMilli === null && i.amountMilli >= 10_000
      const s = sum(i)
      const after = i.discountType === 'percentage' ? s - Math.round(s * (i.discountMilli as number) / 100_000) : s - (i.discountMilli as number)
      return i.amountMilli === after + Math.round(after * (i.taxMilli as number) / 100_000)
    }), [], `${what}: the total is the items' sum less the discount plus the tax, in exact thousandths`)
    t.same(broken((i) => Number.isInteger(i.amountMilli) && i.amountMilli <= 999_999_999_999 && i.items.every((it) => Number.isInteger(it.amountMilli) && Number.isInteger(it.qtyMilli))), [], `${what}: amounts are whole thousandths (at most 3 decimals)`)
    t.same(broken((i) => /^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(i.date) && i.date >= '2024-01-01' && i.date < '2025-01-01' && i.createdAt.startsWith(i.date.slice(0, 10))), [], `${what}: dated in the year before the reference date, created that day`)
    t.same(broken((i) => i.type === 'quick' ? i.dueDate === null : i.dueDate !== null && [7, 14, 30].includes((Date.parse(i.dueDate) - Date.parse(i.date)) / 86_400_000)), [], `${what}: detailed invoices are due 7, 14 or 30 days later`)
    t.same(broken((i) => {
      const paid = i.payments.reduce((s, p) => s + (p.amount_milli ?? 0), 0)
      switch (i.status) {
        case 'paid': return i.payments.length === 1 && paid === i.amountMilli
        case 'partially_paid': return i.payments.length === 1 && paid > 0 && paid < i.amountMilli
        case 'overdue': return i.payments.length === 0 && i.dueDate !== null && i.dueDate < '2025-01-01'
        case 'unpaid': return i.payments.length === 0 && (i.dueDate === null || i.dueDate >= '2025-01-01')
        case 'cancelled': return i.payments.length === 0
        default: return false
      }
    }), [], `${what}: statuses agree with payments and due dates`)
    t.same(broken((i) => i.payments.every((p) => p.payment_date !== null && p.payment_date >= i.date && p.payment_date < '2025-01-01')), [], `${what}: payments fall between the invoice date and the reference date`)
    t.same(broken((i) => /@example\.(com|net|org)$/.test(i.clientEmail ?? '') && i.language === locale && i.currency === 'QAR'), [], `${what}: reserved e-mail domains, the locale, QAR`)
    const statuses = new Set(invoices.map((i) => i.status))
    t.same([...statuses].sort(), ['cancelled', 'overdue', 'paid', 'partially_paid', 'unpaid'], `${what}: every status appears`)
    t.ok(new Set(invoices.map((i) => i.clientEmail)).size <= 200, `${what}: clients come from an address book (several invoices each)`)
  }
})
