// One autocannon run, in its own process so it can be pinned to its own core (taskset).
// argv[2]: JSON {url, connections, duration, timeout, paths, headers, method, body}. Prints one JSON line.
import autocannon from 'autocannon'

/** @type {{ url: string, connections?: number, duration?: number, timeout?: number, paths?: string[], headers?: Record<string, string>, method?: 'GET' | 'POST', body?: string }} */
const o = JSON.parse(/** @type {string} */ (process.argv[2]))
const paths = o.paths ?? ['/']
// The load generator's own CPU: when its core is the busy one, the server is not what is measured.
const cpuBefore = process.cpuUsage()
let i = 0
const result = await autocannon({
  url: o.url,
  connections: o.connections ?? 50,
  duration: o.duration ?? 10,
  // Seconds a response may take (autocannon's default is 10): a slow list answer is measured, not dropped.
  timeout: o.timeout ?? 10,
  headers: o.headers ?? {},
  method: o.method ?? 'GET',
  ...(o.body === undefined ? {} : { body: o.body }),
  // A spread of paths (e.g. existing client ids), cycled in order: no random draws on the client.
  requests: [{ setupRequest: (req) => { req.path = paths[i++ % paths.length]; return req } }],
})
/** @type {Record<string, number | undefined>} */
const statuses = {}
for (const [k, v] of Object.entries(result.statusCodeStats ?? {})) statuses[k] = v.count
process.stdout.write(JSON.stringify({
  rps: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  statuses,
  clientBusy: (() => { const c = process.cpuUsage(cpuBefore); return Number(((c.user + c.system) / ((o.duration ?? 10) * 1e6)).toFixed(3)) })(),
}) + '\n')
