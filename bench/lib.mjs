// What the benchmark scripts (run.mjs, soak.mjs) share: machine facts and a free port.
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { cpus } from 'node:os'

/** True when processes can be pinned to cores (two or more cores and a working taskset). */
export const pinnable = cpus().length >= 2 && (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/**
 * A TCP port that is free on 127.0.0.1 right now.
 * @returns {Promise<number>}
 */
export async function freePort () {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => { const { port } = /** @type {import('node:net').AddressInfo} */ (s.address()); s.close(() => resolve(port)) })
  })
}
