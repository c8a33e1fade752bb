// What the credential checks answer: api_key, bearer tokens, Authorize and the admin token.
export const authMessages = {
  apiKeyMissing: 'Missing api_key header',
  apiKeyEmpty: 'Empty api_key header',
  apiKeyInvalid: "Merchant API key isn't valid",
  apiKeyInactive: 'Merchant API key is inactive',
  // Authorization: Bearer <JWT from /v1/Authorization/Authorize> (CONTRACT §4).
  bearerUnsupportedScheme: 'Unsupported Authorization scheme: use Bearer',
  bearerEmpty: 'Empty bearer token',
  bearerInvalid: 'Invalid bearer token',
  bearerExpired: 'Bearer token expired',
  // CONTRACT §6.1: payment APIs take the key, not the bearer token.
  bearerNotForPayments: 'Payment routes take the api_key header, not a bearer token',
  // Authorize alone answers in Fatora's own shape (CONTRACT §4): {"status":"ERROR","error":…}.
  authorizeInvalidKey: 'Invalid API Key',
  authorizeInactiveKey: 'Inactive API Key',
  adminTokenMissing: 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>',
  adminTokenInvalid: 'Invalid admin token',
} as const
