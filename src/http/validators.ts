// Schema validation: path and query strings are text, so they are coerced to the schema's types;
// JSON bodies are not — a number where a string is required is a 400 naming the field, not a
// silent "123" (Fastify's default coerces every part). Unknown query parameters are ignored on
// /v1 (as a web API does) but rejected on /__admin, where a typo like ?stauts=500 must not
// silently widen a journal query. Each validator is compiled on its first
// use, not at start-up: compiling every route's schemas up front was a large share of cold start.
import Ajv, { type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { ADMIN_PREFIX } from './prefix.js'

const common: Options = { useDefaults: true, allErrors: false, addUsedSchema: false }

/** A validator that compiles on first call; Fastify reads `.errors` after a failed call. */
function lazyValidator (compile: () => ValidateFunction): (data: unknown) => boolean {
  let fn: ValidateFunction | undefined
  const validate = (data: unknown): boolean => (fn ??= compile())(data) as boolean
  Object.defineProperty(validate, 'errors', { get: () => fn?.errors })
  return validate
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
  const strict = instance({ coerceTypes: false, removeAdditional: false })
  const loose = instance({ coerceTypes: 'array', removeAdditional: true })
  const strictQuery = instance({ coerceTypes: 'array', removeAdditional: false })
  app.setValidatorCompiler(({ schema, httpPart, url }: { schema: FastifySchema, httpPart?: string, url: string }) => {
    const ajv = httpPart === 'body' ? strict : httpPart === 'querystring' && url.startsWith(`${ADMIN_PREFIX}/`) ? strictQuery : loose
    return lazyValidator(() => ajv().compile(schema as object))
  })
}
