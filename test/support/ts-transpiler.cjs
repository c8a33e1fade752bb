'use strict'
// The TypeScript transpiler of the test runs: tap loads the test files and src/ through ts-node
// (transpile-only), and ts-node's "transpiler" option in tsconfig.json points here, so each
// module is stripped of its types by esbuild (as tsx and the bundle do) instead of by TypeScript's
// transpileModule, about 0.7 s of CPU less per test file. Per-file transpiling is exact here:
// tsconfig.json has isolatedModules and verbatimModuleSyntax. Types are checked by
// `npm run typecheck`, not by the test run (tap's --typecheck cannot be combined with this).
const { transformSync } = require('esbuild')

const COMMONJS = 1 // ts.ModuleKind.CommonJS

/** ts-node's transpiler factory (CommonJS, a named export "create"). */
exports.create = ({ service, nodeModuleEmitKind }) => {
  const cjs = nodeModuleEmitKind === 'nodecjs' || service.config.options.module === COMMONJS
  return {
    transpile (input, { fileName }) {
      const { code, map } = transformSync(input, {
        loader: fileName.endsWith('.tsx') ? 'tsx' : 'ts',
        format: cjs ? 'cjs' : 'esm',
        target: 'es2022',
        platform: 'node',
        sourcefile: fileName,
        sourcemap: 'external',
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
      })
      return { outputText: code, sourceMapText: map }
    },
  }
}
