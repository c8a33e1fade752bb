// neostandard (standard's style on ESLint 9 flat config), with TypeScript, as fastify/demo does.
// `npm run lint` checks everything that is not ignored below; `npm run lint:fix` fixes what it can.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    noJsx: true,
    ignores: ['dist/**', 'coverage/**', '.tap/**', 'node_modules/**', 'data/**', '.probe/**'],
  }),
  {
    rules: {
      // `void promise` marks a promise deliberately not awaited (the TypeScript idiom); void as an expression stays banned.
      'no-void': ['error', { allowAsStatement: true }],
      // Under NodeNext a CommonJS package's class is reached as `.default` (new Ajv.default()).
      'new-cap': ['error', { newIsCap: true, capIsNew: false, properties: true, newIsCapExceptions: ['default'] }],
      // Multi-line calls end with a trailing comma here, as arrays and objects do (neostandard ignores those, issue 79).
      '@stylistic/comma-dangle': ['warn', { arrays: 'ignore', objects: 'ignore', imports: 'ignore', exports: 'ignore', enums: 'ignore', functions: 'only-multiline' }],
    },
  },
]
