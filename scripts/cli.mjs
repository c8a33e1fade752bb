// `npm run cli -- …`: build if needed, then run the fatora-mock command in this same process.
import { ensureBuilt } from './ensure-built.mjs'

await ensureBuilt()
// As a URL, so that type-checking scripts/ does not need dist/ to exist yet (CI checks before it builds).
await import(new URL('../dist/cli.js', import.meta.url).href)
