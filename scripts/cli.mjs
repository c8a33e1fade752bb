// `npm run cli -- …`: build if needed, then run the fatora-mock command in this same process.
import { ensureBuilt } from './ensure-built.mjs'

await ensureBuilt()
await import('../dist/cli.js')
