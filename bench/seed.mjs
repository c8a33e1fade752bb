// npm run bench:seed [-- --count N --runs R] — runs `fatora-mock seed --count N` into a fresh
// database exactly as a user would, and reports wall time, rows/s and the CLI process's peak RSS
// (VmHWM from /proc). Targets (issue 3): 1,000,000 clients in ≤ 15 s, peak RSS ≤ 300 MB.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const count = Number(args[args.indexOf('--count') + 1] ?? NaN) || 1_000_000
const runs = Number(args[args.indexOf('--runs') + 1] ?? NaN) || 1
const TARGET_S = 15
const TARGET_MB = 300

function peakRss (pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch { return 0 }
}

async function once (locale) {
  const dir = mkdtempSync(join(tmpdir(), 'fatora-seed-'))
  const db = join(dir, 'bench.db')
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/cli.js', 'seed', '--count', String(count), '--locale', locale, '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  let peak = 0
  child.stdout.on('data', (d) => { out += d })
  const timer = setInterval(() => { peak = Math.max(peak, peakRss(child.pid)) }, 50)
  const code = await new Promise((resolve) => child.on('exit', resolve))
  clearInterval(timer)
  const seconds = (performance.now() - started) / 1000
  const size = statSync(db).size
  rmSync(dir, { recursive: true, force: true })
  if (code !== 0) throw new Error(`seed exited ${code}: ${out}`)
  return { locale, seconds, rowsPerSecond: Math.round(count / seconds), peakMb: Math.round(peak), dbMb: Math.round(size / 1048576), out: out.trim() }
}

console.log(`seed benchmark: ${count.toLocaleString('en-US')} clients into a fresh database (fixtures first), ${runs} run(s) per locale`)
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}`)
let failed = false
for (const locale of ['en', 'ar']) {
  for (let i = 0; i < runs; i++) {
    const r = await once(locale)
    const ok = r.seconds <= TARGET_S * count / 1_000_000 && r.peakMb <= TARGET_MB
    failed ||= !ok
    console.log(`${locale}: ${r.seconds.toFixed(2)} s wall (process start to exit), ${r.rowsPerSecond.toLocaleString('en-US')} rows/s, peak RSS ${r.peakMb} MB, db ${r.dbMb} MB ${ok ? 'ok' : 'MISSED'}`)
    console.log(`    ${r.out}`)
  }
}
console.log(`targets: ≤ ${TARGET_S} s per 1,000,000 clients, peak RSS ≤ ${TARGET_MB} MB`)
process.exitCode = failed ? 1 : 0
