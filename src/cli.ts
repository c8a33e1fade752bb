#!/usr/bin/env node
// The `fatora-mock` command: argument parsing, output and exit codes only; the work is done by
// the seeding core and the stores. Exit 0 ok, 1 failure (one line), 2 bad usage (one line).
import { ConfigError, loadConfig, withFlags, type Config } from './config.js'
import { packageVersion } from './package-root.js'
import { DatabaseFileError, openDatabase } from './db/open.js'
import { COUNTS, createStores, describeCounts, type Stores } from './db/stores.js'
import { modules } from './modules.js'
import { DomainError, StorageUnavailableError } from './domain-errors.js'
import { DB_HELP, DB_OPTIONS, dbOption, HELP_HELP, intOption, type Options, parseStrict, SERVE_HELP, SERVE_OPTIONS, SERVE_SYNOPSIS, serveOverrides, UsageError, type Values } from './serve-args.js'

/** The families `seed --family` can add, in registry order (clients first, the default). */
const SEED_FAMILIES = modules.flatMap((m) => m.seeding === undefined ? [] : [m.name])

class CommandError extends Error {}

interface Command {
  usage: string
  options: Options
  /** How many positional arguments: [min, max]. */
  positionals: [number, number]
  /** false: the command opens no database, so it takes no --db (openapi). */
  database?: false
  run: (args: { values: Values, positionals: string[], config: Config }) => Promise<void> | void
}

const common = `Options for every command:\n${DB_HELP}\n${HELP_HELP}`
/** The options a command's --help lists after its own. */
const commonHelp = (command: Command): string => command.database === false ? `Options:\n${HELP_HELP}` : common

function out (line: string): void { process.stdout.write(line + '\n') }
const fmt = (n: number): string => n.toLocaleString('en-US')

/** "1 client", "2 clients": the singular of any noun the counts declare (CountSpec.one). */
function countOf (n: number, plural: string): string {
  return `${fmt(n)} ${n === 1 ? COUNTS.find((c) => c.noun === plural)?.one ?? plural : plural}`
}
/** "id 7" or "ids 7–9" (or "-" when none were added). */
const ids = (first: number | null | undefined, last: number | null | undefined): string =>
  first != null && first === last ? `id ${first}` : `ids ${first ?? '-'}–${last ?? '-'}`

// Opens the database the way the server would: an existing file as it is; a missing one is
// created from the fixtures (SEED_FIXTURES, FIXTURES_DIR apply).
async function withStores<T> (config: Config, fn: (stores: Stores) => T | Promise<T>): Promise<T> {
  const { loadSeeder } = await import('./seed/initial-data.js')
  const { db } = openDatabase(config.DB_PATH, { onCreate: await loadSeeder({ ...config, SEED_CLIENTS: 0 }) })
  const stores = createStores(db)
  try {
    return await fn(stores)
  } finally {
    stores.close()
  }
}

const seeding = async (): Promise<typeof import('./seed/seed.js')> => await import('./seed/seed.js')
const merchants = async (): Promise<typeof import('./modules/merchants/service.js')> => await import('./modules/merchants/service.js')

function progressBar (total: number): ((written: number) => void) | undefined {
  if (process.stderr.isTTY !== true || total < 10_000) return undefined
  const started = performance.now()
  return (written) => {
    const width = 30
    const done = Math.round((written / total) * width)
    const rate = written / ((performance.now() - started) / 1000)
    process.stderr.write(`\r[${'#'.repeat(done)}${' '.repeat(width - done)}] ${Math.floor((written / total) * 100)}% ${fmt(written)}/${fmt(total)} · ${fmt(Math.round(rate))} rows/s`)
    if (written === total) process.stderr.write('\n')
  }
}

const commands: Record<string, Command> = {
  serve: {
    // The same flags as `npm start -- …` (serve-args.ts).
    usage: `Usage: fatora-mock serve ${SERVE_SYNOPSIS}

Starts the mock server (what \`npm start\` runs, with the same flags).
${SERVE_HELP}`,
    options: SERVE_OPTIONS,
    positionals: [0, 0],
    async run ({ values, config }) {
      const overrides = serveOverrides(values)
      const { main } = await import('./server.js')
      await main(withFlags(config, overrides))
    },
  },

  seed: {
    usage: `Usage: fatora-mock seed --count N [--family clients|products|invoices] [--merchant ID | --api-key KEY] [--seed S] [--locale en|ar] [--batch N] [--db PATH]

Adds N fake clients, products or invoices to one merchant (the docs' demo merchant by default),
with ids after the largest in use. The same --family, --seed, --count, --locale and starting
database give identical rows. Invoices come with their items, which name the merchant's
products: a merchant without products first gets 20 fake ones (and the output says so).
  --count N         how many rows (1 to 10,000,000)
  --family F        clients (default), products, or invoices with their items
  --merchant ID     the merchant to add them to
  --api-key KEY     ...or the merchant that owns this key
  --seed S          faker seed (default 1)
  --locale en|ar    English, or Arabic names, addresses and descriptions (default en)
  --batch N         rows per transaction (default 5,000)`,
    options: { count: { type: 'string' }, family: { type: 'string' }, merchant: { type: 'string' }, 'api-key': { type: 'string' }, seed: { type: 'string' }, locale: { type: 'string' }, batch: { type: 'string' } },
    positionals: [0, 0],
    async run ({ values, config }) {
      const count = intOption(values, 'count', 1, 10_000_000)
      if (count === undefined) throw new UsageError('--count is required')
      const family = values.family ?? 'clients'
      const seeding = modules.find((m) => m.name === family)?.seeding
      if (seeding === undefined) throw new UsageError(`--family must be ${SEED_FAMILIES.slice(0, -1).join(', ')} or ${SEED_FAMILIES.at(-1) ?? ''}`)
      const merchantId = intOption(values, 'merchant', 1, Number.MAX_SAFE_INTEGER)
      const seed = intOption(values, 'seed', 0, 4294967295) ?? 1
      const batch = intOption(values, 'batch', 1, 1_000_000)
      const locale = values.locale ?? 'en'
      if (locale !== 'en' && locale !== 'ar') throw new UsageError('--locale must be en or ar')
      if (merchantId !== undefined && values['api-key'] !== undefined) throw new UsageError('give --merchant or --api-key, not both')
      const [{ resolveMerchant }, seeder] = await Promise.all([merchants(), seeding.load()])
      await withStores(config, (stores) => {
        const merchant = resolveMerchant(stores, { merchantId, apiKey: values['api-key'] as string | undefined }, { merchantId: '--merchant', apiKey: '--api-key' })
        const started = performance.now()
        const r = seeder.seed(stores, { merchantId: merchant.id, count, seed, locale, batch, onProgress: progressBar(count) })
        const seconds = (performance.now() - started) / 1000
        const also = r.alsoAdded
        if (also !== undefined) out(`Merchant ${merchant.id} (${merchant.name}) had no ${also.family}: added ${fmt(also.inserted)} first, ${ids(also.firstId, also.lastId)}, for the ${seeding.noun}' items to name`)
        out(`Added ${countOf(r.inserted, seeding.noun)} to merchant ${merchant.id} (${merchant.name}): ${ids(r.firstId, r.lastId)} in ${seconds.toFixed(1)} s (${fmt(Math.round(r.inserted / seconds))} rows/s)`)
      })
    },
  },

  import: {
    usage: `Usage: fatora-mock import FILE.json [--db PATH]

Loads merchants, keys and clients in the fixtures' format (see fixtures/default.json). The file
is validated first; a bad file, or a key or client id already taken, changes nothing and names
the entry. Merchants that already exist are reused.`,
    options: {},
    positionals: [1, 1],
    async run ({ positionals, config }) {
      const file = positionals[0] as string
      const [{ loadFixtures }, { importFixtures }] = await Promise.all([import('./seed/fixtures.js'), seeding()])
      const fixtures = loadFixtures(file)
      await withStores(config, (stores) => {
        const s = importFixtures(stores, fixtures, file)
        out(`Imported ${file}: ${describeCounts(s, fmt, { merchants: 'new' })}`)
      })
    },
  },

  reset: {
    usage: `Usage: fatora-mock reset --yes [--db PATH]

Deletes every merchant, key and client and loads the fixtures again (FIXTURES_DIR, else the
package's fixtures/). Stop the server first, or use POST /__admin/reset while it runs.
  --yes         required: this deletes data`,
    options: { yes: { type: 'boolean' } },
    positionals: [0, 0],
    async run ({ values, config }) {
      if (values.yes !== true) throw new UsageError(`reset deletes every merchant, key and client in ${config.DB_PATH}; run it again with --yes to confirm`)
      const [{ loadFixturesDir }, { resetToFixtures }] = await Promise.all([import('./seed/fixtures.js'), seeding()])
      const fixtures = loadFixturesDir(config.FIXTURES_DIR)
      await withStores(config, (stores) => {
        const s = resetToFixtures(stores, fixtures)
        out(`Reset ${config.DB_PATH} to the fixtures: ${describeCounts(s, fmt)}`)
      })
    },
  },

  merchants: {
    usage: `Usage: fatora-mock merchants add NAME [--id N] [--db PATH]
       fatora-mock merchants list [--db PATH]

add: creates a merchant with one new active key, and prints both.
list: a header, then one tab-separated line per merchant: its id, name, counts and keys.`,
    options: { id: { type: 'string' } },
    positionals: [1, 2],
    async run ({ values, positionals, config }) {
      const [action, name] = positionals
      if (action === 'add') {
        if (name === undefined || name.trim() === '') throw new UsageError('merchants add needs a NAME')
        if (name.length > 200) throw new UsageError('NAME must be at most 200 characters')
        const id = intOption(values, 'id', 1, Number.MAX_SAFE_INTEGER)
        const { addMerchant } = await merchants()
        await withStores(config, (stores) => {
          const r = addMerchant(stores, name, id)
          out(`Merchant ${r.merchant.id} (${r.merchant.name}) created with active key ${r.apiKey}`)
        })
      } else if (action === 'list') {
        if (name !== undefined) throw new UsageError('merchants list takes no argument')
        const { summarizeMerchants } = await merchants()
        await withStores(config, (stores) => {
          // A table like `keys list`: a header row, then plain numbers under the counts' names.
          const perMerchant = COUNTS.filter((c) => c.perMerchant === true)
          out(['ID', 'NAME', ...perMerchant.map((c) => c.noun.toUpperCase().replace(/ /g, '_')), 'KEYS'].join('\t'))
          for (const m of summarizeMerchants(stores, perMerchant.map((c) => c.key))) {
            const counts = perMerchant.map((c) => `${m.counts[c.key] ?? 0}\t`).join('')
            out(`${m.id}\t${m.name}\t${counts}${m.apiKeys.map((k) => `${k.key} (${k.status})`).join(', ') || 'no keys'}`)
          }
        })
      } else {
        throw new UsageError(`unknown action ${JSON.stringify(action)}: use merchants add NAME or merchants list`)
      }
    },
  },

  keys: {
    usage: `Usage: fatora-mock keys add --merchant ID [--inactive] [--key KEY] [--db PATH]
       fatora-mock keys list [--db PATH]
       fatora-mock keys deactivate KEY [--db PATH]
       fatora-mock keys activate KEY [--db PATH]

add: a new key for a merchant (random, or the given --key), active unless --inactive.
deactivate/activate: an inactive key answers 403 on every /v1 route.`,
    options: { merchant: { type: 'string' }, inactive: { type: 'boolean' }, key: { type: 'string' } },
    positionals: [1, 2],
    async run ({ values, positionals, config }) {
      const [action, key] = positionals
      if (action === 'add') {
        if (key !== undefined) throw new UsageError('keys add takes no positional argument (use --key KEY)')
        const merchantId = intOption(values, 'merchant', 1, Number.MAX_SAFE_INTEGER)
        if (merchantId === undefined) throw new UsageError('keys add needs --merchant ID')
        if (typeof values.key === 'string' && !/^[\x21-\x7e]{1,200}$/.test(values.key)) throw new UsageError('--key must be 1 to 200 visible ASCII characters')
        const { addApiKey, newApiKey } = await merchants()
        await withStores(config, (stores) => {
          const k = addApiKey(stores, merchantId, values.inactive === true ? 'inactive' : 'active', typeof values.key === 'string' ? values.key : newApiKey())
          out(`Key ${k.key} added to merchant ${k.merchantId} (${k.status})`)
        })
      } else if (action === 'list') {
        await withStores(config, (stores) => {
          out('KEY\tMERCHANT\tSTATUS')
          for (const k of stores.keys.list()) out(`${k.key}\t${k.merchantId}\t${k.status}`)
        })
      } else if (action === 'activate' || action === 'deactivate') {
        if (key === undefined) throw new UsageError(`keys ${action} needs a KEY`)
        await withStores(config, (stores) => {
          const k = stores.keys.setStatus(key, action === 'activate' ? 'active' : 'inactive')
          if (k === undefined) throw new CommandError(`no such key: ${key}`)
          out(`Key ${k.key} of merchant ${k.merchantId} is now ${k.status}`)
        })
      } else {
        throw new UsageError(`unknown action ${JSON.stringify(action)}: use keys add, list, activate or deactivate`)
      }
    },
  },

  openapi: {
    usage: `Usage: fatora-mock openapi [--yaml]

Prints the OpenAPI 3 spec (JSON, or YAML with --yaml) without starting a server or touching
a database.
  --yaml        YAML instead of JSON`,
    options: { yaml: { type: 'boolean' } },
    positionals: [0, 0],
    database: false,
    async run ({ values, config }) {
      const { buildApp } = await import('./app.js')
      // The whole spec, Prefer included, whatever this shell's PREFER_ENABLED says; only ADMIN_ENABLED applies.
      const app = await buildApp({ config: { ...config, LOG_LEVEL: 'silent', PREFER_ENABLED: true }, stores: createStores(openDatabase(':memory:').db) })
      try {
        const spec = values.yaml === true ? await app.openapi({ yaml: true }) as string : JSON.stringify(await app.openapi(), null, 2)
        process.stdout.write(spec.endsWith('\n') ? spec : spec + '\n')
      } finally {
        await app.close()
      }
    },
  },
}

const version = packageVersion

const topUsage = `Usage: fatora-mock <command> [options]

An offline mock of Fatora's API. Commands:
  serve       start the mock server
  seed        add fake clients, products or invoices to a merchant
  import      load merchants, keys and clients from a fixtures-format JSON file
  reset       delete everything and load the fixtures again
  merchants   add a merchant (with a key), or list them
  keys        add, list, activate or deactivate API keys
  openapi     print the OpenAPI spec

Run fatora-mock <command> --help for a command's options.
${common}
  --version     print the version`

/** Parses argv and runs one command; returns the exit code (serve keeps running). */
export async function runCli (argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(topUsage)
    return name === undefined ? 2 : 0
  }
  if (name === '--version') { out(version()); return 0 }
  const command = commands[name]
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)} (commands: ${Object.keys(commands).join(', ')})`)
    const global = command.database === false ? { help: DB_OPTIONS.help } as Options : DB_OPTIONS
    const parsed = parseStrict(rest, { ...global, ...command.options })
    if (parsed.values.help === true) { out(`${command.usage}\n\n${commonHelp(command)}`); return 0 }
    const [min, max] = command.positionals
    if (parsed.positionals.length < min) throw new UsageError(min === 1 && max === 1 ? 'a FILE argument is required' : 'an action is required')
    if (parsed.positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[max])}`)
    const db = dbOption(parsed.values)
    const config = loadConfig(db === undefined ? process.env : { ...process.env, DB_PATH: db })
    await command.run({ values: parsed.values, positionals: parsed.positionals, config })
    return 0
  } catch (err) {
    const prefix = command === undefined ? 'fatora-mock' : `fatora-mock ${name}`
    if (err instanceof UsageError) {
      process.stderr.write(`${prefix}: ${err.message.replace(/\s*\n\s*/g, ' ')} (see fatora-mock ${command === undefined ? '--help' : `${name} --help`})\n`)
      return 2
    }
    // A storage failure is not a refusal of the rules: it keeps the "failed:" prefix.
    const known = err instanceof CommandError || err instanceof ConfigError || err instanceof DatabaseFileError ||
      (err instanceof DomainError && !(err instanceof StorageUnavailableError))
    // Always one line, and never a stack trace.
    const message = known ? (err as Error).message : `failed: ${(err as Error).message ?? String(err)}`
    process.stderr.write(`${prefix}: ${message.replace(/\s*\n\s*/g, ' ')}\n`)
    return 1
  }
}

const code = await runCli(process.argv.slice(2))
if (process.argv[2] !== 'serve' || code !== 0) process.exitCode = code
