// A server started through npm (npx fatora-mock serve, npm run …) runs under `sh -c`, which runs
// under npm. `kill $!` in a CI script signals npm; the shell between them dies without passing the
// signal on, and the server would live on as an orphan, holding its port. Once a second, the
// server looks at its parent process: when that parent has gone (the process was adopted by
// another, so its parent id changed), it closes as it does on SIGTERM.
// Only under a package manager: a server started from a shell (`fatora-mock serve &`) must
// outlive that shell's end, e.g. in one CI step that starts it for the next.

const CHECK_EVERY_MS = 1000

/** Calls `onGone` once, after the parent process that started this one has exited; returns a stop function. */
export function watchParent (onGone: (parentPid: number) => void, everyMs = CHECK_EVERY_MS): () => void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onGone(parent)
  }, everyMs)
  // Never what keeps the process alive.
  timer.unref()
  return () => { clearInterval(timer) }
}
