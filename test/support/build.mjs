// tap's `before` step (.taprc): builds dist/ and its bundle when the sources are newer, before
// any test file starts, so the child-process tests (test/support/child.ts) never run stale
// output. A failed build exits non-zero, and tap then fails the run without starting the tests.
// The build runs in a process of its own, without the hooks tap adds to every child process
// (its loader in NODE_OPTIONS, its _TAPJS_* variables; `env -u` removes them): tap would
// otherwise record the build scripts as code under test, and report (and fail on) their coverage.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('../../scripts/ensure-built.mjs', import.meta.url))
const hooks = ['NODE_OPTIONS', ...Object.keys(process.env).filter((name) => name.startsWith('_TAPJS_'))]
const { status, signal, error } = spawnSync('env', [...hooks.flatMap((name) => ['-u', name]), process.execPath, script], { stdio: 'inherit' })
if (error !== undefined) throw error
process.exitCode = status ?? (signal === null ? 0 : 1)
