import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * GEN-3b: what `bulwark tlog` remembers between runs, per registry URL: the pinned log key and
 * the last verified checkpoint (verify), and the feed position and per-package history (monitor).
 */
export interface VerifyState {
  readonly verifierKey: string;
  readonly origin: string;
  readonly size: number;
  /** Base64 root hash of the last checkpoint that verified. */
  readonly rootHash: string;
  readonly checkedAt: string;
}

export interface PackageHistory {
  publishers: string[];
  maintainers: string[];
  tags: Record<string, string>;
  deprecated: Record<string, string>;
  /** Whether any version seen so far was published with provenance. */
  hadProvenance?: boolean;
}

export interface MonitorState {
  next: number;
  packages: Record<string, PackageHistory>;
}

export interface StateFile {
  version: 1;
  verify: Record<string, VerifyState>;
  monitor: Record<string, MonitorState>;
}

export function defaultStatePath(): string {
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'bulwark', 'tlog-state.json');
}

export async function loadState(path: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, verify: {}, monitor: {} };
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StateFile>;
  if (parsed.version !== 1) throw new Error(`${path}: not a bulwark tlog state file (version ${String(parsed.version)})`);
  return { version: 1, verify: parsed.verify ?? {}, monitor: parsed.monitor ?? {} };
}

/** Read-modify-write of one section, written atomically (temp file + rename). */
export async function updateState(path: string, change: (state: StateFile) => void): Promise<void> {
  const state = await loadState(path);
  change(state);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, path);
}
