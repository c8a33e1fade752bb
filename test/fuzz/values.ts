// The values the fuzzer puts in a request, as fast-check arbitraries of byte strings: path
// segments, query strings, JSON bodies (valid, near misses, malformed, deep, huge, polluting),
// header sets, methods and HTTP versions. "dirty" variants add what Node's parser mostly refuses.
import fc from 'fast-check'
import { pctEncode, utf8 } from './wire.js'

// ---------------------------------------------------------------------------------------------
// Fixture values (README, "The default data"): literals, as in test/helper.ts.

export const DEMO_KEY = 'E4B73FEE-F492-4607-A38D-852B0EBC91C9'
export const SECOND_KEY = '9F2D4A61-3B8E-4C7D-A5F0-6E1B2C3D4E5F'
export const INACTIVE_KEY = '0B1C7E52-6A3D-4F9E-8C21-7D5A4E3F2B10'
const FIXTURE_KEYS = [DEMO_KEY, SECOND_KEY, INACTIVE_KEY]

// ---------------------------------------------------------------------------------------------
// Arbitraries: pieces.

export const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>): fc.WeightedArbitrary<T> => ({ weight, arbitrary })

/** `arbitrary` in `percent` % of the cases, else undefined (which is also where it shrinks to). */
export const sometimes = <T>(percent: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof(weighted(100 - percent, fc.constant(undefined)), weighted(percent, arbitrary))

/** Text of any kind as a byte string: graphemes, any code point (lone surrogates too), ASCII; raw UTF-8 or latin1. */
export const anyText = (maxLength: number): fc.Arbitrary<string> => fc.oneof(
  weighted(3, fc.string({ unit: 'grapheme', maxLength }).map(utf8)),
  weighted(2, fc.string({ unit: 'binary', maxLength }).map(utf8)),
  weighted(2, fc.string({ unit: 'grapheme-ascii', maxLength })),
  weighted(1, fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), maxLength })),
)

/** A long run of one small piece. */
const longText = (lengths: number[], pieces: string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...lengths), fc.constantFrom(...pieces)).map(([n, piece]) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n))

const BAD_PERCENT = ['%zz', '%', '%4', '%G1', '%e0%80', '%c0%af', '%ff', '%fe%ff', '%ed%a0%80', '%u0041', '%%', '%0', '%2', '%%41']
const GOOD_PERCENT = ['%31', '%2F', '%2f', '%2e', '%2E%2E', '%00', '%25', '%20', '%3F', '%23', '%C3%A9', '%F0%9F%92%A9', '%0d%0a']
const FIXTURE_IDS = ['1024', '1025', '1', '7', '8', '40', '41', '2048', '2001', '2040', '2075', '2076', '4075', '999999', '9007199254740991', '9007199254740992']
const ODD_NUMBERS = ['0', '-1', '-0', '1e3', '1E3', '0x10', '0b1', '0o7', '01024', '1.5', '1.0', ' 1', '1 ', '+1', '١٠٢٤', '１０２４', 'Infinity', 'NaN', 'null', 'undefined', 'true', '[]', '{}', '1024abc']

/**
 * One path segment (a client id, key, fault id, file name…) as a byte string. Clean segments are
 * valid in a request line (percent-encoded, however wrongly); dirty ones add raw bytes, NUL,
 * whitespace and very long runs, which Node's parser mostly refuses.
 */
export const segmentArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(8, fc.constantFrom(...FIXTURE_IDS)),
  weighted(3, fc.oneof(fc.nat(), fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.maxSafeNat()).map(String)),
  weighted(1, fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String)),
  weighted(2, fc.constantFrom(...ODD_NUMBERS).map(pctEncode)),
  weighted(2, fc.constantFrom(...FIXTURE_KEYS)),
  weighted(2, fc.string({ unit: 'grapheme', maxLength: 12 }).map(pctEncode)),
  weighted(1, fc.string({ unit: 'binary', maxLength: 6 }).map(pctEncode)),
  weighted(2, fc.constantFrom(...BAD_PERCENT, ...GOOD_PERCENT)),
  weighted(1, fc.constantFrom('.', '..', '...', '%2e%2e', '.%2E', '%2e', './..')),
  weighted(1, fc.constantFrom('%00', '1024%00', '%001024', '1024%0a')),
  weighted(1, longText([100, 101, 1000, 8000], ['1', 'a', '%41', '%e9', '9'])),
  weighted(1, fc.array(fc.constantFrom('1024', '%', '%zz', '.', '%C3%A9', '%2F', '0', 'a', '%00', ':', '@', '!', '$', '&', "'", '(', '*', '+', ',', ';', '='), { minLength: 2, maxLength: 5 }).map((p) => p.join(''))),
  ...(dirty
    ? [
        weighted(6, anyText(12)), // raw bytes in the request line: Node refuses most of them
        weighted(3, fc.constantFrom('\0', '1024\0', '\t', ' ', '\r', '\n', '\x7f', 'é', '\xff', '1024 HTTP/1.1')),
        weighted(3, longText([17_000, 70_000], ['1', 'a', '%41', '\xc3\xa9'])),
        weighted(2, fc.array(fc.constantFrom('1024', '%', '.', 'é', '\0', '\\', '"', '<', '>', '`', '{', '|', '}', '^'), { minLength: 2, maxLength: 5 }).map((p) => utf8(p.join('')))),
      ]
    : []),
)

/** A query string, without the "?". */
const QUERY_NAMES = ['page', 'page_size', 'keyword', 'email', 'limit', 'method', 'path', 'status', 'api_key', 'token', 'id', 'from', 'to', 'type', 'client_email', '__proto__', 'constructor', 'page[]', 'a[b]', '']
const queryValueArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(4, fc.constantFrom('1', '2', '20', '100', '101', '0', '-1', '999999999', '1000000000', '1e3', '0x10', 'abc', '', '%', '%zz', '4xx', '404', '2xx', '/v1/*', '/v1/clients/:client_id',
    '/v1/clients/1024', 'GET', 'get', '(', '[', '*', '%5C', '+', '%2B', 'client', 'CLIENT%40example.com', 'client@example.com', '%25', '_', '%5F', '.*', '/v1/:a/:b/*', '/v1/**', '/v1/%2A',
    // Invoice filters (CONTRACT §7): dates, types, statuses.
    '2023-09-30', '2023-02-30', '9999-12-31', '0000-01-01', '2023-09-30T00:00:00Z', '2023-09-30T10:00:00%2B03:00', 'quick', 'detailed', 'paid', 'INV567')),
  weighted(2, fc.string({ unit: 'grapheme', maxLength: 20 }).map(pctEncode)),
  weighted(1, longText([201, 255, 2001, 3000], ['a', '%41', '*', '(', '/:a'])),
  ...(dirty ? [weighted(2, anyText(10)), weighted(1, longText([10_000, 20_000], ['a', '%41']))] : []),
)
export const queryArb = (dirty: boolean): fc.Arbitrary<string> => fc.array(
  fc.tuple(fc.oneof(weighted(4, fc.constantFrom(...QUERY_NAMES)), weighted(1, fc.string({ unit: 'grapheme', maxLength: 6 }).map(pctEncode))), sometimes(90, queryValueArb(dirty))),
  { maxLength: 5 },
).map((pairs) => pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&'))

// ---------------------------------------------------------------------------------------------
// Arbitraries: bodies (byte strings).

/** A JSON tree whose objects are entry lists, so "__proto__" stays a key and duplicates survive. */
type J = null | boolean | number | string | J[] | { entries: Array<[string, J]> }

function serialise (j: J): string {
  if (Array.isArray(j)) return `[${j.map(serialise).join(',')}]`
  if (j !== null && typeof j === 'object') return `{${j.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialise(v)}`).join(',')}}`
  return JSON.stringify(j) ?? 'null'
}

const KEYS = ['name', 'address', 'phone', 'email', 'notes', 'note', 'id', 'status', 'count', 'seed', 'locale', 'batch', 'merchant_id', 'api_key', 'key',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', 'polluted', '']
const leafArb: fc.Arbitrary<J> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(1e308, -0, 2 ** 53, 0.1),
  fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('active', 'inactive', 'en', 'ar', 'client@example.com', 'Client Name', DEMO_KEY),
)
const { tree: jsonTreeArb } = fc.letrec<{ tree: J }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(weighted(4, fc.constantFrom(...KEYS)), weighted(1, fc.string({ unit: 'grapheme', maxLength: 8 }))), tie('tree')), { maxLength: 6 }).map((entries) => ({ entries })),
  ),
}))

const optionalField = (value: fc.Arbitrary<J>): fc.Arbitrary<J | undefined> => sometimes(50, value)
const fieldValue = (maxLength: number): fc.Arbitrary<J> => fc.oneof(
  weighted(6, fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 40) })),
  weighted(1, fc.constant(null)),
  weighted(1, longText([maxLength, maxLength + 1], ['a', 'é'])),
  weighted(1, leafArb),
  weighted(1, jsonTreeArb),
)
function objectOf (fields: Record<string, J | undefined>, extra: Array<[string, J]> = []): string {
  const entries = Object.entries(fields).filter((e): e is [string, J] => e[1] !== undefined)
  return utf8(serialise({ entries: [...entries, ...extra] }))
}
const emailArb: fc.Arbitrary<J> = fc.oneof(fc.emailAddress(), fc.constantFrom('client@example.com', 'CLIENT@EXAMPLE.COM', 'not-an-email', '', '@', 'a@b'), leafArb)
const extraEntries = fc.array(fc.tuple(fc.constantFrom(...KEYS), jsonTreeArb), { maxLength: 2 })

/** Create/Update Client bodies: valid ones (so writes succeed) as well as near misses. */
const clientBodyArb: fc.Arbitrary<string> = fc.record({
  name: fc.oneof(weighted(8, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })), weighted(1, fieldValue(200)), weighted(1, fc.constant(undefined))),
  address: optionalField(fieldValue(500)),
  phone: optionalField(fieldValue(50)),
  email: optionalField(emailArb),
  notes: optionalField(fieldValue(2000)),
  note: optionalField(fieldValue(2000)),
  extra: sometimes(20, extraEntries),
}).map(({ extra, ...fields }) => objectOf(fields, extra))

/** Create/Update Product bodies (CONTRACT §7): valid ones (so writes succeed) as well as near misses. */
const priceArb: fc.Arbitrary<J> = fc.oneof(weighted(6, fc.constantFrom(0, 100, 0.1, 123.456, 999999999.999)), weighted(1, fc.constantFrom(0.30000000000000004, -1, 1000000000)), weighted(1, fc.double()), weighted(1, leafArb))
const flagArb: fc.Arbitrary<J> = fc.oneof(weighted(4, fc.boolean()), weighted(1, leafArb))
const productBodyArb: fc.Arbitrary<string> = fc.record({
  name: fc.oneof(weighted(8, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })), weighted(1, fieldValue(200)), weighted(1, fc.constant(undefined))),
  price: optionalField(priceArb),
  sku: optionalField(fc.oneof(weighted(4, fc.constantFrom('SKU-669', 'SKU-1', 'sku-669')), weighted(1, fieldValue(100)))),
  image: optionalField(fc.oneof(fc.constantFrom('https://example.com/p.png', 'http://127.0.0.1/x', '/relative', 'ftp://x', ''), leafArb)),
  description: optionalField(fieldValue(2000)),
  language: optionalField(fc.constantFrom('en', 'ar', 'fr', '')),
  currency: optionalField(fc.oneof(fc.constantFrom('QAR', 'USD', 'qar', 'XY'), leafArb)),
  status: optionalField(fieldValue(50)),
  category: optionalField(fieldValue(100)),
  setting: optionalField(fc.oneof(weighted(4, fc.record({
    is_public: optionalField(flagArb),
    is_limited: optionalField(flagArb),
    is_cashier: optionalField(flagArb),
    max_count: optionalField(fc.oneof(fc.constantFrom(0, 10, -1, 1.5), leafArb)),
    max_order: optionalField(fc.oneof(fc.constantFrom(1, 5, 0), leafArb)),
  }).map((c): J => ({ entries: Object.entries(c).filter((e): e is [string, J] => e[1] !== undefined) }))), weighted(1, leafArb))),
  extra: sometimes(20, extraEntries),
}).map(({ extra, ...fields }) => objectOf(fields, extra))

/**
 * Create/Update Invoice bodies (CONTRACT §7): Fatora's quick ({amount, description}) and detailed
 * shapes, valid ones (so writes succeed) as well as near misses — items naming the merchants'
 * products (own, foreign, missing; numbers and digit strings), amounts with too many decimals,
 * dates that do not exist or leave years 0000–9999 once in UTC.
 */
const invoiceAmountArb: fc.Arbitrary<J> = fc.oneof(weighted(6, fc.constantFrom(0, 100, 0.1, 123.1, 123.456, 999999999.999)), weighted(1, fc.constantFrom(0.30000000000000004, -1, 1000000000, 1.2345)), weighted(1, fc.double()), weighted(1, leafArb))
const invoiceDateArb: fc.Arbitrary<J> = fc.oneof(
  weighted(6, fc.constantFrom('2023-09-30T00:00:00Z', '2023-09-30', '2024-02-29', '2023-09-30T10:00:00+03:00', '2023-09-30T10:00Z', '2023-09-30T10:00:00.123456789-05:30', '9999-12-31T23:59:59Z')),
  weighted(2, fc.constantFrom('2023-02-30', '2023-13-01', '2023-09-30T25:00:00Z', '2023-09-30T10:00:00', '9999-12-31T23:00:00-05:00', '0000-01-01T00:00:00+01:00', '30/09/2023', '')),
  weighted(1, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
  weighted(1, leafArb),
)
const objectJ = (fields: Record<string, J | undefined>): J => ({ entries: Object.entries(fields).filter((e): e is [string, J] => e[1] !== undefined) })
const invoiceItemArb: fc.Arbitrary<J> = fc.oneof(
  weighted(8, fc.record({
    product_id: optionalField(fc.oneof(weighted(6, fc.constantFrom(669, '669', 670, 671, '672', 2669, '2670', 999999, null)), weighted(1, fc.constantFrom(0, -1, 1.5, '0669', '9999999999999999', 9007199254740992)), weighted(1, leafArb))),
    description: optionalField(fieldValue(2000)),
    qty: optionalField(fc.oneof(weighted(4, fc.constantFrom(1, 2, 0.5, 0.001, 1000000)), weighted(1, fc.constantFrom(0, -1, 1000001, 1.2345, '2')), weighted(1, leafArb))),
    amount: optionalField(invoiceAmountArb),
    type: optionalField(fieldValue(50)),
  }).map(objectJ)),
  weighted(1, leafArb),
)
const invoicePaymentArb: fc.Arbitrary<J> = fc.oneof(
  weighted(8, fc.record({
    payment_date: optionalField(invoiceDateArb),
    transaction_id: optionalField(fieldValue(100)),
    amount: optionalField(invoiceAmountArb),
    note: optionalField(fieldValue(2000)),
    payment_type: optionalField(fieldValue(50)),
    status: optionalField(fieldValue(50)),
  }).map(objectJ)),
  weighted(1, leafArb),
)
const invoiceBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.record({ amount: invoiceAmountArb, description: optionalField(fieldValue(2000)) }).map((f) => objectOf(f)),
  // Valid but for the items' products, so writes reach the check that they are the merchant's own.
  fc.record({
    amount: fc.constantFrom(1, 100, 123.1),
    date: optionalField(fc.constantFrom('2023-09-30', '2024-03-02T23:59:59+03:00')),
    items: fc.array(fc.record({
      product_id: fc.constantFrom<J>(669, '669', 670, 671, '672', 2669, '2670', 999999, null),
      qty: optionalField(fc.constantFrom(1, 2.5)),
      amount: optionalField(fc.constantFrom(0, 50)),
    }).map(objectJ), { minLength: 1, maxLength: 3 }),
  }).map((f) => objectOf(f)),
  fc.record({
    number: optionalField(fc.oneof(weighted(4, fc.constantFrom('INV123', 'INV567', '%', '_')), weighted(1, fieldValue(100)))),
    amount: fc.oneof(weighted(9, invoiceAmountArb), weighted(1, fc.constant(undefined))),
    currency: optionalField(fc.oneof(fc.constantFrom('QAR', 'USD', 'qar', 'XY'), leafArb)),
    terms_conditions: optionalField(fieldValue(5000)),
    note: optionalField(fieldValue(2000)),
    due_date: optionalField(invoiceDateArb),
    date: optionalField(invoiceDateArb),
    status: optionalField(fc.oneof(fc.constantFrom('paid', 'unpaid', 'Paid', ''), fieldValue(50))),
    type: optionalField(fc.oneof(fc.constantFrom('quick', 'detailed', 'Quick'), leafArb)),
    title: optionalField(fieldValue(200)),
    description: optionalField(fieldValue(2000)),
    client: optionalField(fc.oneof(weighted(4, fc.record({ name: optionalField(fieldValue(200)), email: optionalField(fc.oneof(emailArb, fc.constant('[email protected]'))), phone: optionalField(fieldValue(50)), address: optionalField(fieldValue(500)) }).map(objectJ)), weighted(1, leafArb))),
    items: optionalField(fc.oneof(weighted(6, fc.array(invoiceItemArb, { maxLength: 4 })), weighted(1, fc.constant(Array(101).fill({ entries: [] }) as J[])), weighted(1, leafArb))),
    payments: optionalField(fc.oneof(weighted(6, fc.array(invoicePaymentArb, { maxLength: 3 })), weighted(1, leafArb))),
    setting: optionalField(fc.oneof(weighted(4, fc.record({
      tax: optionalField(fc.oneof(fc.constantFrom(0, 14.125, 100, 101, -1, 1.2345), leafArb)),
      discount: optionalField(invoiceAmountArb),
      discount_type: optionalField(fc.oneof(fc.constantFrom('fixed', 'percentage', 'percent'), leafArb)),
      language: optionalField(fc.constantFrom('en', 'ar', 'fr', '')),
      accepted_payment_methods: optionalField(fc.oneof(fc.array(fc.oneof(fc.constantFrom('credit_card', 'cash', ''), leafArb), { maxLength: 3 }), leafArb)),
    }).map(objectJ)), weighted(1, leafArb))),
    extra: sometimes(20, extraEntries),
  }).map(({ extra, ...fields }) => objectOf(fields, extra)),
)

/** Payment bodies (CONTRACT §6.2, §6.4–6.6): valid ones as well as near misses. */
const amountArb: fc.Arbitrary<J> = fc.oneof(weighted(6, fc.constantFrom(123.1, 1, 0.001, 999999999.999, 50.5)), weighted(1, fc.double()), weighted(1, leafArb))
const paymentBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.record({
    amount: amountArb,
    currency: fc.oneof(weighted(6, fc.constantFrom('QAR', 'USD')), weighted(1, fc.constantFrom('qar', 'XYZ', '')), weighted(1, leafArb)),
    order_id: fc.oneof(weighted(6, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })), weighted(1, fieldValue(100))),
    client: fc.oneof(weighted(6, fc.record({ name: fieldValue(200), email: optionalField(emailArb), phone: optionalField(fieldValue(50)) }).map((c): J => ({ entries: Object.entries(c).filter((e): e is [string, J] => e[1] !== undefined) }))), weighted(1, leafArb)),
    language: optionalField(fc.constantFrom('en', 'ar', 'fr', '')),
    success_url: optionalField(fc.oneof(fc.constantFrom('https://shop.example/ok?a=1', 'http://127.0.0.1:1/x', '/relative', 'javascript:alert(1)'), leafArb)),
    failure_url: optionalField(fc.constantFrom('https://shop.example/ko', 'ftp://x', '')),
    save_token: optionalField(fc.oneof(fc.boolean(), leafArb)),
    note: optionalField(fieldValue(2000)),
    extra: sometimes(20, extraEntries),
  }).map(({ extra, ...fields }) => objectOf(fields, extra)),
  fc.record({
    transaction_id: optionalField(fc.oneof(fc.constantFrom('123456789', 123456789, '999', ''), leafArb)),
    order_id: optionalField(fc.oneof(fc.constantFrom('123456789', 'nope', 1.5), leafArb)),
  }).map((f) => objectOf(f)),
  // collect-payment and deactivate-token (CONTRACT §6.6): the fixtures' tokens, ones with + / \ |, near misses.
  fc.record({
    card_token: fc.oneof(weighted(4, fc.constantFrom('123456789', 'SECOND+MERCHANT/SAVED\\CARD|2048', 'a+b/c\\d|e', '')), weighted(1, fieldValue(200)), weighted(1, leafArb)),
    order_id: optionalField(fc.oneof(weighted(4, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })), weighted(1, leafArb))),
    amount: optionalField(amountArb),
    currency: optionalField(fc.oneof(fc.constantFrom('QAR', 'usd', 'XYZ'), leafArb)),
    extra: sometimes(20, extraEntries),
  }).map(({ extra, ...fields }) => objectOf(fields, extra)),
)

const merchantIdArb: fc.Arbitrary<J> = fc.oneof(weighted(4, fc.constantFrom(1, 2, 3, 99)), weighted(1, leafArb))
const adminBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.record({ name: fieldValue(200), id: optionalField(fc.oneof(fc.integer({ min: 1, max: 100 }), leafArb)) }).map((f) => objectOf(f)),
  fc.record({ merchant_id: merchantIdArb, status: optionalField(fc.constantFrom('active', 'inactive', 'ACTIVE', '')), key: optionalField(fc.oneof(fc.uuid(), fc.constantFrom(...FIXTURE_KEYS), fc.string({ maxLength: 10 }))) }).map((f) => objectOf(f)),
  fc.record({ status: fc.oneof(fc.constantFrom('active', 'inactive'), leafArb) }).map((f) => objectOf(f)),
  fc.record({ merchant_id: optionalField(merchantIdArb), api_key: optionalField(fc.constantFrom(...FIXTURE_KEYS, 'nope')), id: optionalField(fc.integer({ min: 1, max: 5000 })), name: fieldValue(200), email: optionalField(emailArb) }).map((f) => objectOf(f)),
  // The clock and saved cards (CONTRACT §6.6).
  fc.record({ now: optionalField(fc.oneof(fc.constantFrom('2027-06-01T00:00:00Z', '2027-06-01', '1999-01-01T00:00:00Z', '9998-12-31T23:59:59Z'), leafArb)), advance_days: optionalField(fc.oneof(fc.constantFrom(30, 0.5, -1, 0, 1e9), leafArb)), frozen: optionalField(fc.oneof(fc.boolean(), leafArb)) }).map((f) => objectOf(f)),
  fc.record({ card_token: optionalField(fc.constantFrom('123456789', 'nope', '')), merchant_id: optionalField(merchantIdArb), client: optionalField(fc.oneof(fc.record({ name: fieldValue(200) }).map((c): J => ({ entries: Object.entries(c) })), leafArb)), card: optionalField(fc.constantFrom('4111111111111111', '4000000000009995', '4000056655665556', '4111111111111112', '')), expiry: optionalField(fc.constantFrom('12/30', '01/20', '13/30', '')) }).map((f) => objectOf(f)),
  // Seed: small counts only (capSeedCount in requests.ts catches the rest).
  fc.record({ count: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(0, -1, 1.5, '5', null)), seed: optionalField(fc.oneof(fc.nat(), leafArb)), locale: optionalField(fc.constantFrom('en', 'ar', 'fr', '')), batch: optionalField(fc.constantFrom(1, 3, 0, 100_001)), api_key: optionalField(fc.constantFrom(...FIXTURE_KEYS)) }).map((f) => objectOf(f)),
)

/** Prototype-pollution shapes, at the top and nested inside fields. */
const POLLUTION = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"name":"a","__proto__":{"status":"inactive","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"name":"a","constructor":{"prototype":{"polluted":"yes"}}}',
  '{"name":{"__proto__":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '{"name":"a","notes":{"constructor":{"prototype":{"x":1}}}}',
  '{"__proto__":null}',
  '{"\\u005f_proto__":{"polluted":"yes"}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"name":"a","__proto__":[]}',
  '{"prototype":{"polluted":"yes"},"name":"a"}',
]

/** Text that is not JSON (or is, barely). */
const malformedArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '}', '{"name":', '{"name":"a"', "{'name':'a'}", '{"name":"a",}', '[1,]', 'NaN', 'undefined', '{"name":NaN}', '{"name":Infinity}',
    '}{', '{}{}', '{"name":"a"}garbage', '\xef\xbb\xbf{"name":"a"}', '\xff\xfe{\x00}\x00', '{"name":"\\x41"}', '{"name":"\\ud800"}', '{"name":"\\u0000"}',
    '{"name":"a\nb"}', '{"name":"\xff\xfe"}', '{"name":"\xc0\xaf"}', '{"name":"\xed\xa0\x80"}', '{name:"a"}', '{"name" "a"}', '0x10', '01', '-', '1e999', '"\\', ' ', '\0', '\r\n'),
  fc.tuple(fc.json(), fc.nat()).map(([text, at]) => utf8(text.slice(0, at % (text.length + 1)))),
  fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 })).map(([text, at, junk]) => { const i = at % (text.length + 1); return utf8(text.slice(0, i) + junk + text.slice(i)) }),
)

/** Deeply nested values, up to 100,000 levels, alone or inside an otherwise valid client body. */
const deepArb: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom(10, 100, 1000, 1999, 2500, 5000, 20_000, 100_000),
  fc.constantFrom<Array<[string, string]>>(['[', ']'], ['{"a":', '}'], ['{"__proto__":', '}'], ['[{"x":', '}]']),
  fc.boolean(),
).map(([depth, [open, close], wrapped]) => {
  const nested = open.repeat(depth) + '1' + close.repeat(depth)
  return wrapped ? `{"name":"deep","notes":null,"x":${nested}}` : nested
})

/** Large bodies: valid JSON near and past Fastify's 1 MiB body limit, and a long string field. */
const hugeArb: fc.Arbitrary<string> = fc.constantFrom(100_000, 600_000, 1_048_577, 1_200_000).map((n) => `{"name":"big","notes":"${'x'.repeat(n)}"}`)

/** Valid JSON of the wrong type for every route. */
const wrongTypesArb = fc.constantFrom('42', 'true', 'null', '[]', '"str"', '{}', '{"name":42}', '{"name":["a"]}', '{"name":{}}', '{"name":true}', '{"name":""}',
  '{"name":null}', '{"count":"5"}', '{"count":1.5}', '{"merchant_id":"1","name":"x"}', '{"status":1}', '{"name":"a","email":42}', '{"name":"a","note":"x","notes":"y"}')

export const bodyArb: fc.Arbitrary<string> = fc.oneof(
  weighted(4, fc.constant('')),
  weighted(5, clientBodyArb),
  weighted(3, adminBodyArb),
  weighted(3, jsonTreeArb.map((j) => utf8(serialise(j)))),
  weighted(2, fc.json().map(utf8)),
  weighted(3, malformedArb),
  weighted(2, wrongTypesArb),
  weighted(2, fc.constantFrom(...POLLUTION)),
  weighted(1, deepArb),
  weighted(1, hugeArb),
  weighted(1, anyText(60)),
)

// ---------------------------------------------------------------------------------------------
// Arbitraries: headers.

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
/** Header names we never generate at random: framing is the generator's own, Prefer forces 5xx on purpose. */
const RESERVED_NAMES = new Set(['prefer', 'content-length', 'transfer-encoding'])
const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name.trim().toLowerCase())

const KNOWN_NAMES = ['api_key', 'authorization', 'content-type', 'accept', 'host', 'x-request-id', 'cookie', 'connection', 'upgrade',
  'accept-encoding', 'accept-charset', 'accept-language', 'content-encoding', 'content-language', 'te', 'trailer', 'keep-alive', 'x-forwarded-for',
  'x-forwarded-proto', 'forwarded', 'origin', 'range', 'if-none-match', 'if-modified-since', 'x-http-method-override', 'access-control-request-method',
  'api-key', 'apikey', 'x-api-key', 'proxy-authorization', 'user-agent', 'referer', 'max-forwards', 'via', 'date', 'content-md5', 'content-range',
  'sec-websocket-key', 'http2-settings', 'cache-control', 'pragma', 'x-content-type-options']

const headerNameArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(6, fc.mixedCase(fc.constantFrom(...KNOWN_NAMES))),
  weighted(2, fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 20 })),
  ...(dirty
    ? [
        // Not tokens: Node answers 400 (a space, a colon-less name, non-ASCII, "Authorization Bearer").
        weighted(3, fc.constantFrom('Authorization Bearer', 'api key', 'api_key ', ' api_key', 'X\tY', '', 'é', '\xff', 'X-A\0', 'a(b)', 'a/b', '{}', 'X-"q"', 'a\rb')),
        weighted(2, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).map(utf8)),
      ]
    : []),
).filter((name) => !isReservedName(name))

/** Clean values: visible ASCII, spaces, tabs and raw UTF-8 (obs-text to HTTP, which Node accepts). */
const headerValueArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(6, fc.string({ unit: 'grapheme-ascii', maxLength: 40 })),
  weighted(3, fc.string({ unit: 'grapheme', maxLength: 20 }).map(utf8)),
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  weighted(1, fc.string({ unit: 'binary', maxLength: 10 }).map(utf8).map((v) => v.replace(/[\0-\x08\x0a-\x1f\x7f]/g, '?'))),
  weighted(1, fc.constantFrom('', ' ', '\t', '\xff\xfe', '=?UTF-8?B?w6k=?=', '%zz', ' \t padded \t ', '"', '\\', ',', ';', '=', 'a, b', '\xc0\xaf', '\xed\xa0\x80')),
  weighted(1, longText([1000, 4000], ['a', ' ', utf8('é')])),
  ...(dirty
    ? [
        // Any byte (NUL, CR, LF, DEL included), and values past Node's 16 KB header limit.
        weighted(4, fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), maxLength: 12 })),
        weighted(2, fc.constantFrom('\0', 'a\0b', '\x7f', 'a\rb', 'a\nb', 'a\r\n b', '\x01', '\x1b[31m')),
        weighted(3, longText([8000, 16_000, 16_385, 40_000], ['a', '\xe9', ' '])),
      ]
    : []),
)

const keyValueArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(20, fc.constant(DEMO_KEY)),
  weighted(2, fc.constantFrom(SECOND_KEY, INACTIVE_KEY)),
  weighted(2, fc.constantFrom('', ' ', `  ${DEMO_KEY}\t`, DEMO_KEY.toLowerCase(), `${DEMO_KEY}x`, DEMO_KEY.slice(1), `${DEMO_KEY}, ${DEMO_KEY}`, 'nope', `"${DEMO_KEY}"`, `Bearer ${DEMO_KEY}`, `${DEMO_KEY};`)),
  weighted(1, headerValueArb(dirty)),
)

/** The Authorization header: real tokens (from `token`), tampered and malformed ones, other schemes. */
const authorizationArb = (token: string, dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(4, fc.constantFrom(`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token} `, `Bearer\t${token}`)),
  weighted(3, fc.constantFrom('Bearer', 'Bearer ', token, DEMO_KEY, `Basic ${Buffer.from('user:pass').toString('base64')}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -2)}`,
    `Bearer ${token.split('.').slice(0, 2).join('.')}.`, 'Bearer a.b.c', 'Bearer ...', `Bearer ${token} ${token}`, `Digest ${token}`, `Bearer ${DEMO_KEY}`, 'Negotiate', ',',
    // A token whose payload claims another merchant, signed by nobody.
    `Bearer ${token.split('.')[0] ?? ''}.${Buffer.from('{"merchant_id":2,"key_id":"0000000000000000","iat":1,"exp":9999999999}').toString('base64url')}.${token.split('.')[2] ?? ''}`,
    `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1] ?? ''}.`)),
  weighted(1, fc.tuple(fc.nat(), fc.string({ maxLength: 2 })).map(([at, junk]) => { const i = at % token.length; return `Bearer ${token.slice(0, i)}${junk}${token.slice(i + 1)}` })),
  weighted(1, headerValueArb(dirty)),
)

const contentTypeArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(10, fc.constantFrom('application/json', 'application/json; charset=utf-8')),
  weighted(3, fc.constantFrom('APPLICATION/JSON', 'application/json;', 'application/json; charset=latin1', 'application/json ; x=y', 'application/jsonx', 'application/json, text/plain',
    'text/plain', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/problem+json', 'application/*', '*/*', '', ' ', ';', 'json',
    'application/json; charset=utf-16', 'application/json; boundary="a;b"', '\tapplication/json')),
  weighted(1, headerValueArb(dirty)),
)

const acceptArb = (dirty: boolean): fc.Arbitrary<string> => fc.oneof(
  weighted(6, fc.constantFrom('*/*', 'application/json')),
  weighted(3, fc.constantFrom('text/html', 'application/xml', 'application/*', 'application/json;q=0', 'application/json;q=0, */*', '*/*;q=0', 'text/*', ',', ';', 'application/json;q=abc',
    'application/xml, */*;q=0.1', 'application/json; charset=utf-8', '*/*;q=0, application/json', 'image/png, text/html;q=0.9', 'application/json;q=0.0001', 'application/json;q=1e-3', 'APPLICATION/JSON')),
  weighted(1, headerValueArb(dirty)),
)

const extraHeaderArb = (token: string, dirty: boolean): fc.Arbitrary<Array<[string, string]>> => fc.oneof(
  weighted(25, fc.tuple(headerNameArb(dirty), headerValueArb(dirty)).map((h) => [h])),
  weighted(5, fc.tuple(fc.mixedCase(fc.constant('api_key')), keyValueArb(dirty)).map((h) => [h])), // several api_key headers, any casing
  weighted(5, fc.tuple(fc.mixedCase(fc.constant('authorization')), authorizationArb(token, dirty)).map((h) => [h])),
  weighted(5, fc.tuple(fc.mixedCase(fc.constant('content-type')), contentTypeArb(dirty)).map((h) => [h])),
  weighted(5, fc.tuple(fc.mixedCase(fc.constant('accept')), acceptArb(dirty)).map((h) => [h])),
  weighted(5, fc.tuple(fc.mixedCase(fc.constant('connection')), fc.constantFrom('close', 'keep-alive', 'Upgrade', 'close, TE', 'x-foo', 'api_key', '')).map((h) => [h])),
  weighted(5, fc.constantFrom<Array<[string, string]>>([['Upgrade', 'websocket'], ['Connection', 'Upgrade']], [['Upgrade', 'h2c'], ['Connection', 'Upgrade, HTTP2-Settings'], ['HTTP2-Settings', 'AAMAAABkAAQAAP__']],
    [['Content-Encoding', 'gzip']], [['Content-Encoding', 'br, identity']], [['X-Request-Id', 'fuzz-1']], [['X-Request-Id', 'a'.repeat(201)]], [['X-Request-Id', '\xc3\xa9']], [['Trailer', 'api_key']], [['TE', 'trailers']],
    [['X-HTTP-Method-Override', 'DELETE']], [['Expect', '100-continue']])),
  // Expect: only 100-continue is defined; others get Node's own 417 (see checkResponse in oracle.ts).
  weighted(dirty ? 5 : 1, fc.tuple(fc.mixedCase(fc.constant('expect')), fc.constantFrom('100-continue', '100-Continue', 'foo', '', '200-ok', '100-continue, foo')).map((h) => [h])),
)

/** A whole header list: usually a working api_key and a JSON content type, plus extras. */
export const headersArb = (token: string, dirty: boolean): fc.Arbitrary<Array<[string, string]>> => fc.record({
  host: sometimes(75, fc.oneof(weighted(8, fc.constant('127.0.0.1')), weighted(1, headerValueArb(dirty)))),
  auth: fc.oneof(
    weighted(12, fc.tuple(fc.oneof(weighted(6, fc.constant('api_key')), weighted(1, fc.mixedCase(fc.constant('api_key')))), keyValueArb(dirty)).map((h) => [h])),
    weighted(3, fc.tuple(fc.mixedCase(fc.constant('Authorization')), authorizationArb(token, dirty)).map((h) => [h])),
    weighted(1, fc.constant<Array<[string, string]>>([])),
  ),
  contentType: sometimes(80, contentTypeArb(dirty)),
  accept: sometimes(40, acceptArb(dirty)),
  extras: fc.array(extraHeaderArb(token, dirty), { maxLength: dirty ? 8 : 3 }),
}).map(({ host, auth, contentType, accept, extras }) => {
  const list: Array<[string, string]> = []
  if (host !== undefined) list.push(['Host', host])
  list.push(...auth)
  if (contentType !== undefined) list.push(['Content-Type', contentType])
  if (accept !== undefined) list.push(['Accept', accept])
  for (const e of extras) list.push(...e)
  return list
})

// ---------------------------------------------------------------------------------------------
// Arbitraries: methods and versions.

export const ANY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'QUERY', 'PURGE', 'SEARCH', 'LOCK', 'MKCOL', 'REPORT', 'CONNECT']
export const BAD_METHODS = ['get', 'Get', 'G@T', 'FROB', '', 'GET GET', 'A'.repeat(200), 'POST\0', 'DELETE\t', 'HEAD ', 'GET\r\n']

export const versionArb = (dirty: boolean): fc.Arbitrary<string> => dirty
  ? fc.oneof(weighted(6, fc.constant('HTTP/1.1')), weighted(1, fc.constant('HTTP/1.0')),
    weighted(3, fc.constantFrom('HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 ', 'HTTP/1', 'HTTP/1.10', 'HTTP/3', '', 'HTTP/1.1\0', 'ICE/1.0', 'HTTP/1.1\t')))
  : fc.oneof(weighted(9, fc.constant('HTTP/1.1')), weighted(1, fc.constant('HTTP/1.0')))

/** The bodies an aim (routes.ts) asks for, by kind. */
export const BODY_BY_KIND = { none: fc.constant(''), client: clientBodyArb, product: productBodyArb, payment: paymentBodyArb, invoice: invoiceBodyArb, admin: adminBodyArb, any: bodyArb }
export type BodyKind = keyof typeof BODY_BY_KIND
