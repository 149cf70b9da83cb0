import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BreachedPasswords } from '../../domain/breached-passwords.js';
import { parseRangeBody } from './pwned-range-client.js';

/**
 * An offline mirror of the range API (AUTHN-2d, air-gapped registries): one file per 5-hex
 * prefix, named `PREFIX` or `PREFIX.txt` (either case), holding the API's `SUFFIX:COUNT` lines.
 * A missing file is an error, not "not found": an incomplete mirror must not pass every password
 * silently (the fail-open/closed setting decides).
 */
export class RangeDirectory implements BreachedPasswords {
  constructor(private readonly directory: string) {}

  async count(sha1: string): Promise<number> {
    const hash = sha1.toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(hash)) throw new Error('not a SHA-1 hex digest');
    const prefix = hash.slice(0, 5);
    for (const name of [prefix, `${prefix}.txt`, prefix.toLowerCase(), `${prefix.toLowerCase()}.txt`]) {
      let body: string;
      try {
        body = await readFile(join(this.directory, name), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      return parseRangeBody(body).get(hash.slice(5)) ?? 0;
    }
    throw new Error(`the range directory has no file for prefix ${prefix}`);
  }
}
