// Helpers the benchmark scripts share for running a local `bulwark`: admin commands and a free port.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = join(repoRoot, 'packages/cli/dist/src/bin.js');

/** Runs `bulwark admin ...`; returns stdout, or throws with its output. */
export function runAdmin(args, input) {
  const r = spawnSync(process.execPath, [bin, 'admin', ...args], {
    cwd: repoRoot,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, BULWARK_LOG_LEVEL: 'warn' },
  });
  if (r.status !== 0) throw new Error(`bulwark admin ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Asks the kernel for a free loopback port (the harness's fixed ports 4873, 4874, 4880 are never handed out). */
export function freePort() {
  return new Promise((ok, ko) => {
    const srv = createServer();
    srv.once('error', ko);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** SIGTERM a server child process and wait for it to exit (SIGKILL after 10 s). */
export function stopServer(child) {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    child.kill('SIGTERM');
  });
}
