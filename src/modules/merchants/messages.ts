// Merchants and their API keys: what seeding, the CLI and /__admin answer.
export const merchantMessages = {
  merchantExists: (id: number) => `Merchant ${id} already exists`,
  unknownMerchant: (field: string, id: number) => `Unknown ${field}: no merchant ${id}`,
  unknownKey: (field: string) => `Unknown ${field}: no merchant has this key`,
  bothGiven: (idField: string, keyField: string) => `Give ${idField} or ${keyField}, not both`,
  noMerchant: 'The database has no merchant: add one first',
  keyExists: 'This api_key already exists',
  apiKeyNotFound: 'API key not found',
  idsExhausted: (max: number) => `No merchant id is free from 1 to ${max}`,
} as const
