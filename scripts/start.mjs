// `npm start`: build if needed, then run the server in this same process, so signals sent to
// it (docker stop, kill, Ctrl-C) reach the server directly.
import { ensureBuilt } from './ensure-built.mjs'

ensureBuilt()
const { main } = await import('../dist/server.js')
await main()
