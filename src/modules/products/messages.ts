// The product API's descriptions (CONTRACT §7), reviewed in one place.
export const MAX_PRODUCT_ID = Number.MAX_SAFE_INTEGER

export const productMessages = {
  productNotFound: 'Product not found',
  productIdInvalid: `Invalid product_id: must be a positive integer from 1 to ${MAX_PRODUCT_ID}`,
  pageInvalid: 'Invalid query field page: must be an integer from 1 to 999999999',
  pageSizeInvalid: 'Invalid query field page_size: must be an integer from 1 to 100',
  booleanQueryInvalid: (field: string) => `Invalid query field ${field}: must be true or false`,
  dateQueryInvalid: (field: string) => `Invalid query field ${field}: must be an ISO 8601 date (2025-01-31) or date-time (2025-01-31T10:00:00Z)`,
  textQueryInvalid: (field: string, max: number) => `Invalid query field ${field}: must be a string of at most ${max} characters, without NUL characters`,
  nameInvalid: 'Invalid body field name: must be a non-empty string of at most 200 characters',
  priceInvalid: 'Invalid body field price: must be a number from 0 to 999999999.999 with at most 3 decimals',
  skuInvalid: 'Invalid body field sku: must be a string of at most 100 characters, or null',
  imageInvalid: 'Invalid body field image: must be an absolute http or https URL of at most 2048 characters, or null',
  descriptionInvalid: 'Invalid body field description: must be a string of at most 2000 characters, or null',
  languageInvalid: 'Invalid body field language: must be en or ar',
  currencyInvalid: 'Invalid body field currency: must be three upper-case letters (QAR)',
  statusInvalid: 'Invalid body field status: must be a non-empty string of at most 50 characters',
  categoryInvalid: 'Invalid body field category: must be a string of at most 100 characters, or null',
  settingInvalid: 'Invalid body field setting: must be an object, or null',
  settingFlagInvalid: (field: string) => `Invalid body field setting.${field}: must be true or false`,
  maxCountInvalid: 'Invalid body field setting.max_count: must be an integer of at least 0, or null',
  maxOrderInvalid: 'Invalid body field setting.max_order: must be an integer of at least 1, or null',
  duplicateSku: 'A product with this sku already exists',
  productInUse: 'The product is used by an invoice: remove it from the invoice first',
} as const
