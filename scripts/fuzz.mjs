#!/usr/bin/env node
// npm run fuzz -- --runs N --seed=S [--batch B] [--path=P] [--time-limit SECONDS]
// Property-based fuzzing over real sockets: runs test/fuzz/run.ts (TypeScript, via tsx)
// against an in-process app; defaults: 20000 cases, a random seed. Exit 0 when every case passed,
// 1 on a failure (the seed and fast-check path to replay it are printed), 2 on bad usage.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'fuzz', 'run.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => { child.kill(signal) })
child.on('exit', (code, signal) => { process.exit(code ?? (signal !== null ? 1 : 0)) })
