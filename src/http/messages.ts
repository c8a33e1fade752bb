// The HTTP edge's own descriptions: protocol, routing and media-type errors that any route can
// give. Each module, auth and the test controls keep theirs beside their code.
import { STATUS_CODES } from 'node:http'

/**
 * The router's limit on a path parameter, in characters after percent-decoding: an API key may
 * have 200 (merchants' KeyText), the longest of any path parameter; the router answers 414 past it.
 */
export const MAX_PARAM_LENGTH = 200

export const httpMessages = {
  unsupportedMediaType: 'Unsupported Content-Type: send application/json or no Content-Type header',
  notAcceptable: 'Not acceptable: the Accept header must allow application/json',
  badUrl: 'Malformed URL: invalid percent-encoding in the path',
  paramTooLong: `URI too long: a path parameter exceeds ${MAX_PARAM_LENGTH} characters`,
  uriTooLong: 'URI too long',
  headersTooLarge: 'Request header fields too large',
  badRequest: 'Bad request: malformed HTTP request',
  requestTimeout: 'Request timeout',
  internal: 'Internal server error',
  storageUnavailable: 'Storage unavailable',
  routeNotFound: (method: string, path: string) => `Route ${method} ${path} not found`,
  methodNotAllowed: (method: string, allow: string) => `Method ${method} not allowed; this route allows ${allow}`,
  connectNotAllowed: 'Method CONNECT not allowed',
  expectationFailed: 'Expectation failed: only Expect: 100-continue is supported',
  plainHttpOnHttpsPort: 'Plain HTTP sent to the HTTPS port: use https:// on this port',
  invalidJson: 'Invalid JSON body',
  // Valid JSON, refused all the same: such keys can rewrite object prototypes (prototype poisoning).
  protoKeyRefused: 'JSON body refused: the key __proto__ is not accepted (it could alter object prototypes)',
  constructorPrototypeRefused: 'JSON body refused: a constructor key holding a prototype key is not accepted (it could alter object prototypes)',
  bodyTooLarge: 'Request body too large',
  // Some of Fatora's curl samples send "Authorization Bearer: <token>", which no HTTP parser accepts.
  authorizationHeaderMalformed: "Malformed Authorization header: send 'Authorization: Bearer <token>'",
  /** A status the route does not document (a fault's 502, 429…): the standard reason phrase. */
  forcedStatus: (code: number) => STATUS_CODES[code] ?? `HTTP ${code}`,
} as const
