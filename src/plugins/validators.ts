// Schema validation: path and query strings are text, so they are coerced to the schema's types;
// JSON bodies are not — a number where a string is required is a 400 naming the field, not a
// silent "123" (Fastify's default coerces every part).
import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchema } from 'fastify'

const common: Options = { useDefaults: true, allErrors: false, addUsedSchema: false }

export function registerValidators (app: FastifyInstance, sharedSchemas: readonly object[]): void {
  const strict = addFormats.default(new Ajv.default({ ...common, coerceTypes: false, removeAdditional: false }))
  const loose = addFormats.default(new Ajv.default({ ...common, coerceTypes: 'array', removeAdditional: true }))
  for (const schema of sharedSchemas) {
    strict.addSchema(schema)
    loose.addSchema(schema)
  }
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema, httpPart?: string }) =>
    (httpPart === 'body' ? strict : loose).compile(schema as object))
}
