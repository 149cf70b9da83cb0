import type { Logger } from 'pino';
import { RegistryError } from '../domain/errors.js';
import { parseScannerReport, verifyScannerSignature, type ScannerKeySource } from '../domain/scanner-report.js';
import type { Accounts } from './accounts.js';

export interface ScanVerdict {
  readonly token_raw: string;
  readonly token_type: string;
  readonly label: 'true_positive' | 'false_positive';
}

export interface LeakNotice {
  readonly userId: number;
  readonly tokenDisplay: string;
  readonly url: string;
  readonly provider: string;
}

/**
 * AUTHZ-3b: a scanner reports tokens it found in public; a live Bulwark token is revoked at once
 * and its owner told where it was found. The report must carry a valid signature from one of the
 * provider's current keys; anything else is refused before a single token is looked at.
 */
export class SecretScanning {
  constructor(private readonly deps: {
    accounts: Accounts;
    keys: ScannerKeySource;
    providers: readonly string[];
    logger: Pick<Logger, 'info' | 'warn'>;
    /** Tells the owner (mail, security log); wired by the composition root. */
    notify?: (notice: LeakNotice) => Promise<void>;
  }) {}

  async report(provider: string, keyId: string | undefined, signature: string | undefined, body: Buffer): Promise<ScanVerdict[]> {
    if (!this.deps.providers.includes(provider)) throw new RegistryError('E_NOT_FOUND', `No secret scanning provider named ${provider.slice(0, 40)}.`);
    if (!keyId || !signature) throw new RegistryError('E_SIGNATURE_INVALID', 'The report needs its key identifier and signature headers.');
    let key = (await this.deps.keys.keys(provider)).find((k) => k.id === keyId);
    if (!key) key = (await this.deps.keys.keys(provider, keyId)).find((k) => k.id === keyId);
    if (!key) throw new RegistryError('E_SIGNATURE_INVALID', 'The report is signed with a key the provider does not publish.');
    if (!key.current) throw new RegistryError('E_SIGNATURE_INVALID', 'The report is signed with a key the provider no longer uses.');
    if (!verifyScannerSignature(key, signature, body)) throw new RegistryError('E_SIGNATURE_INVALID', 'The report signature does not verify.');
    const items = parseScannerReport(body);
    if (!items) throw new RegistryError('E_BAD_REQUEST', 'The report must be a JSON array of {token, type, url, source}.');

    const verdicts: ScanVerdict[] = [];
    for (const item of items) {
      const revoked = await this.deps.accounts.revokeLeakedToken(item.token);
      if (revoked) {
        // The token itself never reaches the log; its masked form and where it leaked do.
        this.deps.logger.warn({ provider, token: revoked.display, url: item.url, source: item.source }, 'leaked token revoked (AUTHZ-3b)');
        await this.deps.notify?.({ userId: revoked.userId, tokenDisplay: revoked.display, url: item.url, provider });
      }
      verdicts.push({ token_raw: item.token, token_type: item.type, label: revoked ? 'true_positive' : 'false_positive' });
    }
    return verdicts;
  }
}
