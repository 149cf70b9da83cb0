import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectTarball } from '../../src/services/inspect-tarball.js';
import { sharedFixturesDir } from '@bulwark/testkit';

export const FIXTURES = join(sharedFixturesDir(), 'sigstore');
export const fixture = (file: string): any => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
const CACHE = join(tmpdir(), 'bulwark-test-npm-pack-cache');

/**
 * The real tarball of NAME@VERSION from registry.npmjs.org (`npm pack`), cached. No network
 * means a thrown error: these tests must fail loudly, never skip.
 */
export function realTarball(name: string, version: string): Buffer {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(file)) {
    const work = mkdtempSync(join(CACHE, 'pack-'));
    try {
      execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', work, '--registry', 'https://registry.npmjs.org/', '--silent'], {
        cwd: work, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env: { ...process.env, npm_config_userconfig: join(work, 'no-npmrc') },
      });
    } catch (err) {
      throw new Error(`npm pack ${name}@${version} from registry.npmjs.org failed (network down?): ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
    }
    const packed = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!packed) throw new Error(`npm pack ${name}@${version} produced no tarball`);
    renameSync(join(work, packed), file);
  }
  return readFileSync(file);
}

export function sha512Hex(data: Uint8Array): string {
  return createHash('sha512').update(data).digest('hex');
}

/** A publish body as npm sends it for a real tarball, with an optional provenance bundle attachment. */
export function publishBodyFor(tarball: Buffer, bundle?: unknown): { name: string; version: string; body: Record<string, unknown> } {
  const pj = inspectTarball(tarball, { unpackedBytes: 64 * 1024 * 1024, tarEntries: 10_000 }).packageJson;
  const name = String(pj.name);
  const version = String(pj.version);
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  const attachments: Record<string, unknown> = {
    [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length },
  };
  if (bundle !== undefined) {
    const data = JSON.stringify(bundle);
    attachments[`${name}-${version}.sigstore`] = { content_type: (bundle as { mediaType?: string }).mediaType, data, length: data.length };
  }
  return {
    name, version,
    body: { _id: name, name, 'dist-tags': { latest: version }, access: null, versions: { [version]: { ...pj, _id: `${name}@${version}`, dist: { integrity, shasum } } }, _attachments: attachments },
  };
}
