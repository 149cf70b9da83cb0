import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import type { Accounts } from '../services/accounts.js';
import type { PasswordCheck } from '../services/password-check.js';
import type { EmailDomainChecks } from '../services/email-domain-checks.js';
import type { OperatorRecovery } from '../services/operator-recovery.js';
import type { PackageReads } from '../services/package-reads.js';
import type { PackageWrites } from '../services/package-writes.js';
import type { PublishVersion } from '../services/publish-version.js';
import type { NameGuard } from '../services/name-guard.js';
import type { WebLogin } from '../services/web-login.js';
import type { WebSessions } from '../services/web-sessions.js';
import type { PackageOverviews } from '../services/package-overview.js';
import type { Organizations } from '../services/organizations.js';
import type { TokenManagement } from '../services/token-management.js';
import type { SecretScanning } from '../services/secret-scanning.js';
import type { TrustedPublishing } from '../services/trusted-publishing.js';
import type { StagedPublishing } from '../services/staged-publishing.js';
import type { SecurityContact } from '../services/security-contact.js';
import type { TransparencyLog } from '../services/transparency-log.js';
import type { SelfAssessment } from '../services/self-assessment.js';
import type { Registry as MetricsRegistry } from 'prom-client';
import type { Provenance } from '../services/provenance/provenance-service.js';
import type { DownloadCounter } from '../services/download-counter.js';
import type { PackageStats } from '../services/package-stats.js';
import type { Unpublisher } from '../services/unpublish.js';
import type { UnpublishRules } from '../policy/unpublish-policy.js';
import type { WriteSecondFactor } from '../services/write-second-factor.js';
import type { NpmProfile } from '../services/npm-profile.js';
import type { WebOtpApprovals } from '../domain/web-otp.js';
import type { AccountSecurity } from '../services/account-security.js';
import type { WebSignIn } from '../services/web-sign-in.js';
import type { EmailChange } from '../services/email-change.js';
import type { FactorEnrolment } from '../services/factor-enrolment.js';
import type { WebOtpApprovalService } from '../services/web-otp-approvals.js';
import type { TotpService } from '../services/totp.js';
import type { SecondFactorGate } from '../services/second-factor-gate.js';
import type { WebAuthnService } from '../services/webauthn.js';
import type { SecurityEvents } from '../services/security-events.js';
import type { SecurityNotices } from '../services/security-notices.js';
import type { AdvisoryReports, NpmAudit, OsvApi, PrivateAdvisories } from '../services/advisories/index.js';

/** What route modules get: services and request helpers, no adapters. */
export interface RouteContext {
  readonly accounts: Accounts;
  /** AUTHN-1e: password checks behind the brute-force throttle (couch login, Basic, the web login page). */
  readonly passwordCheck: PasswordCheck;
  /** AUTHN-2a: the password-reset flow asks `canRecoverByEmail(user)` before it mails a link. */
  readonly emailRecovery?: Pick<EmailDomainChecks, 'canRecoverByEmail' | 'assertCanRecoverByEmail'>;
  /** AUTHN-1b: the page at /-/ui/recover?token= checks, then spends, the link an operator recovery mailed. */
  readonly recoveryLinks?: Pick<OperatorRecovery, 'checkLink' | 'consumeLink'>;
  readonly reads: PackageReads;
  readonly writes: PackageWrites;
  readonly publisher: PublishVersion;
  readonly names: NameGuard;
  readonly webLogin: WebLogin;
  readonly webSessions: WebSessions;
  readonly overviews: PackageOverviews;
  readonly orgs: Organizations;
  readonly tokens: TokenManagement;
  readonly secretScanning: SecretScanning;
  readonly trust: TrustedPublishing;
  readonly stages: StagedPublishing;
  /** Cookies only over HTTPS, with the __Host- prefix. */
  readonly secureCookies: boolean;
  readonly securityContact: SecurityContact;
  readonly tlog: TransparencyLog;
  readonly provenance: Provenance;
  readonly metrics: MetricsRegistry;
  /** GEN-2a: owner unpublish and operator takedown. */
  readonly unpublisher: Unpublisher;
  /** Counts tarball downloads (in memory, flushed in batches). */
  readonly downloads: DownloadCounter;
  readonly stats: PackageStats;
  /** The written unpublish policy (docs/unpublish-policy.md) and the rules in force. */
  readonly unpublishPolicy: { readonly text: string; readonly rules: UnpublishRules; readonly nameQuarantineHours: number };
  /** GEN-2d / CLI-2a: npm audit, the OSV API, advisories written here, and the web UI's reports. */
  readonly advisories: {
    readonly audit: NpmAudit;
    readonly osv: OsvApi;
    readonly authoring: PrivateAdvisories;
    readonly reports: AdvisoryReports;
  };
  /** GEN-3a: scheduled self-assessments (admin page). */
  readonly selfAssessment: SelfAssessment;
  /** MFA for every write (AUTHN-2c/3b/3c); routes call it through `writeActorOf` (http/write-actor.ts). */
  readonly mfa: WriteSecondFactor;
  /** `npm profile get/set/enable-2fa/disable-2fa` (npm-registry-api.md 4.2). */
  readonly profile: NpmProfile;
  /** Issue 3, web side: sign-up, sign-in steps, the account security page, npm OTP approval pages. */
  readonly webAuth: WebAuthContext;
  /** AUTHN-3b: browser approvals behind npm's OTP challenge (domain/web-otp.ts). */
  readonly webOtp?: WebOtpApprovals;
  readonly basePath: string;
  readonly actorOf: (request: FastifyRequest) => Promise<Actor>;
  /** The same actor when it is known without I/O (anonymous or a cached token), else undefined. */
  readonly quickActorOf: (request: FastifyRequest) => Actor | undefined;
  readonly baseUrlOf: (request: FastifyRequest) => string;
}

/** The account-security services the web pages use. */
export interface WebAuthContext {
  readonly account: AccountSecurity;
  readonly signIn: WebSignIn;
  readonly totp: TotpService;
  /** TOTP and recovery codes behind the throttle (never totp.verify directly). */
  readonly gate: SecondFactorGate;
  readonly webauthn: WebAuthnService;
  readonly events: SecurityEvents;
  readonly notices: SecurityNotices;
  readonly approvals: WebOtpApprovalService;
  readonly factors: FactorEnrolment;
  /** Changing the account's email address by a link mailed to the new one (AUTHN-1a, 1d). */
  readonly emailChange: EmailChange;
  /** The written account recovery policy (docs/account-recovery.md). */
  readonly recoveryPolicy: string;
}
