import { decodeBase64, encodeBase64 } from './base64.js';
import { HASH_SIZE } from './merkle.js';
import { malformed } from './tlog-error.js';

/**
 * C2SP tlog-checkpoint: the note text of a signed tree head.
 *
 *     <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]...
 */
export interface Checkpoint {
  /** The log's identity, e.g. `registry.example.com/tlog`; the log's key name should match it. */
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque, non-empty lines; the spec advises against them (monitors cannot audit them). */
  readonly extensions: readonly string[];
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
// Signed notes may not carry ASCII control characters; a line cannot carry a newline either.
const CONTROL = /[\u0000-\u001f]/;

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions } = checkpoint;
  checkLine(origin, 'origin');
  if (!Number.isSafeInteger(size) || size < 0) throw malformed(`tree size must be a non-negative safe integer, got ${size}`);
  if (rootHash.length !== HASH_SIZE) throw malformed('root hash must be 32 bytes');
  extensions.forEach((line) => checkLine(line, 'extension line'));
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses a checkpoint body (the note text, without signatures). Strict: one spelling per value. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('checkpoint needs an origin, a tree size and a root hash');
  lines.forEach((line) => checkLine(line, 'checkpoint line'));
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!DECIMAL.test(sizeText)) throw malformed('tree size must be decimal without leading zeroes');
  const size = Number(sizeText);
  // Sizes past 2^53 cannot be held exactly in a number; no real log is anywhere near that.
  if (!Number.isSafeInteger(size)) throw malformed('tree size is too large');
  const rootHash = decodeBase64(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) throw malformed('root hash must be base64 of 32 bytes');
  return { origin, size, rootHash, extensions };
}

function checkLine(line: string, what: string): void {
  if (line === '') throw malformed(`${what} must not be empty`);
  if (CONTROL.test(line)) throw malformed(`${what} must not contain control characters or newlines`);
}
