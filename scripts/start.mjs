// `npm start`: build if needed, then run the server in this same process, so signals sent to
// it (docker stop, kill, Ctrl-C) reach the server directly. Runs the esbuild bundle when built.
import { pathToFileURL } from 'node:url'
import { ensureBuilt, serverEntry } from './ensure-built.mjs'

await ensureBuilt()
const { main } = await import(pathToFileURL(serverEntry()).href)
await main()
