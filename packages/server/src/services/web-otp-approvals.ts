import { createHash, randomBytes } from 'node:crypto';
import { RegistryError } from '../domain/errors.js';
import type { Clock } from '../domain/ports.js';
import type { WebAuthStore, WebOtpApprovalRecord } from '../domain/web-auth-store.js';
import { WEB_OTP_PREFIX, type ApprovalFactor, type WebOtpApprovals, type WebOtpApproval } from '../domain/web-otp.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * Browser approvals behind npm's OTP challenge (AUTHN-3b/3c; domain/web-otp.ts). The approval id
 * (in authUrl), the poll secret (in doneUrl) and the one-time code are random and stored only as
 * SHA-256. The page needs the same user's session and a fresh second factor; the code is handed
 * out once to the poller and works once, within the approval's short lifetime.
 */
export class WebOtpApprovalService implements WebOtpApprovals {
  constructor(private readonly deps: { store: WebAuthStore; clock: Clock; ttlMs: number }) {}

  async start(userId: number, what: string, baseUrl: string, options: { phishingResistant?: boolean } = {}): Promise<{ authUrl: string; doneUrl: string }> {
    const id = randomBytes(24).toString('base64url');
    const doneSecret = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.store.insertApproval({
      idHash: sha256(id), userId, what: what.slice(0, 300), doneSecretHash: sha256(doneSecret), factor: null,
      createdAt: now, expiresAt: new Date(now.getTime() + this.deps.ttlMs), approvedAt: null, collectedAt: null,
      phishingResistant: options.phishingResistant === true,
    });
    const base = baseUrl.replace(/\/+$/, '');
    return { authUrl: `${base}/-/ui/approve/${id}`, doneUrl: `${base}/-/v1/approve/${id}/done?secret=${doneSecret}` };
  }

  /** The approval behind an authUrl, for its owner only; E_NOT_FOUND otherwise (also when expired). */
  async forPage(id: string, userId: number): Promise<WebOtpApprovalRecord> {
    const record = ID.test(id) ? await this.deps.store.findApproval(sha256(id)) : null;
    if (!record || record.userId !== userId || record.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      throw new RegistryError('E_NOT_FOUND', 'This approval request is unknown, expired or for another account; repeat the npm command.');
    }
    return record;
  }

  /** Marks it approved with the factor just passed (the caller checked the factor). */
  async approve(id: string, userId: number, factor: ApprovalFactor, aaguid: string | null = null): Promise<void> {
    const record = await this.forPage(id, userId);
    if (record.phishingResistant && factor !== 'security-key' && factor !== 'passkey') {
      throw new RegistryError('E_PHISHING_RESISTANT_REQUIRED', 'This write is for a critical package: approve it with a security key or passkey.');
    }
    if (!(await this.deps.store.approve(sha256(id), factor, aaguid, this.deps.clock.now()))) {
      throw new RegistryError('E_NOT_FOUND', 'This approval request was already approved or has expired.');
    }
  }

  /** npm's poll: null while pending; the one-time code once approved (a second poll gets E_NOT_FOUND). */
  async poll(id: string, doneSecret: string): Promise<string | null> {
    const record = ID.test(id) ? await this.deps.store.findApproval(sha256(id)) : null;
    const now = this.deps.clock.now();
    if (!record || record.doneSecretHash !== sha256(doneSecret) || record.expiresAt.getTime() <= now.getTime() || record.collectedAt) {
      throw new RegistryError('E_NOT_FOUND', 'This approval request is unknown, expired or already collected.');
    }
    if (!record.approvedAt) return null;
    const code = `${WEB_OTP_PREFIX}${randomBytes(32).toString('base64url')}`;
    if (!(await this.deps.store.collectApproval(record.idHash, sha256(code), now))) {
      throw new RegistryError('E_NOT_FOUND', 'This approval request was already collected.');
    }
    return code;
  }

  async consume(userId: number, code: string): Promise<WebOtpApproval | null> {
    if (!code.startsWith(WEB_OTP_PREFIX) || code.length > 100) return null;
    return this.deps.store.consumeApprovalCode(userId, sha256(code), this.deps.clock.now());
  }
}
