// Schema validation: JSON bodies are not coerced — a number where a string is required is a 400
// naming the field, not a silent "123" (Fastify's default coerces every part). Path and query
// strings are text: a parameter the schema types as an integer, a number or a boolean is read from
// its plain form only (decimal digits, true/false), then checked like a body. Ajv's own coercion
// would also take 1e3, 0x10, " 12", 1.0 and 01024 for an integer (STACK.md), which neither
// CONTRACT §2 nor the document's `integer` means. Unknown query parameters are ignored on /v1 (as a
// web API does) but rejected on /__admin, where a typo like ?stauts=500 must not silently widen a
// journal query. Each validator is compiled on its first use, not at start-up: compiling every
// route's schemas up front was a large share of cold start.
import Ajv, { type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { ADMIN_PREFIX } from './prefix.js'

// validateSchema off: the route schemas are ours (TypeBox, checked by the OpenAPI lint test);
// checking each against the meta-schema would compile the meta-schema on the first request.
const common: Options = { useDefaults: true, allErrors: false, addUsedSchema: false, coerceTypes: false, validateSchema: false }

/** A validator that compiles on first call; Fastify reads `.errors` after a failed call. */
function lazyValidator (compile: () => ValidateFunction, before?: (data: unknown) => void): (data: unknown) => boolean {
  let fn: ValidateFunction | undefined
  const validate = before === undefined
    ? (data: unknown): boolean => (fn ??= compile())(data) as boolean
    : (data: unknown): boolean => { before(data); return (fn ??= compile())(data) as boolean }
  Object.defineProperty(validate, 'errors', { get: () => fn?.errors })
  return validate
}

// The only text a typed parameter is read from: what a typed client writes (String(1024), String(true)).
const INTEGER_TEXT = /^-?(?:0|[1-9][0-9]*)$/
const NUMBER_TEXT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/
const READERS: Readonly<Record<string, (text: string) => unknown>> = {
  integer: (text) => INTEGER_TEXT.test(text) ? Number(text) : text,
  number: (text) => NUMBER_TEXT.test(text) ? Number(text) : text,
  boolean: (text) => text === 'true' ? true : text === 'false' ? false : text,
}

/**
 * Converts, in place, the parameters of an object schema typed integer, number or boolean from
 * their text; any other text is left as it is, so the schema refuses it ("must be integer").
 * Undefined when the schema has no such parameter.
 */
export function parameterReader (schema: unknown): ((data: unknown) => void) | undefined {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties
  if (properties === undefined) return undefined
  const plan: Array<[string, (text: string) => unknown]> = []
  for (const [name, property] of Object.entries(properties)) {
    const read = typeof property.type === 'string' ? READERS[property.type] : undefined
    if (read !== undefined) plan.push([name, read])
  }
  if (plan.length === 0) return undefined
  return (data) => {
    if (typeof data !== 'object' || data === null) return
    const values = data as Record<string, unknown>
    for (const [name, read] of plan) {
      const value = values[name]
      if (typeof value === 'string') values[name] = read(value)
    }
  }
}

export function registerValidators (app: FastifyInstance, sharedSchemas: readonly object[]): void {
  // Each Ajv instance (slow to set up with its formats) is made when first needed, too.
  const instance = (options: Options): (() => Ajv.default) => {
    let ajv: Ajv.default | undefined
    return () => {
      if (ajv === undefined) {
        ajv = addFormats.default(new Ajv.default({ ...common, ...options }))
        for (const schema of sharedSchemas) ajv.addSchema(schema)
      }
      return ajv
    }
  }
  const strict = instance({ removeAdditional: false })
  const loose = instance({ removeAdditional: true })
  app.setValidatorCompiler(({ schema, httpPart, url }: { schema: FastifySchema, httpPart?: string, url: string }) => {
    if (httpPart === 'body') return lazyValidator(() => strict().compile(schema as object))
    const ajv = httpPart === 'querystring' && url.startsWith(`${ADMIN_PREFIX}/`) ? strict : loose
    return lazyValidator(() => ajv().compile(schema as object), parameterReader(schema))
  })
}
