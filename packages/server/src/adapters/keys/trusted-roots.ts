import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/schema.js';

/** The Sigstore public-good trusted_root.json shipped with Bulwark (from @sigstore/tuf's seeds). */
export const PUBLIC_GOOD_TRUSTED_ROOT = fileURLToPath(new URL('../../../../assets/trusted_root.public-good.json', import.meta.url));

/** The trusted_root.json documents provenance is checked against: public-good unless disabled, plus the operator's. */
export function loadTrustedRoots(config: Pick<Config, 'provenance'>): unknown[] {
  const files = [...(config.provenance.publicGood ? [PUBLIC_GOOD_TRUSTED_ROOT] : []), ...config.provenance.trustedRoots];
  return files.map((file) => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      throw new Error(`Cannot read the Sigstore trusted root ${file}: ${(err as Error).message}`);
    }
  });
}
