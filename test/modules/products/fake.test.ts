// The fake-product generator (CONTRACT §3, §7): pinned output for a seed, deterministic, independent
// of the wall clock and of how the work is split, and plausible products in both locales.
import t from 'tap'
import { generateProducts } from '../../../src/modules/products/fake.js'

const recipe = { merchantId: 1, firstId: 1, count: 20, seed: 669, locale: 'en' as const, referenceDate: '2025-01-01T00:00:00.000Z' }

t.test('faker output is pinned: the same seed gives these exact products on every machine', async (t) => {
  const [first] = generateProducts(recipe)
  t.same(first, {
    id: 1,
    merchantId: 1,
    name: 'Fresh Steel Chair',
    priceMilli: 512933,
    sku: 'SKU-1',
    image: 'https://example.com/images/product-1.png',
    description: 'Fresh Steel Chair: quality at a fair price. One-year warranty.',
    language: 'en',
    currency: 'QAR',
    status: 'Normal',
    category: 'Grocery',
    isPublic: true,
    isLimited: false,
    isCashier: false,
    maxCount: null,
    maxOrder: 8,
    createdAt: '2024-08-09T07:16:07.558Z',
    updatedAt: '2024-12-20T20:24:33.501Z',
  })
  const [arFirst] = generateProducts({ ...recipe, merchantId: 2, firstId: 2001, seed: 2669, locale: 'ar' })
  t.same(arFirst, {
    id: 2001,
    merchantId: 2,
    name: 'فأر ناعم مشتق',
    priceMilli: 92500,
    sku: 'SKU-2001',
    image: 'https://example.com/images/product-2001.png',
    description: 'الأكثر مبيعًا لدينا: فأر ناعم مشتق. توصيل مجاني داخل الدوحة.',
    language: 'ar',
    currency: 'QAR',
    status: 'Normal',
    category: 'رضع',
    isPublic: false,
    isLimited: false,
    isCashier: false,
    maxCount: null,
    maxOrder: null,
    createdAt: '2024-04-08T14:28:14.579Z',
    updatedAt: '2024-05-30T08:38:28.930Z',
  })
})

t.test('generation is deterministic, independent of the wall clock and of the count', async (t) => {
  const a = JSON.stringify([...generateProducts(recipe)])
  t.equal(JSON.stringify([...generateProducts(recipe)]), a)
  t.not(JSON.stringify([...generateProducts({ ...recipe, seed: 670 })]), a, 'another seed gives other products')
  const long = [...generateProducts({ ...recipe, count: 10_005 })]
  t.equal(JSON.stringify(long.slice(0, 20)), a, 'the first products do not depend on the count')
  t.same(long[10_004]?.id, 10_005)
  t.not(long[10_000]?.name + String(long[10_000]?.priceMilli), long[0]?.name + String(long[0]?.priceMilli), 'the second chunk is not a copy of the first')
})

t.test('fake products look real: names in the locale, exact prices, SKU-<id>, reserved image URLs, dates in the year before', async (t) => {
  for (const locale of ['en', 'ar'] as const) {
    const products = [...generateProducts({ ...recipe, count: 500, locale })]
    const script = locale === 'ar' ? /^[\p{Script=Arabic} ]+$/u : /^[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+$/
    // One assertion per rule, listing the products that break it (empty lists pass).
    const broken = (rule: (p: typeof products[number]) => boolean): number[] => products.filter((p) => !rule(p)).map((p) => p.id)
    t.same(broken((p) => script.test(p.name)), [], `${locale}: three-word names in the locale's script`)
    t.same(broken((p) => !/Bacon|خنزير/.test(p.name)), [], `${locale}: no pork`)
    t.same(broken((p) => Number.isInteger(p.priceMilli) && p.priceMilli >= 1000 && p.priceMilli <= 20_000_999), [], `${locale}: prices from 1 to 20,000.999 QAR, in thousandths`)
    t.same(broken((p) => p.sku === null || p.sku === `SKU-${p.id}`), [], `${locale}: SKU-<id> or none`)
    t.same(broken((p) => p.image === null || p.image === `https://example.com/images/product-${p.id}.png`), [], `${locale}: images on example.com`)
    t.same(broken((p) => p.description === null || p.description.toLowerCase().includes(p.name.toLowerCase())), [], `${locale}: descriptions name the product`)
    t.same(broken((p) => p.language === locale && p.currency === 'QAR' && ['Normal', 'Draft', 'Archived'].includes(p.status)), [], `${locale}: language, QAR, a status`)
    t.same(broken((p) => (p.maxCount === null) === !p.isLimited), [], `${locale}: a stock limit exactly when limited`)
    t.same(broken((p) => p.createdAt >= '2024-01-01T23:59:59.999Z' && p.createdAt <= p.updatedAt && p.updatedAt < '2025-01-01T00:00:00.000Z'), [], `${locale}: created and updated in the year before the reference date`)
    const threeDecimals = products.filter((p) => p.priceMilli % 10 !== 0).length
    t.ok(threeDecimals > 20 && threeDecimals < 100, `${locale}: about one price in ten uses three decimals (${threeDecimals}/500)`)
  }
})
