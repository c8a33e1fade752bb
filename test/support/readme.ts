// Reading a Markdown file's shell examples and running them as a reader would: the parsing and
// matching rules of test/readme.test.ts (described at the top of that file), kept apart from the
// test so its own unit tests can reach them. No dependency on the server: the test file wires
// these to test/support/child.ts.

/** A `<!-- readme-test: … -->` line directly above a fenced block. */
export type Marker =
  | { kind: 'skip', reason: string }
  | { kind: 'env', vars: Record<string, string> }

export interface Fence {
  /** 1-based line of the opening fence. */
  line: number
  /** The info string's first word, lower-cased (`bash`, `json`, `` for none). */
  lang: string
  /** The body's lines, the fence's own indentation removed. */
  body: string[]
  markers: Marker[]
}

export interface ShownLine { line: number, text: string }

export interface Statement {
  /** 1-based line in the Markdown file. */
  line: number
  /** As written (continuation lines included), for bash. */
  text: string
  /** What the README shows it prints: `# …` lines right under it, or a `# {…}` trailing comment. */
  shown: ShownLine[]
  /** The HTTP status a trailing `# NNN…` comment claims for its (last) curl. */
  status?: number
}

export interface Block {
  fence: Fence
  statements: Statement[]
  /** A ```json/```text block right under this one: what its last statement prints. */
  output?: Fence
}

/** What is wrong with the file's markers or blocks, each with its line: the test fails on any. */
export interface Parsed { blocks: Block[], problems: string[] }

export const RUNNABLE = new Set(['bash', 'sh', 'shell'])
const OUTPUT_LANGS = new Set(['json', 'text'])
const MARKER = /^\s*<!--\s*readme-test:(.*?)-->\s*$/
const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/

/** A marker's text (after `readme-test:`), or the reason it is refused. */
export function parseMarker (text: string): Marker | string {
  const s = text.trim()
  const skip = /^skip\b\s*(.*)$/.exec(s)
  if (skip !== null) {
    const reason = /^\((.*)\)$/.exec(skip[1] ?? '')?.[1]?.trim() ?? ''
    return reason === '' ? '"skip" needs a reason in parentheses: <!-- readme-test: skip (why) -->' : { kind: 'skip', reason }
  }
  const env = /^env\s+(.+)$/.exec(s)
  if (env !== null) {
    const vars: Record<string, string> = {}
    for (const pair of (env[1] ?? '').trim().split(/\s+/)) {
      const m = /^([A-Z][A-Z0-9_]*)=(\S*)$/.exec(pair)
      if (m === null) return `"env" takes NAME=value pairs, not ${JSON.stringify(pair)}`
      vars[m[1] as string] = m[2] as string
    }
    return { kind: 'env', vars }
  }
  return `unknown readme-test marker ${JSON.stringify(s)}: use "skip (reason)" or "env NAME=value …"`
}

/** Every fenced block of a Markdown text, with the markers directly above it. */
export function parseFences (markdown: string): { fences: Fence[], problems: string[] } {
  const lines = markdown.split('\n')
  const fences: Fence[] = []
  const problems: string[] = []
  let pending: Array<{ line: number, marker: Marker }> = []
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string
    const marker = MARKER.exec(text)
    if (marker !== null) {
      const parsed = parseMarker(marker[1] ?? '')
      if (typeof parsed === 'string') problems.push(`line ${i + 1}: ${parsed}`)
      else pending.push({ line: i + 1, marker: parsed })
      continue
    }
    const open = FENCE.exec(text)
    if (open === null) {
      for (const p of pending) problems.push(`line ${p.line}: a readme-test marker must be on the line(s) right above a fenced block`)
      pending = []
      continue
    }
    const indent = (open[1] ?? '').length
    const fenceChars = open[2] as string
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const l = lines[j] as string
      if (l.trim().startsWith(fenceChars) && /^[`~]+$/.test(l.trim())) break
      body.push(l.startsWith(' '.repeat(indent)) ? l.slice(indent) : l.trimStart())
    }
    const fence: Fence = { line: i + 1, lang: (open[3] ?? '').toLowerCase(), body, markers: pending.map((p) => p.marker) }
    if (fence.markers.length > 0 && !RUNNABLE.has(fence.lang)) {
      problems.push(`line ${i + 1}: readme-test markers only apply to bash/sh blocks, not \`\`\`${fence.lang}`)
    }
    if (fence.markers.filter((m) => m.kind === 'skip').length > 1) problems.push(`line ${i + 1}: more than one skip marker`)
    fences.push(fence)
    pending = []
    i = j
  }
  for (const p of pending) problems.push(`line ${p.line}: a readme-test marker must be on the line(s) right above a fenced block`)
  return { fences, problems }
}

/** Where a scan of bash stands: in single quotes, and the stack of double quotes and `(`/`$(`. */
interface Scan { single: boolean, stack: Array<'"' | '('> }

/**
 * Reads one line of bash into `scan` (quotes and parentheses still open from earlier lines);
 * returns the comment that ends the line, if any: a `#` outside quotes and parentheses, at the
 * start of a word.
 */
function scanLine (line: string, scan: Scan): string | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (scan.single) {
      if (c === "'") scan.single = false
      continue
    }
    if (c === '\\') {
      i++
      continue
    }
    const top = scan.stack.at(-1)
    if (top === '"') {
      if (c === '"') scan.stack.pop()
      else if (c === '$' && line[i + 1] === '(') { scan.stack.push('('); i++ }
      continue
    }
    if (c === "'") scan.single = true
    else if (c === '"') scan.stack.push('"')
    else if (c === '(') scan.stack.push('(')
    else if (c === ')' && top === '(') scan.stack.pop()
    else if (c === '#' && top === undefined && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(i)
  }
  return undefined
}

/** The text of a `#` comment: the `#` and the space after it removed, trimmed. */
const commentText = (comment: string): string => comment.replace(/^#/, '').trim()

/** `# 404`, `# 404: …`, `# 201, …` (not `# 100,000 …`): a status claim. */
const STATUS_CLAIM = /^([1-5]\d\d)(?![\d]|[,.]\d)/

/**
 * A runnable block's statements, in order. A statement starts at a line that is neither blank nor
 * a comment and goes on while a quote or `(` is open or the line ends with `\`, `|`, `&&` or `||`.
 * Comment lines right under a statement (no blank line between) are what it prints; a comment
 * line after a blank line, or at the top, is prose.
 */
export function parseStatements (fence: Fence, problems: string[]): Statement[] {
  const statements: Statement[] = []
  let current: { line: number, lines: string[], comments: string[] } | undefined
  let last: Statement | undefined
  const scan: Scan = { single: false, stack: [] }
  fence.body.forEach((text, index) => {
    const line = fence.line + 1 + index
    if (current === undefined) {
      const trimmed = text.trim()
      if (trimmed === '') { last = undefined; return }
      if (trimmed.startsWith('#')) {
        if (last !== undefined) last.shown.push({ line, text: commentText(trimmed) })
        return
      }
      if (/<<[^<]/.test(text)) problems.push(`line ${line}: here-documents are not supported in checked examples`)
      current = { line, lines: [], comments: [] }
    }
    current.lines.push(text)
    const comment = scanLine(text, scan)
    if (comment !== undefined) current.comments.push(commentText(comment))
    const code = (comment === undefined ? text : text.slice(0, text.length - comment.length)).trimEnd()
    const continues = scan.single || scan.stack.length > 0 || /(\\|\||&&)$/.test(code)
    if (continues) return
    const statement: Statement = { line: current.line, text: current.lines.join('\n'), shown: [] }
    for (const c of current.comments) {
      const status = STATUS_CLAIM.exec(c)
      if (status !== null) statement.status = Number(status[1])
      else if (c.startsWith('{')) statement.shown.push({ line: current.line + current.lines.length - 1, text: c })
    }
    statements.push(statement)
    last = statement
    current = undefined
  })
  if (current !== undefined) problems.push(`line ${current.line}: the statement never ends (an open quote, parenthesis or a trailing \\)`)
  return statements
}

/**
 * The commands a block may not run unless it is marked skip, found before anything runs: they
 * install, build or test the repository, start a server that runs until stopped, or reach
 * outside the test (git, docker, sudo, rm). The first one in `text`, or undefined.
 */
export function unsafeCommand (text: string): string | undefined {
  const words = /(?:^|[\s;&|(`])((?:npm|pnpm|yarn)\s+(?:install|i|ci|add|start|test|pack|publish|link|run(?:\s+--?\S+)*\s+(?:dev|build|start|test\S*|bench\S*|fuzz|soak|coverage))|npx\s+fatora-mock\s+serve|fatora-mock\s+serve|cli\s+--\s+serve|docker(?:-compose)?|git|sudo|rm)(?=\s|$|[;&|)])/m
  return words.exec(text)?.[1]
}

/** Every block of the file, runnable ones with their statements and the output block under them. */
export function parseMarkdown (markdown: string): Parsed {
  const { fences, problems } = parseFences(markdown)
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  let previous: Block | undefined
  for (const fence of fences) {
    if (RUNNABLE.has(fence.lang)) {
      previous = { fence, statements: parseStatements(fence, problems) }
      blocks.push(previous)
      continue
    }
    // An output block counts only right under a runnable one (blank lines between at most).
    const before = previous === undefined ? undefined : previous.fence.line + previous.fence.body.length + 1
    if (previous !== undefined && before !== undefined && OUTPUT_LANGS.has(fence.lang) &&
        lines.slice(before, fence.line - 1).every((l) => l.trim() === '')) {
      const lastStatement = previous.statements.at(-1)
      if (lastStatement === undefined) problems.push(`line ${fence.line}: an output block under a block with no command`)
      else if (lastStatement.shown.length > 0) problems.push(`line ${fence.line}: the output of line ${lastStatement.line} is shown twice (# lines and this block)`)
      else previous.output = fence
    }
    previous = undefined
  }
  return { blocks, problems }
}

/** The lines a reader sees in an output block, numbered, blank ones left out. */
export const outputLines = (fence: Fence): ShownLine[] =>
  fence.body.map((text, i) => ({ line: fence.line + 1 + i, text: text.trim() })).filter((l) => l.text !== '')

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A printed line's or a shown line's normal form: `\r` and surrounding whitespace removed. */
export const printedLines = (text: string): string[] =>
  text.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== '')

/**
 * Whether `shown` describes `printed` (both without blank lines): one shown line per printed
 * line, in order, each matching the whole line, where `…` inside a line is any text and a shown
 * line that is only `…` stands for any number of printed lines (none too).
 */
export function matchOutput (shown: readonly string[], printed: readonly string[]): boolean {
  const patterns = shown.map((s) => s === '…' ? null : new RegExp('^' + s.split('…').map(escapeRegExp).join('.*') + '$', 's'))
  const memo = new Map<string, boolean>()
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`
    const known = memo.get(key)
    if (known !== undefined) return known
    let ok: boolean
    if (i === patterns.length) ok = j === printed.length
    else {
      const p = patterns[i]
      if (p === null || p === undefined) ok = go(i + 1, j) || (j < printed.length && go(i, j + 1))
      else ok = j < printed.length && p.test(printed[j] as string) && go(i + 1, j + 1)
    }
    memo.set(key, ok)
    return ok
  }
  return go(0, 0)
}

/**
 * Replaces the README's addresses and paths with the test's: `localhost:<port>` and
 * `127.0.0.1:<port>` for every port in `ports` (3000 → the server's), and `data/…` (the default
 * database's directory, where files beside it live) → `dataDir/…`.
 */
export function rewrite (text: string, ports: ReadonlyMap<string, number>, dataDir: string): string {
  return text
    .replace(/\b(localhost|127\.0\.0\.1):(\d+)\b/g, (all, host: string, port: string) => {
      const to = ports.get(port)
      return to === undefined ? all : `${host}:${to}`
    })
    .replace(/(^|[\s'"=])data\//gm, (_all, before: string) => `${before}${dataDir}/`)
}

/** Lines the runner puts between statements (stdout and stderr) and curl's status line (stderr). */
export const SEPARATOR = '@@readme-test@@'
const SEPARATOR_LINE = new RegExp(`\\n${SEPARATOR} (\\d+|end)\\n`)
const STATUS_LINE = new RegExp(`^${SEPARATOR} status (\\d+)$`, 'gm')

/**
 * The bash script for one block: `set -euo pipefail`, a `curl` function that also reports each
 * transfer's HTTP status on stderr (curl's own -w, which a command's own -w would override), and
 * the statements as written with a separator line between them.
 */
export function blockScript (statements: readonly Statement[], rewriteText: (s: string) => string): string {
  const mark = (n: number | 'end'): string => `printf '\\n${SEPARATOR} ${n}\\n'; printf '\\n${SEPARATOR} ${n}\\n' >&2`
  return [
    'set -euo pipefail',
    `curl () { command curl --write-out '%{stderr}\\n${SEPARATOR} status %{http_code}\\n' "$@"; }`,
    ...statements.flatMap((s, i) => [mark(i), rewriteText(s.text)]),
    mark('end'),
    '',
  ].join('\n')
}

export interface StatementRun { stdout: string, stderr: string, statuses: number[] }

/**
 * Splits a block's stdout and stderr at the separators: what each statement printed and the
 * statuses its curls received, indexed like the statements; `finished` when the script reached
 * its end. A statement that never started is missing.
 */
export function splitRun (stdout: string, stderr: string): { runs: Map<number, StatementRun>, finished: boolean, stderr: string } {
  const parts = (text: string): Map<string, string> => {
    const pieces = ('\n' + text).split(SEPARATOR_LINE)
    const map = new Map<string, string>()
    for (let k = 1; k < pieces.length; k += 2) map.set(pieces[k] as string, pieces[k + 1] ?? '')
    return map
  }
  const out = parts(stdout)
  const err = parts(stderr)
  const runs = new Map<number, StatementRun>()
  for (const [key, text] of out) {
    if (key === 'end') continue
    const errText = err.get(key) ?? ''
    const statuses = [...errText.matchAll(STATUS_LINE)].map((m) => Number(m[1]))
    runs.set(Number(key), { stdout: text, stderr: errText.replace(STATUS_LINE, '').trim(), statuses })
  }
  const cleanStderr = stderr.replace(STATUS_LINE, '').split('\n').filter((l) => !l.startsWith(SEPARATOR)).join('\n').trim()
  return { runs, finished: out.has('end'), stderr: cleanStderr }
}
