// The client API's descriptions (CONTRACT §2), reviewed in one place.
export const MAX_CLIENT_ID = Number.MAX_SAFE_INTEGER

export const clientMessages = {
  clientNotFound: 'Client not found',
  clientIdInvalid: `Invalid client_id: must be a positive integer from 1 to ${MAX_CLIENT_ID}`,
  pageInvalid: 'Invalid query field page: must be an integer from 1 to 999999999',
  pageSizeInvalid: 'Invalid query field page_size: must be an integer from 1 to 100',
  keywordInvalid: 'Invalid query field keyword: must not contain NUL characters',
  emailInvalid: 'Invalid body field email: must be a valid e-mail address',
  duplicateEmail: 'A client with this email already exists',
  duplicateNamePhone: 'A client with this name and phone already exists',
  noteMismatch: 'Invalid body: note and notes differ; send one of them',
  idTaken: (id: number) => `Client id ${id} is already taken`,
  idsExhausted: (count: number) => count === 1 ? `No client id is free from 1 to ${MAX_CLIENT_ID}` : `No ${count} consecutive client ids are free from 1 to ${MAX_CLIENT_ID}`,
  seedCountInvalid: (max: number) => `count must be an integer from 0 to ${max}`,
  seedStopped: (written: number, count: number) => `The server is shutting down: the seed stopped after ${written} of ${count} clients (whole batches only)`,
} as const
