// The README's examples, run as a reader follows them, so the README cannot drift from the
// server again. For each file in FILES: a fresh server (the built dist, as `npm start` runs it:
// test/support/child.ts) on a new database, then every ```bash / ```sh block, in the file's
// order, each with `bash -c` under `set -euo pipefail`, against that one server. Blocks share
// the server (what one example creates, later ones see, as for a reader), not shell variables:
// each block must work when pasted on its own.
//
// The rules, for whoever writes an example:
//
// - Every bash/sh block runs, unless the line right above its fence says why not:
//     <!-- readme-test: skip (npm install: not in a test) -->
//   (GitHub does not render HTML comments). A skip without a reason fails. Skipped blocks are
//   listed in the test's output (tap's SKIP, with the reason).
// - A block that needs the server started differently says so the same way:
//     <!-- readme-test: env HTTPS_PORT=3443 PUBLIC_URL=http://localhost:3000 -->
//   The server is restarted with those variables (same database: as a reader stops `npm start`
//   and starts it again with them) and restarted without them for the next block that has none.
// - Addresses: `localhost:3000` and `127.0.0.1:3000` (and the port of PORT or any *_PORT in an
//   env marker) are rewritten to a free port of the test's, in commands and in shown output
//   alike; `data/…` (the default database's directory, and what lives beside it) to the test's
//   temporary directory. The bash shell gets DB_PATH (the server's database, so `npm run cli`
//   works on it as on a reader's default file) and nothing else of the configuration; it runs
//   in the repository's root.
// - Statements: a line that is not blank or a comment starts one; it goes on while a quote or a
//   parenthesis is open or the line ends with `\`, `|`, `&&` or `||`. No here-documents.
// - Shown output, CHECKED:
//   - `# …` lines RIGHT UNDER a statement (no blank line between) are what it prints. A comment
//     after a blank line, or before the first statement, is prose and is not checked.
//   - A trailing comment that starts with `{` (`curl … # {"status":"SUCCESS",…}`) is its output
//     too, as if on the next line.
//   - A ```json or ```text block right under a runnable block (only blank lines between) is
//     what that block's last statement prints.
//   - Matching: blank lines are ignored and every line is trimmed; each shown line matches one
//     printed line, whole, in order; `…` inside a line stands for any text; a shown line that is
//     only `…` stands for any number of printed lines (none too). All printed lines must be
//     accounted for.
//   - A trailing comment that starts with an HTTP status (`# 404`, `# 201: created`, not
//     `# 100,000 …`) claims the status of the statement's last curl: the runner's `curl` is a
//     shell function that adds curl's own `--write-out '%{stderr}…%{http_code}'` (a command's
//     own -w overrides it, and then no status is known). Other trailing comments are prose.
// - Exit status: every block must exit 0 (`curl` without -f is fine for error examples).
// - Safety net: an unmarked block that would install, build or test the repository, start a
//   server that runs until stopped, or run git, docker, sudo or rm fails WITHOUT running
//   (unsafeCommand in test/support/readme.ts). A block is killed after BLOCK_LIMIT_MS.
// - Another file's examples: add it to FILES.
//
// The parsing and matching rules have their own tables below, then the runner itself is run
// on a small document whose wrong claims must each fail, then the files.
import t, { type Test } from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { type Child, childEnv, collectOutput, exitWithin, ROOT, spawnAsUser, startServer } from './support/child.js'
import {
  blockScript, type Block, type Fence, matchOutput, outputLines, parseFences, parseMarkdown, parseMarker,
  parseStatements, printedLines, rewrite, type ShownLine, splitRun, type Statement, unsafeCommand,
} from './support/readme.js'

/** The files whose examples run, each against its own fresh server. */
const FILES = ['README.md', 'docs/payments.md', 'docs/seeding.md', 'docs/testing.md']
/** A block that runs longer is killed (and fails): a long-running server in an unmarked block. */
const BLOCK_LIMIT_MS = 30_000

t.setTimeout(180_000)

// ---------------------------------------------------------------------------------------------
// The rules, as tables

t.test('markers', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['skip (npm install: not in a test)', { kind: 'skip', reason: 'npm install: not in a test' }],
    [' skip ( docker ) ', { kind: 'skip', reason: 'docker' }],
    ['skip', '"skip" needs a reason in parentheses: <!-- readme-test: skip (why) -->'],
    ['skip ()', '"skip" needs a reason in parentheses: <!-- readme-test: skip (why) -->'],
    ['skip because', '"skip" needs a reason in parentheses: <!-- readme-test: skip (why) -->'],
    ['env HTTPS_PORT=3443 PUBLIC_URL=http://localhost:3000', { kind: 'env', vars: { HTTPS_PORT: '3443', PUBLIC_URL: 'http://localhost:3000' } }],
    ['env port=1', '"env" takes NAME=value pairs, not "port=1"'],
    ['skipped (x)', 'unknown readme-test marker "skipped (x)": use "skip (reason)" or "env NAME=value …"'],
    ['', 'unknown readme-test marker "": use "skip (reason)" or "env NAME=value …"'],
  ]
  for (const [text, want] of cases) t.same(parseMarker(text), want, JSON.stringify(text))

  const md = [
    '<!-- readme-test: skip (docker) -->', '```bash', 'docker build .', '```', // 1–4
    '', '<!-- readme-test: skip -->', '```sh', 'x', '```', //                     5–9
    '<!-- readme-test: skip (x) -->', '', '```bash', 'y', '```', //               10–14
    '<!-- readme-test: skip (x) -->', '```json', '{}', '```', //                  15–18
    '  ```js', '  const a = 1', '  ```', //                                       19–21
  ].join('\n')
  const { fences, problems } = parseFences(md)
  t.same(fences.map((f) => [f.line, f.lang, f.body, f.markers]), [
    [2, 'bash', ['docker build .'], [{ kind: 'skip', reason: 'docker' }]],
    [7, 'sh', ['x'], []],
    [12, 'bash', ['y'], []],
    [16, 'json', ['{}'], [{ kind: 'skip', reason: 'x' }]],
    [19, 'js', ['const a = 1'], []],
  ])
  t.same(problems, [
    'line 6: "skip" needs a reason in parentheses: <!-- readme-test: skip (why) -->',
    'line 10: a readme-test marker must be on the line(s) right above a fenced block',
    'line 16: readme-test markers only apply to bash/sh blocks, not ```json',
  ])
})

t.test('statements, shown output and status claims', async (t) => {
  const fence = (body: string[]): Fence => ({ line: 10, lang: 'bash', body, markers: [] })
  const parse = (body: string[]): { statements: Array<Omit<Statement, 'text'> & { text?: string }>, problems: string[] } => {
    const problems: string[] = []
    return { statements: parseStatements(fence(body), problems), problems }
  }
  t.same(parse([
    '# prose at the top: not output',
    "K='api_key: X'",
    "curl -s localhost:3000/a -H \"$K\"   # 404: another merchant's client",
    'curl -s localhost:3000/b \\',
    "  -d '{\"a\":1,",
    "    \"b\":\"# not a comment\"}'   # 201",
    '# {"status":"SUCCESS",…}',
    '# …',
    '',
    '# prose after a blank line',
    'ID=$(curl -s x \\',
    "  | node -pe 'JSON.parse(\"(\")')",
    "echo \"$(echo ')')\" # {\"shown\":true}",
    'curl -s -X POST localhost:3000/__admin/seed   # 100,000 clients: prose',
  ]), {
    problems: [],
    statements: [
      { line: 12, text: "K='api_key: X'", shown: [] },
      { line: 13, text: "curl -s localhost:3000/a -H \"$K\"   # 404: another merchant's client", shown: [], status: 404 },
      {
        line: 14,
        text: "curl -s localhost:3000/b \\\n  -d '{\"a\":1,\n    \"b\":\"# not a comment\"}'   # 201",
        shown: [{ line: 17, text: '{"status":"SUCCESS",…}' }, { line: 18, text: '…' }],
        status: 201,
      },
      { line: 21, text: "ID=$(curl -s x \\\n  | node -pe 'JSON.parse(\"(\")')", shown: [] },
      { line: 23, text: "echo \"$(echo ')')\" # {\"shown\":true}", shown: [{ line: 23, text: '{"shown":true}' }] },
      { line: 24, text: 'curl -s -X POST localhost:3000/__admin/seed   # 100,000 clients: prose', shown: [] },
    ],
  })
  t.same(parse(["echo 'open"]).problems, ['line 11: the statement never ends (an open quote, parenthesis or a trailing \\)'])
  t.same(parse(['cat <<EOF', 'x', 'EOF']).problems, ['line 11: here-documents are not supported in checked examples'])

  const md = (parts: string[]): Block[] => {
    const parsed = parseMarkdown(parts.join('\n'))
    t.same(parsed.problems, [])
    return parsed.blocks
  }
  const [withJson] = md(['```bash', 'echo 1', 'echo 2', '```', '', '```json', '2', '```'])
  t.equal(withJson?.output?.line, 6, 'a json block right under a bash block is its last statement\'s output')
  t.same(outputLines(withJson?.output as Fence), [{ line: 7, text: '2' }])
  const [apart] = md(['```bash', 'echo 1', '```', 'Prose between.', '```json', '1', '```'])
  t.equal(apart?.output, undefined, 'prose between: not output')
  t.same(parseMarkdown(['```bash', 'echo 1', '# 1', '```', '```json', '1', '```'].join('\n')).problems,
    ['line 5: the output of line 2 is shown twice (# lines and this block)'])
})

t.test('matching shown output', async (t) => {
  const cases: Array<[string[], string[], boolean]> = [
    [['{"a":1}'], ['{"a":1}'], true],
    [['{"a":1}'], ['{"a":2}'], false],
    [['{"a":1}'], ['{"a":1}x'], false], // whole lines
    [['{"a":…}'], ['{"a":42}'], true],
    [['{"a":…,"c":3}'], ['{"a":1,"b":2,"c":3}'], true],
    [['{"a":…,"c":3}'], ['{"a":1,"b":2,"c":4}'], false],
    [['SUCCESS'], ['SUCCESS', 'extra'], false], // every printed line accounted for
    [['SUCCESS', '…'], ['SUCCESS', 'extra', 'more'], true],
    [['HTTP/1.1 404 Not Found', '…', 'preference-applied: code=404', '…', '{}'], ['HTTP/1.1 404 Not Found', 'x-request-id: 1', 'preference-applied: code=404', 'content-type: a', '{}'], true],
    [['HTTP/1.1 404 Not Found', '…', 'allow: GET, HEAD', '…'], ['HTTP/1.1 404 Not Found', 'allow: GET, HEAD, PUT, DELETE'], false],
    [['…'], [], true],
    [[], [], true],
    [['a.b'], ['axb'], false], // no other wildcard than …
    [['(x)'], ['(x)'], true],
  ]
  for (const [shown, printed, want] of cases) t.equal(matchOutput(shown, printed), want, `${JSON.stringify(shown)} vs ${JSON.stringify(printed)}`)
  t.same(printedLines('HTTP/1.1 200 OK\r\n  a  \r\n\r\n{"b":1}'), ['HTTP/1.1 200 OK', 'a', '{"b":1}'])
})

t.test('addresses and paths are the test\'s', async (t) => {
  const ports = new Map([['3000', 41000], ['3443', 41443]])
  const cases: Array<[string, string]> = [
    ["curl -s 'http://localhost:3000/v1/clients/1024'", "curl -s 'http://localhost:41000/v1/clients/1024'"],
    ['curl -s 127.0.0.1:3000/health localhost:3443/x', 'curl -s 127.0.0.1:41000/health localhost:41443/x'],
    ['"success_url":"http://localhost:8080/ok"', '"success_url":"http://localhost:8080/ok"'], // not the mock's
    ['localhost:30000', 'localhost:30000'],
    ['curl --cacert data/fatora-mock.crt https://localhost:3443/', 'curl --cacert /tmp/x/data/fatora-mock.crt https://localhost:41443/'],
    ['sqlite3 "data/fatora-mock.db" TLS_CERT=data/c.pem', 'sqlite3 "/tmp/x/data/fatora-mock.db" TLS_CERT=/tmp/x/data/c.pem'],
    ['/__admin/metadata/x mydata/y', '/__admin/metadata/x mydata/y'],
  ]
  for (const [from, to] of cases) t.equal(rewrite(from, ports, '/tmp/x/data'), to, from)
})

t.test('splitting a run into statements', async (t) => {
  const statements = [{ line: 1, text: 'a', shown: [] }, { line: 2, text: 'b', shown: [] }]
  const script = blockScript(statements, (s) => s.toUpperCase())
  t.match(script, /^set -euo pipefail\ncurl \(\) \{ command curl --write-out '%\{stderr\}\\n@@readme-test@@ status %\{http_code\}\\n' "\$@"; \}\n/)
  t.match(script, /\nA\n.*\nB\n/s)
  const out = '\n@@readme-test@@ 0\n{"a":1}\n@@readme-test@@ 1\nline\n\n@@readme-test@@ end\n'
  const err = '\n@@readme-test@@ 0\n\n@@readme-test@@ status 200\n\n@@readme-test@@ status 404\n\n@@readme-test@@ 1\ncurl: oops\n\n@@readme-test@@ end\n'
  const { runs, finished, stderr } = splitRun(out, err)
  t.equal(finished, true)
  t.same([...runs.entries()], [
    [0, { stdout: '{"a":1}', stderr: '', statuses: [200, 404] }],
    [1, { stdout: 'line\n', stderr: 'curl: oops', statuses: [] }],
  ])
  t.equal(stderr, 'curl: oops')
  t.equal(splitRun('\n@@readme-test@@ 0\nx', '').finished, false)
})

t.test('commands that never run unmarked', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['npm install && npm start', 'npm install'],
    ['npm start    # builds dist/', 'npm start'],
    ['npm test', 'npm test'],
    ['npm run --silent test:docker', 'npm run --silent test:docker'],
    ['npm run cli -- serve --port 3001 --no-seed', 'cli -- serve'],
    ['npx fatora-mock serve &', 'npx fatora-mock serve'],
    ['docker build -t fatora-mock .', 'docker'],
    ['docker-compose down -v', 'docker-compose'],
    ['git clone https://example.com/x.git', 'git'],
    ['rm -f data/fatora-mock.db', 'rm'],
    ['curl -s localhost:3000/v1/clients/1024 -H "$K"', undefined],
    ['npm run cli -- seed --count 100000', undefined],
    ['npm run --silent cli -- openapi --yaml', undefined],
    ['echo "$(curl -s localhost:3000/__admin/state)"  # the state, as JSON', undefined],
  ]
  for (const [text, want] of cases) t.equal(unsafeCommand(text), want, text)
})

// ---------------------------------------------------------------------------------------------
// Running the files

/** A free TCP port on 127.0.0.1 (closed again at once: the server takes it a moment later). */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve) })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => { resolve() }))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** The one server a file's blocks talk to, restarted (same database) when a block needs other settings. */
class Server {
  private child: Child | undefined
  private key: string | undefined
  /** README port (as text) → the test's port, for the running server. */
  ports = new Map<string, number>()
  /** How many times a server was started, for the runner's own test. */
  starts = 0

  constructor (private readonly t: Test, private readonly dbPath: string, private readonly dataDir: string) {}

  /** The server running with `vars` (an env marker's, as written): started or restarted as needed. */
  async use (vars: Record<string, string>): Promise<void> {
    const key = JSON.stringify(Object.entries(vars).sort())
    // A server that died between blocks is a failure, not something to restart quietly.
    if (this.child !== undefined && !this.child.running()) throw new Error(`the server exited; its stderr: ${this.child.stderr()}`)
    if (this.child !== undefined && key === this.key) return
    await this.stop()
    const ports = new Map<string, number>([['3000', await freePort()]])
    const isPort = (name: string, value: string): boolean => /^(\w+_)?PORT$/.test(name) && /^\d+$/.test(value)
    for (const [name, value] of Object.entries(vars)) {
      if (isPort(name, value)) ports.set(value, name === 'PORT' ? ports.get('3000') as number : await freePort())
    }
    const env: Record<string, string> = { DB_PATH: this.dbPath, PORT: String(ports.get('3000')) }
    for (const [name, value] of Object.entries(vars)) {
      env[name] = isPort(name, value) ? String(ports.get(value)) : rewrite(value, ports, this.dataDir)
    }
    this.child = startServer(this.t, env, 170_000)
    this.starts++
    await this.child.ready
    this.ports = ports
    this.key = key
  }

  /** False when the server exited on its own. */
  alive (): boolean { return this.child === undefined || this.child.running() }

  async stop (): Promise<void> {
    const child = this.child
    this.child = undefined
    if (child?.running() !== true) return
    child.kill('SIGTERM')
    await exitWithin(child, 10_000)
  }
}

interface BashRun { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/** `bash -c script` in the repository's root, in its own process group (killed whole after BLOCK_LIMIT_MS). */
async function runBash (script: string, env: NodeJS.ProcessEnv): Promise<BashRun> {
  const child = spawnAsUser('bash', ['-c', script], { cwd: ROOT, env, detached: true })
  const output = collectOutput(child)
  const killGroup = (): void => { try { process.kill(-(child.pid as number), 'SIGKILL') } catch {} }
  const limit = setTimeout(killGroup, BLOCK_LIMIT_MS)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c, s) => { resolve([c, s]) })
  }).finally(() => { clearTimeout(limit); killGroup() })
  return { code, signal, stdout: output.stdout(), stderr: output.stderr() }
}

/** What the statement shows it prints, or nothing: its `#` lines, or the output block under the block. */
function shownFor (block: Block, index: number): ShownLine[] {
  const statement = block.statements[index] as Statement
  if (index === block.statements.length - 1 && block.output !== undefined) return outputLines(block.output)
  return statement.shown
}

/** One finding about a block: an assertion's outcome, its name and what to show when it fails. */
interface Check { ok: boolean, name: string, diag?: Record<string, unknown> }

interface Env { file: string, server: Server, dataDir: string, dbPath: string }

/** Runs one block against the server and checks what it claims. */
async function runBlock (block: Block, { file, server, dataDir, dbPath }: Env): Promise<Check[]> {
  for (const statement of block.statements) {
    const command = unsafeCommand(statement.text)
    if (command !== undefined) {
      return [{ ok: false, name: `${file}:${statement.line}: \`${command}\` never runs in a test: mark the block <!-- readme-test: skip (why) -->` }]
    }
  }
  const vars = block.fence.markers.reduce<Record<string, string>>((all, m) => m.kind === 'env' ? { ...all, ...m.vars } : all, {})
  await server.use(vars)
  const fix = (s: string): string => rewrite(s, server.ports, dataDir)
  const run = await runBash(blockScript(block.statements, fix), childEnv({ DB_PATH: dbPath }))
  const { runs, finished, stderr } = splitRun(run.stdout, run.stderr)
  const failedAt = finished ? undefined : block.statements[Math.max(-1, ...runs.keys())]
  const checks: Check[] = [{
    ok: run.code === 0,
    name: `exits 0 under set -euo pipefail${failedAt === undefined ? '' : ` (it stopped at ${file}:${failedAt.line})`}`,
    diag: { code: run.code, signal: run.signal, stderr: stderr === '' ? undefined : stderr },
  }]
  block.statements.forEach((statement, index) => {
    const shown = shownFor(block, index)
    if (shown.length === 0 && statement.status === undefined) return
    const at = `${file}:${statement.line}`
    const ran = runs.get(index)
    if (ran === undefined) {
      if (run.code === 0) checks.push({ ok: false, name: `${at}: never ran` })
      return
    }
    if (shown.length > 0) {
      const wanted = shown.map((s) => fix(s.text))
      const found = printedLines(ran.stdout)
      checks.push({
        ok: matchOutput(wanted, found),
        name: `${at}: prints what ${file}:${shown[0]?.line} shows`,
        diag: { wanted: wanted.join('\n'), found: found.join('\n'), stderr: ran.stderr === '' ? undefined : ran.stderr },
      })
    }
    if (statement.status !== undefined) {
      checks.push({
        ok: ran.statuses.at(-1) === statement.status,
        name: `${at}: HTTP ${statement.status}`,
        diag: { statuses: ran.statuses, stdout: ran.stdout },
      })
    }
  })
  return checks
}

interface BlockResult { name: string, skip?: string, checks: Check[], ms: number }

/**
 * Runs a Markdown text's blocks in order against one fresh server (on a new database in a
 * temporary directory): the parse problems, and per block its name and checks (or why it was skipped).
 */
async function runMarkdown (t: Test, file: string, markdown: string): Promise<{ problems: string[], blocks: BlockResult[], starts: number }> {
  const { blocks, problems } = parseMarkdown(markdown)
  const tmp = mkdtempSync(join(tmpdir(), 'fatora-readme-'))
  const dataDir = join(tmp, 'data')
  const env: Env = { file, server: new Server(t, join(dataDir, 'fatora-mock.db'), dataDir), dataDir, dbPath: join(dataDir, 'fatora-mock.db') }
  const results: BlockResult[] = []
  try {
    for (const block of blocks) {
      const name = `${file}:${block.fence.line} \`\`\`${block.fence.lang}`
      const skip = block.fence.markers.find((m) => m.kind === 'skip')
      const started = performance.now()
      if (skip !== undefined) results.push({ name, skip: skip.reason, checks: [], ms: 0 })
      else results.push({ name, checks: await runBlock(block, env), ms: Math.round(performance.now() - started) })
    }
    if (!env.server.alive()) problems.push('the server exited before the last block was done')
  } finally {
    await env.server.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
  return { problems, blocks: results, starts: env.server.starts }
}

t.test('the runner: restarts for env markers, and every wrong claim fails', async (t) => {
  const K = 'api_key: E4B73FEE-F492-4607-A38D-852B0EBC91C9'
  const markdown = [
    '```bash', //                                                                               1
    `K='${K}'`,
    'curl -s localhost:3000/v1/clients/1024 -H "$K"   # 404', //                                3: wrong status
    '# {"status":"SUCCESS","client":{"id":1025,…}}', //                                         4: wrong output
    'curl -s -o /dev/null localhost:3000/v1/clients/1024 -H "$K"   # 200',
    'curl -s localhost:3000/v1/clients/1024 -H "$K"',
    '# {"status":"SUCCESS","client":{"id":1024,…}}', //                                         7: right
    '```',
    '',
    '<!-- readme-test: env ADMIN_TOKEN=readme-secret PUBLIC_URL=http://localhost:3000/prefix -->',
    '```sh', //                                                                                 11
    'curl -s localhost:3000/__admin/state   # 401',
    `curl -s -X POST localhost:3000/v1/payments/checkout -H '${K}' -H 'Content-Type: application/json' \\`,
    '  -d \'{"amount":1,"currency":"QAR","order_id":"x","client":{"name":"n"}}\'',
    '```',
    '',
    '```json',
    '{"status":"SUCCESS","result":{"checkout_url":"http://localhost:3000/prefix/pay/MCPaymentPage?paymentID=…"}}',
    '```',
    '',
    '```bash', //                                                                               21
    'curl -s localhost:3000/__admin/state   # 200: restarted without the env marker\'s settings',
    'false',
    'echo never',
    '# never',
    '```',
    '',
    '```bash', //                                                                               28
    'npm start',
    '```',
  ].join('\n')
  const result = await runMarkdown(t, 'x.md', markdown)
  t.same(result.problems, [])
  t.same(result.blocks.map((b) => ({ name: b.name, skip: b.skip, checks: b.checks.map((c) => [c.ok, c.name]) })), [
    {
      name: 'x.md:1 ```bash',
      skip: undefined,
      checks: [
        [true, 'exits 0 under set -euo pipefail'],
        [false, 'x.md:3: prints what x.md:4 shows'],
        [false, 'x.md:3: HTTP 404'],
        [true, 'x.md:5: HTTP 200'],
        [true, 'x.md:6: prints what x.md:7 shows'],
      ],
    },
    {
      name: 'x.md:11 ```sh',
      skip: undefined,
      checks: [
        [true, 'exits 0 under set -euo pipefail'],
        [true, 'x.md:12: HTTP 401'],
        [true, 'x.md:13: prints what x.md:18 shows'],
      ],
    },
    {
      name: 'x.md:21 ```bash',
      skip: undefined,
      checks: [
        [false, 'exits 0 under set -euo pipefail (it stopped at x.md:23)'],
        [true, 'x.md:22: HTTP 200'],
      ],
    },
    {
      name: 'x.md:28 ```bash',
      skip: undefined,
      checks: [[false, 'x.md:29: `npm start` never runs in a test: mark the block <!-- readme-test: skip (why) -->']],
    },
  ])
  t.equal(result.starts, 3, 'started, restarted with the env marker\'s settings, restarted without them')
  const wrong = result.blocks[0]?.checks[1]
  t.same(wrong?.diag, { wanted: '{"status":"SUCCESS","client":{"id":1025,…}}', found: (wrong?.diag?.found as string), stderr: undefined })
  t.match(wrong?.diag?.found, /^\{"status":"SUCCESS","client":\{"id":1024,"name":"Client Name",/, 'a failure shows what was printed')
})

for (const file of FILES) {
  t.test(file, async (t) => {
    const { problems, blocks } = await runMarkdown(t, file, readFileSync(join(ROOT, file), 'utf8'))
    t.same(problems, [], 'every marker and block is well-formed')
    t.ok(blocks.length > 0, 'has bash blocks')
    for (const block of blocks) {
      if (block.skip !== undefined) {
        t.test(block.name, { skip: block.skip }, async () => {})
        continue
      }
      t.test(block.name, async (t) => {
        t.comment(`ran in ${block.ms} ms`)
        for (const check of block.checks) t.ok(check.ok, check.name, check.diag ?? {})
      })
    }
  })
}
