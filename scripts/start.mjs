// `npm start`: build if needed, then run the server in this same process, so signals sent to
// it (docker stop, kill, Ctrl-C) reach the server directly. Runs the esbuild bundle when built.
// Flags after `--` are `fatora-mock serve`'s (src/serve-args.ts): `npm start -- --port 4000`.
import { pathToFileURL } from 'node:url'
import { ensureBuilt, serverEntry } from './ensure-built.mjs'

// Without `--`, npm keeps a flag for itself (`npm start --port 4000` sets npm_config_port and
// passes only "4000"; `--no-seed` sets npm_config_seed): say so instead of starting without it.
if (process.env.npm_lifecycle_event === 'start') {
  const kept = [['port', '--port'], ['host', '--host'], ['db', '--db'], ['seed', '--no-seed']]
    .filter(([name]) => process.env[`npm_config_${name}`] !== undefined).map(([, flag]) => flag)
  if (kept.length > 0) {
    process.stderr.write(`fatora-mock: npm took ${kept.join(' and ')} for itself; put the server's flags after --, e.g. npm start -- ${kept[0] === '--no-seed' ? '--no-seed' : `${kept[0]} …`}\n`)
    process.exit(2)
  }
}

await ensureBuilt()
const { main } = await import(pathToFileURL(serverEntry()).href)
await main(undefined, { argv: process.argv.slice(2), command: 'npm start --' })
