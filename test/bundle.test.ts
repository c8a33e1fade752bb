// The esbuild bundle is what `npm start` and the Docker image run: built here from the
// current sources into a scratch directory inside the package (so the package root and the
// external modules resolve as in dist/bundle/), then started as a user would, in a child process.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLIENT_1024, DEMO_KEY } from './helper.js'
import { spawnAsUser } from './support/child.js'
// @ts-expect-error: a plain-JS build script without declarations
import { bundleSync } from '../scripts/bundle.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

t.test('the bundle starts on a fresh database, serves the API, seeds with faker, documents itself and stops on SIGTERM', { timeout: 60_000 }, async (t) => {
  const out = mkdtempSync(join(ROOT, '.tap', 'bundle-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  ;(bundleSync as (outdir: string) => void)(out)
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DB_PATH: join(out, 'fresh.db'), LOG_LEVEL: 'info' }
  const child = spawnAsUser(process.execPath, [join(out, 'server.mjs')], { cwd: out, env })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code) }))
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)
      if (m !== null) resolve(Number(m[1]))
    })
    void exited.then((code) => { reject(new Error(`exited ${code}: ${stderr}`)) })
  })
  const base = `http://127.0.0.1:${port}`

  const get = await fetch(`${base}/v1/clients/1024`, { headers: { api_key: DEMO_KEY } })
  t.equal(get.status, 200)
  t.same(await get.json(), { status: 'SUCCESS', client: CLIENT_1024 }, 'the fixtures were found and loaded into the new database')

  const spec = await (await fetch(`${base}/documentation/json`)).json() as { info: { version: string } }
  t.match(spec.info.version, /^\d+\.\d+\.\d+/, 'the package version is read from package.json')
  t.equal((await fetch(`${base}/documentation/`)).status, 200, 'Swagger UI serves its own files')

  const seeded = await fetch(`${base}/__admin/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 3, seed: 1 }) })
  t.equal(seeded.status, 201, 'faker (external) loads on first seed')
  const { last_id: lastId } = await seeded.json() as { last_id: number }
  t.equal((await fetch(`${base}/v1/clients/${lastId}`, { headers: { api_key: DEMO_KEY } })).status, 200)

  child.kill('SIGTERM')
  t.equal(await exited, 0, 'SIGTERM exits 0')
  t.match(stdout, /"msg":"fatora-mock ready: created and seeded database/)
  t.notOk(stdout.includes(DEMO_KEY), 'the api_key is never logged')
  t.equal(stderr, '', 'nothing on stderr')
})
