// Runs a command under a pseudo-terminal with util-linux `script -qfec CMD /dev/null`, answering
// prompts as they appear in its output. Used for prompts that need a TTY (npm's legacy login).
import { spawn, spawnSync } from 'node:child_process';

export interface PtyStep {
  /** Wait until this appears in the output (after the previous step's match). */
  expect: RegExp | string;
  /** Then type this (or what the function makes of the output so far, e.g. a code read off the screen); a carriage return is appended unless `raw` is set. */
  send: string | ((output: string) => string);
  raw?: boolean;
}

export interface PtyResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Everything the terminal showed (stdout and stderr of the command are merged by the pty). */
  output: string;
  /** Indexes of the steps whose prompt appeared and was answered (a prompt that never appears is not an error: check this). */
  answered: number[];
  timedOut: boolean;
}

export interface PtyOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  steps?: PtyStep[];
  timeoutMs?: number;
  /** Terminal size set with stty inside the pty (script gives 0x0 otherwise). */
  cols?: number;
  rows?: number;
}

/** Whether `script` from util-linux is available. */
export function ptyAvailable(): boolean {
  const r = spawnSync('script', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /util-linux/.test(r.stdout + r.stderr);
}

export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_\-+=./:@,%]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Strips ANSI escape sequences (colour, cursor movement) from terminal output. */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b[()][0-9A-Za-z]/g, '').replace(/\u001b[=>]/g, '');
}

export function runInPty(cmd: string, args: readonly string[], opts: PtyOptions = {}): Promise<PtyResult> {
  const line = `stty cols ${opts.cols ?? 160} rows ${opts.rows ?? 50} 2>/dev/null; exec ${[cmd, ...args].map(shellQuote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', line, '/dev/null'], {
      cwd: opts.cwd,
      env: { ...(opts.env ?? process.env), TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const steps = opts.steps ?? [];
    let output = '';
    let searchFrom = 0;
    let next = 0;
    const answered: number[] = [];
    let timedOut = false;
    const killGroup = () => {
      try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, opts.timeoutMs ?? 60_000);
    const advance = () => {
      while (next < steps.length) {
        const step = steps[next]!;
        const clean = stripAnsi(output.slice(searchFrom));
        const seen = typeof step.expect === 'string' ? clean.includes(step.expect) : step.expect.test(clean);
        if (!seen) return;
        // The next prompt is looked for only in output that comes after this answer.
        searchFrom = output.length;
        answered.push(next);
        next++;
        const text = typeof step.send === 'function' ? step.send(stripAnsi(output).replace(/\r/g, '')) : step.send;
        child.stdin.write(step.raw ? text : text + '\r');
      }
    };
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      advance();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.stdin.on('error', () => { /* closed */ });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: stripAnsi(output).replace(/\r/g, ''), answered, timedOut });
    });
  });
}
