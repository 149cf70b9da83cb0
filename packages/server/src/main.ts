import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { Registry as MetricsRegistry, collectDefaultMetrics } from 'prom-client';
import type { Config } from './config/schema.js';
import type { BlobStore, Clock, MetadataStore } from './domain/ports.js';
import { FsBlobStore } from './adapters/blob/fs-blob-store.js';
import { openSqliteMetadataStore } from './adapters/metadata/sqlite-metadata-store.js';
import { SqlNameStore } from './adapters/metadata/sql/name-store.js';
import type { NameStore } from './domain/name-store.js';
import { DEFAULT_APPEAL, NameGuard } from './services/name-guard.js';
import { sqlAuthStores } from './adapters/metadata/sql/auth-stores.js';
import type { AuthStores } from './domain/auth-stores.js';
import { Accounts } from './services/accounts.js';
import { EmailChange } from './services/email-change.js';
import { AccountSecurity, type CanRecoverByEmail } from './services/account-security.js';
import { WebSignIn } from './services/web-sign-in.js';
import { FactorEnrolment } from './services/factor-enrolment.js';
import { WebOtpApprovalService } from './services/web-otp-approvals.js';
import type { WebAuthContext } from './http/context.js';
import { ChangeFeed } from './services/change-feed.js';
import { PackageReads } from './services/package-reads.js';
import { PackageWrites } from './services/package-writes.js';
import { PackumentCache } from './services/packument-cache.js';
import { PublishVersion } from './services/publish-version.js';
import { SecurityContact } from './services/security-contact.js';
import { WebLogin } from './services/web-login.js';
import { WebSessions } from './services/web-sessions.js';
import { PackageOverviews } from './services/package-overview.js';
import { Organizations } from './services/organizations.js';
import { TokenManagement } from './services/token-management.js';
import { SecretScanning } from './services/secret-scanning.js';
import { ScannerKeyClient } from './adapters/http/scanner-key-client.js';
import { TrustedPublishing } from './services/trusted-publishing.js';
import { StagedPublishing } from './services/staged-publishing.js';
import { stageApprovalFactor } from './services/stage-approval-factor.js';
import { SqlStageStore } from './adapters/metadata/sql/stage-store.js';
import type { StageStore } from './domain/staged-publish.js';
import { JoseOidcVerifier } from './adapters/oidc/jose-oidc-verifier.js';
import { TransparencyLog } from './services/transparency-log.js';
import { loadOrCreateTlogKey } from './adapters/keys/tlog-key-file.js';
import { parseCosignatureVerifierKey } from './domain/tlog/index.js';
import { buildHttpApp } from './http/app.js';
import type { ProvenanceStore } from './domain/provenance-store.js';
import { SqlProvenanceStore } from './adapters/metadata/sql/provenance-store.js';
import { loadKeyEncryptionKey } from './adapters/keys/key-encryption-key.js';
import { loadTrustedRoots } from './adapters/keys/trusted-roots.js';
import { RegistrySigning } from './services/registry-signing.js';
import { Provenance } from './services/provenance/provenance-service.js';
import { DownloadCounter } from './services/download-counter.js';
import { LogFollower } from './services/log-follower.js';
import { RevocationFollower } from './services/revocation-follower.js';
import { PackageStats } from './services/package-stats.js';
import { RegistryPopularity } from './services/package-popularity.js';
import { Unpublisher } from './services/unpublish.js';
import type { AdvisoryStore } from './domain/advisories/advisory-store.js';
import { SqlAdvisoryStore } from './adapters/metadata/sql/advisory-store.js';
import { FileAdvisorySource, HttpAdvisorySource } from './adapters/advisories/osv-source.js';
import { AdvisoryImport, AdvisoryIndex, AdvisoryReports, AdvisorySync, NpmAudit, OsvApi, PrivateAdvisories } from './services/advisories/index.js';
import type { BreachedPasswords } from './domain/breached-passwords.js';
import { SmtpTransport } from './adapters/mail/smtp-transport.js';
import { FileTransport } from './adapters/mail/file-transport.js';
import { PwnedRangeClient } from './adapters/passwords/pwned-range-client.js';
import { RangeDirectory } from './adapters/passwords/range-directory.js';
import { Sha1HashFile } from './adapters/passwords/sha1-hash-file.js';
import { MemoryThrottleStore } from './adapters/throttle/memory-throttle-store.js';
import { loadOrCreateKek } from './adapters/keys/kek-file.js';
import { MailOutbox } from './services/mail-outbox.js';
import { PasswordScreening } from './services/password-screening.js';
import { SecretBox } from './services/secret-box.js';
import { SecurityEvents } from './services/security-events.js';
import { SecurityNotices } from './services/security-notices.js';
import { SecondFactorGate } from './services/second-factor-gate.js';
import { Throttle } from './services/throttle.js';
import { TotpService } from './services/totp.js';
import { WebAuthnService } from './services/webauthn.js';
import { runAssessment } from '@bulwark/assess';
import type { AssessmentStore } from './domain/assessment-store.js';
import { SqlAssessmentStore } from './adapters/metadata/sql/assessment-store.js';
import { SelfAssessment } from './services/self-assessment.js';
import { actorResolver, quickActor } from './http/plugins/authenticate.js';
import { DnsDomainChecker } from './adapters/dns/dns-domain-checker.js';
import { SqlEmailDomainStore } from './adapters/metadata/sql/email-domain-store.js';
import { SqlAccountRecoveryStore } from './adapters/metadata/sql/account-recovery-store.js';
import { EmailDomainChecks } from './services/email-domain-checks.js';
import { OperatorRecovery } from './services/operator-recovery.js';
import { PasswordCheck } from './services/password-check.js';
import type { EmailDomainStore } from './domain/email-domain.js';
import type { AccountRecoveryStore } from './domain/account-recovery-store.js';
import { baseUrlResolver } from './http/base-url.js';
import type { PackageSecuritySettingsStore } from './domain/package-security-settings.js';
import { SqlPackageSecuritySettingsStore } from './adapters/metadata/sql/package-security-settings-store.js';
import { CriticalPackages } from './services/critical-packages.js';
import { WriteSecondFactor } from './services/write-second-factor.js';
import { NpmProfile } from './services/npm-profile.js';

export const systemClock: Clock = { now: () => new Date() };

/** The stores a data directory holds; the admin CLI opens the same ones. */
export interface Stores {
  readonly metadata: MetadataStore;
  readonly blobs: BlobStore;
  readonly advisories: AdvisoryStore;
  readonly names: NameStore;
  readonly provenance: ProvenanceStore;
  /** `npm stage`: versions waiting for an owner's approval. */
  readonly stages: StageStore;
  /** Mail outbox, TOTP, security events, WebAuthn credentials (issue 3). */
  readonly auth: AuthStores;
  readonly assessments: AssessmentStore;
  /** Operator switches per package: critical, trusted-publishing-only (AUTHN-2c/3c, AUTHZ-3a). */
  readonly packageSettings: PackageSecuritySettingsStore;
  /** AUTHN-2a email-domain verdicts and AUTHN-1b recovery links. */
  readonly recovery: { readonly emailDomains: EmailDomainStore; readonly links: AccountRecoveryStore };
}

export async function openStores(config: Pick<Config, 'dataDir'>): Promise<Stores> {
  // The data directory holds password and token hashes: only the registry's user may enter it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const metadata = await openSqliteMetadataStore(join(config.dataDir, 'registry.sqlite'));
  return {
    metadata, blobs: new FsBlobStore(join(config.dataDir, 'blobs')),
    advisories: new SqlAdvisoryStore(metadata.kysely), names: new SqlNameStore(metadata.kysely), provenance: new SqlProvenanceStore(metadata.kysely),
    stages: new SqlStageStore(metadata.kysely),
    auth: sqlAuthStores(metadata.kysely), packageSettings: new SqlPackageSecuritySettingsStore(metadata.kysely),
    assessments: new SqlAssessmentStore(metadata.kysely),
    recovery: { emailDomains: new SqlEmailDomainStore(metadata.kysely), links: new SqlAccountRecoveryStore(metadata.kysely) },
  };
}

const DEFAULT_POLICY = fileURLToPath(new URL('../../../../docs/security-policy.md', import.meta.url));
const ACCOUNT_RECOVERY_POLICY = fileURLToPath(new URL('../../../../docs/account-recovery.md', import.meta.url));
const UNPUBLISH_POLICY = fileURLToPath(new URL('../../../../docs/unpublish-policy.md', import.meta.url));

function readPolicy(config: Config): string {
  const file = config.security.policyFile ?? DEFAULT_POLICY;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the security policy ${file}: ${(err as Error).message}`);
  }
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'bulwark' },
    // Secrets never reach the log, even if a future call site passes a whole request.
    redact: { paths: ['req.headers.authorization', '*.password', '*.token', 'password', 'token'], censor: '[redacted]' },
  });
}

/** The log's name when its key is first made: configured, or the public URL's host and path. */
function tlogOrigin(config: Config): string {
  if (config.tlog.origin) return config.tlog.origin;
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  }
  return 'bulwark.localhost';
}

/** The account-security services of issue 3; the web UI and the npm OTP flow use these. */
export interface AuthServices {
  readonly outbox: MailOutbox;
  readonly securityEvents: SecurityEvents;
  /** Mail + security-log entry for each critical change (AUTHN-1d). */
  readonly notices: SecurityNotices;
  readonly passwords: PasswordScreening;
  readonly totp: TotpService;
  readonly throttle: Throttle;
  /** TOTP and recovery codes behind the throttle, logged (use this, not totp.verify, in sign-in and OTP flows). */
  readonly secondFactor: SecondFactorGate;
  readonly webauthn: WebAuthnService;
  /** AUTHN-3c: AAGUIDs the operator accepts for critical packages (empty: any WebAuthn credential). */
  readonly criticalAaguids: readonly string[];
  /** AUTHN-2a: the email-domain job and `canRecoverByEmail` for the reset flow. */
  readonly domainChecks: EmailDomainChecks;
  /** AUTHN-1b: `bulwark admin user recover` and the recovery link the reset page spends. */
  readonly operatorRecovery: OperatorRecovery;
}

/** The public base the mailed links point at: the configured public URL, else localhost. */
function publicBase(config: Pick<Config, 'publicUrl' | 'port' | 'basePath'>): string {
  return config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/` : `http://localhost:${config.port}${config.basePath}/`;
}

/** The name authenticator apps and mail show: configured, or the public URL's host. */
export function registryDisplayName(config: Pick<Config, 'publicUrl' | 'auth'>): string {
  if (config.auth.totpIssuer) return config.auth.totpIssuer;
  return config.publicUrl ? new URL(config.publicUrl).host : 'Bulwark';
}

/** TOTP over the data directory's stores; the admin CLI uses the same one (`user add --totp`). */
export function totpServiceFor(config: Pick<Config, 'dataDir' | 'publicUrl' | 'auth'>, stores: Stores, clock: Clock = systemClock): TotpService {
  const kek = loadOrCreateKek(config.auth.kekFile ?? join(config.dataDir, 'auth-kek.key'));
  return new TotpService({ store: stores.auth.totp, box: new SecretBox(kek), clock, issuer: registryDisplayName(config) });
}

function breachedPasswordsSource(config: Config): BreachedPasswords | null {
  const b = config.auth.breachedPasswords;
  switch (b.mode) {
    case 'off':
      return null;
    case 'range-api':
      return new PwnedRangeClient({ endpoint: b.endpoint, timeoutMs: b.timeoutMs, cacheMs: b.cacheSeconds * 1000 });
    case 'range-directory':
      if (!b.directory) throw new Error('auth.breachedPasswords.mode is range-directory but auth.breachedPasswords.directory is not set');
      return new RangeDirectory(b.directory);
    case 'hash-file':
      if (!b.hashFile) throw new Error('auth.breachedPasswords.mode is hash-file but auth.breachedPasswords.hashFile is not set');
      return new Sha1HashFile(b.hashFile);
  }
}

/** Wires the issue-3 services. Nothing here changes how sign-in works today; the mail worker starts with the server. */
export function buildAuthServices(config: Config, stores: Stores, logger: Logger, clock: Clock = systemClock): AuthServices {
  const mailDir = config.mail.directory ?? join(config.dataDir, 'mail');
  const transport = config.mail.smtpUrl
    ? new SmtpTransport(config.mail.smtpUrl)
    : new FileTransport(mailDir, (file, message) => logger.info({ file, to: message.to, subject: message.subject }, 'mail written to a file (set mail.smtpUrl to send it)'));
  const securityEvents = new SecurityEvents({ store: stores.auth.securityEvents, clock });
  const t = config.auth.throttle;
  const d = config.auth.domainCheck;
  const origin = config.publicUrl ? new URL(config.publicUrl) : null;
  const outbox = new MailOutbox({
    store: stores.auth.outbox, transport, clock, from: config.mail.from, maxAttempts: config.mail.maxAttempts,
    retryBaseMs: config.mail.retryBaseSeconds * 1000, retryMaxMs: config.mail.retryMaxSeconds * 1000, log: logger,
  });
  // The account security page (http/routes/web-ui-security.ts).
  const accountUrl = new URL('-/ui/account/security', config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/` : `http://localhost:${config.port}${config.basePath}/`).href;
  const notices = new SecurityNotices({ outbox, events: securityEvents, clock, registry: registryDisplayName(config), accountUrl });
  const totp = totpServiceFor(config, stores, clock);
  const throttle = new Throttle({
    store: new MemoryThrottleStore(), clock, events: securityEvents,
    limits: {
      windowMs: t.windowSeconds * 1000, passwordPerAccount: t.passwordPerAccount, passwordPerIp: t.passwordPerIp,
      secondFactorPerAccount: t.secondFactorPerAccount, secondFactorPerIp: t.secondFactorPerIp, globalPerWindow: t.globalPerWindow,
      lockoutMs: t.lockoutSeconds * 1000, lockoutMaxMs: t.lockoutMaxSeconds * 1000,
    },
  });
  return {
    outbox,
    securityEvents,
    notices,
    passwords: new PasswordScreening({ breached: breachedPasswordsSource(config), failClosed: config.auth.breachedPasswords.failClosed, log: logger }),
    totp,
    throttle,
    secondFactor: new SecondFactorGate({ throttle, totp, events: securityEvents, notices }),
    webauthn: new WebAuthnService({
      store: stores.auth.webauthn, clock, rpName: registryDisplayName(config),
      // Without a public URL only a browser on this machine can use WebAuthn (localhost is a secure context).
      rpId: origin ? origin.hostname : 'localhost',
      origins: origin ? [origin.origin] : [`http://localhost:${config.port}`],
    }),
    criticalAaguids: config.auth.criticalAaguids.map((a) => a.toLowerCase()),
    domainChecks: new EmailDomainChecks({
      checker: new DnsDomainChecker({ resolvers: d.resolvers, timeoutMs: d.timeoutMs, tries: d.tries, rdapUrl: d.rdapUrl }),
      store: stores.recovery.emailDomains, clock, log: logger,
    }),
    operatorRecovery: new OperatorRecovery({
      metadata: stores.metadata, store: stores.recovery.links, totp: stores.auth.totp, webauthn: stores.auth.webauthn,
      notices, clock, linkBaseUrl: new URL('-/ui/recover', publicBase(config)).href, linkTtlMs: config.auth.recoveryLinkHours * 3_600_000,
    }),
  };
}

/**
 * The web sign-in, account self-service and npm OTP approvals over the auth building blocks.
 * `canRecoverByEmail`: optional operator hook refusing email reset (e.g. an abandoned email domain).
 */
export function webAuthServices(config: Config, stores: Stores, accounts: Accounts, auth: AuthServices, clock: Clock, canRecoverByEmail?: CanRecoverByEmail): WebAuthContext {
  const web = stores.auth.web;
  const account = new AccountSecurity({
    store: stores.metadata, web, clock, accounts, passwords: auth.passwords, notices: auth.notices, events: auth.securityEvents, throttle: auth.throttle,
    links: { verifyEmailMs: config.web.verifyEmailLinkMinutes * 60_000, resetMs: config.web.resetLinkMinutes * 60_000 },
    registration: config.registration, canRecoverByEmail, serviceWords: [registryDisplayName(config), 'bulwark'],
  });
  return {
    account,
    signIn: new WebSignIn({
      store: stores.metadata, web, clock, accounts, account, throttle: auth.throttle, gate: auth.secondFactor, totp: auth.totp,
      webauthn: auth.webauthn, events: auth.securityEvents, notices: auth.notices,
    }),
    totp: auth.totp, gate: auth.secondFactor, webauthn: auth.webauthn, events: auth.securityEvents, notices: auth.notices,
    approvals: new WebOtpApprovalService({ store: web, clock, ttlMs: config.web.otpApprovalMinutes * 60_000 }),
    factors: new FactorEnrolment({ web, clock, totp: auth.totp, webauthn: auth.webauthn, notices: auth.notices }),
    emailChange: new EmailChange({
      store: stores.metadata, web, clock, accounts, account, notices: auth.notices, linkTtlMs: config.web.verifyEmailLinkMinutes * 60_000, canRecoverByEmail,
    }),
    recoveryPolicy: readFileSync(ACCOUNT_RECOVERY_POLICY, 'utf8'),
  };
}

export interface RunningRegistry {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly stores: Stores;
  readonly auth: AuthServices;
  close(): Promise<void>;
}

/** The composition root: config -> adapters -> services -> HTTP. */
export async function buildRegistry(config: Config, logger: Logger = createLogger(config), clock: Clock = systemClock) {
  const stores = await openStores(config);
  const feed = new ChangeFeed();
  const metrics = new MetricsRegistry();
  collectDefaultMetrics({ register: metrics });
  const accounts = new Accounts({ store: stores.metadata, clock, registration: config.registration });
  const auth = buildAuthServices(config, stores, logger, clock);
  // AUTHN-2a: email reset is refused through an abandoned email domain.
  const webAuth = webAuthServices(config, stores, accounts, auth, clock,
    config.auth.domainCheck.enabled ? async (user) => (await auth.domainChecks.canRecoverByEmail(user)).allowed : undefined);
  const passwordCheck = new PasswordCheck({ accounts, throttle: auth.throttle });
  const cache = new PackumentCache(stores.metadata, feed);
  if (config.security.contact.length === 0) {
    logger.warn('security.contact is not set: security.txt names only the policy page; set BULWARK_SECURITY_CONTACT (e.g. mailto:security@your.org) so researchers can reach you (GEN-1a)');
  }
  // AUTHZ-3c: the registry signing key (made on first start) signs every version; older versions are signed here.
  const signing = new RegistrySigning({ store: stores.provenance, kek: loadKeyEncryptionKey(config), clock });
  await signing.init();
  const backfilled = await signing.backfill(stores.metadata, feed);
  if (backfilled > 0) logger.info({ versions: backfilled, keyid: signing.activeKeyId }, 'signed versions that had no signature by the current registry key');
  const provenance = new Provenance({
    signing, store: stores.provenance, metadata: stores.metadata, clock,
    config: {
      trustedRoots: loadTrustedRoots(config), rekorSearchUrl: config.provenance.rekorSearchUrl,
      registryUrl: config.publicUrl ?? `https://${tlogOrigin(config)}`,
      publishAttestationInNpmEndpoint: config.provenance.publishAttestationInNpmEndpoint,
    },
  });
  const downloads = new DownloadCounter({
    store: stores.metadata, clock, flushMs: config.downloads.flushSeconds * 1000,
    onError: (err) => logger.error({ err }, 'download counts not written; kept for the next flush'),
  });
  downloads.start();
  const stats = new PackageStats({ store: stores.metadata, counter: downloads, clock });
  const unpublisher = new Unpublisher({ store: stores.metadata, clock, feed, stats, rules: config.unpublish });
  // Changes made by the admin CLI (takedown) or other nodes reach this node's caches through the log.
  const follower = new LogFollower({ store: stores.metadata, feed, intervalMs: 1000, onError: (err) => logger.warn({ err }, 'log follower: read failed') });
  await follower.start();
  const revocations = new RevocationFollower({ store: stores.metadata, accounts, clock, intervalMs: 1000, onError: (err) => logger.warn({ err }, 'revocation follower: read failed') });
  revocations.start();
  const advisoryIndex = new AdvisoryIndex(stores.advisories);
  const advisorySync = config.advisories.sync.url
    ? new AdvisorySync({ importer: advisoryImporter(stores, config.advisories.sync.url), url: config.advisories.sync.url, intervalMs: config.advisories.sync.intervalMinutes * 60_000, logger })
    : null;
  const names = nameGuard(config, stores, clock, logger, stats);
  const indexStats = await names.warm();
  logger.info({ ...indexStats }, 'typosquat guard index built');
  // GEN-3a: the same probes as `bulwark assess`, anonymous HTTP only (no npm CLI, no account, no writes).
  const selfAssessment = new SelfAssessment({
    store: stores.assessments, clock,
    assess: (target) => runAssessment({ registry: target, npm: false }),
    intervalMs: config.assess.intervalHours * 3_600_000,
    keep: config.assess.keepReports,
    onError: (err) => logger.warn({ err }, 'self-assessment failed'),
  });
  const critical = new CriticalPackages({ stats, settings: stores.packageSettings, clock, topShare: config.mfa.criticalTopShare });
  const mfa = new WriteSecondFactor({
    mode: config.mfa.required, automationTokensOnCritical: config.mfa.automationTokensOnCritical, criticalAaguids: auth.criticalAaguids,
    totp: auth.totp, webauthn: auth.webauthn, gate: auth.secondFactor, critical, settings: stores.packageSettings,
  });
  const profile = new NpmProfile({
    store: stores.metadata, accounts, totp: auth.totp, passwords: auth.passwords, notices: auth.notices, throttle: auth.throttle,
    hasSecurityKey: async (userId) => (await auth.webauthn.list(userId)).length > 0,
    // No row: an account an operator made, whose address the operator vouched for.
    emailVerified: async (userId) => {
      const state = await stores.auth.web.accountState(userId);
      return state === null || state.emailVerifiedAt !== null;
    },
  });
  const expires = config.security.expires ? new Date(config.security.expires) : new Date(clock.now().getTime() + 365 * 24 * 3600 * 1000);
  const publisher = new PublishVersion({ store: stores.metadata, blobs: stores.blobs, clock, feed, limits: config.limits, nameQuarantineHours: config.unpublish.nameQuarantineHours, names, provenance, settings: stores.packageSettings });
  const app = await buildHttpApp(
    {
      accounts,
      passwordCheck,
      emailRecovery: auth.domainChecks,
      recoveryLinks: auth.operatorRecovery,
      reads: new PackageReads({ store: stores.metadata, blobs: stores.blobs, cache, clock, feed }),
      writes: new PackageWrites({ store: stores.metadata, clock, feed, unpublisher }),
      publisher,
      stages: new StagedPublishing({
        store: stores.metadata, stages: stores.stages, blobs: stores.blobs, publisher, clock,
        checkSecondFactor: stageApprovalFactor(auth.secondFactor),
      }),
      names,
      provenance,
      unpublisher,
      downloads,
      stats,
      unpublishPolicy: { text: readFileSync(UNPUBLISH_POLICY, 'utf8'), rules: config.unpublish, nameQuarantineHours: config.unpublish.nameQuarantineHours },
      webLogin: new WebLogin({ store: stores.metadata, clock, accounts, passwords: passwordCheck }),
      webSessions: new WebSessions({
        store: stores.metadata, clock,
        options: { idleMs: config.web.sessionIdleMinutes * 60_000, maxMs: config.web.sessionMaxHours * 3_600_000 },
      }),
      overviews: new PackageOverviews({ store: stores.metadata, clock }),
      orgs: new Organizations({ store: stores.metadata, clock }),
      tokens: new TokenManagement({ accounts, clock, notices: auth.notices }),
      mfa,
      profile,
      trust: new TrustedPublishing({
        store: stores.metadata, clock, accounts,
        verifier: new JoseOidcVerifier(config.trustedPublishing.issuers),
        tokenMinutes: config.trustedPublishing.tokenMinutes,
        // AUTHZ-3a: every maintainer hears of a change to who may publish from CI.
        notifyOwners: async (name, change, actorName) => {
          for (const m of await stores.metadata.listMaintainers(name)) {
            const user = await stores.metadata.findUserById(m.userId);
            if (user) await auth.notices.notify(user, 'trusted-publisher-changed', { note: `${actorName} ${change} for ${name}.` }, 'trusted-publisher-changed', { package: name });
          }
        },
      }),
      secretScanning: new SecretScanning({
        accounts, logger,
        providers: config.secretScanning.providers.map((p) => p.name),
        keys: new ScannerKeyClient(new Map(config.secretScanning.providers.map((p) => [p.name, p.keysUrl]))),
        // AUTHZ-3b: the owner hears of it, with where the token was found.
        notify: async ({ userId, tokenDisplay, url, provider }) => {
          const user = await stores.metadata.findUserById(userId);
          if (user) await auth.notices.notify(user, 'token-leaked', { tokenDisplay, note: `Reported by ${provider}: found at ${url}` }, 'token-leaked', { provider, url });
        },
      }),
      secureCookies: config.web.secureCookies === 'always' || (config.web.secureCookies === 'auto' && (config.publicUrl ?? '').startsWith('https:')),
      securityContact: new SecurityContact({
        contact: config.security.contact, policyUrl: config.security.policyUrl, expires,
        preferredLanguages: config.security.preferredLanguages, policyText: readPolicy(config),
      }),
      tlog: new TransparencyLog({
        store: stores.metadata,
        clock,
        ...loadOrCreateTlogKey(config.tlog.keyFile ?? join(config.dataDir, 'tlog-signing.key'), tlogOrigin(config)),
        checkpointIntervalMs: config.tlog.checkpointIntervalSeconds * 1000,
        witnesses: config.tlog.witnesses.map(parseCosignatureVerifierKey),
        feed,
      }),
      advisories: {
        audit: new NpmAudit(advisoryIndex),
        osv: new OsvApi({ store: stores.advisories, index: advisoryIndex }),
        authoring: new PrivateAdvisories({ store: stores.advisories, metadata: stores.metadata, clock }),
        reports: new AdvisoryReports({ store: stores.advisories, metadata: stores.metadata, index: advisoryIndex, clock }),
      },
      metrics,
      selfAssessment,
      webAuth,
      webOtp: webAuth.approvals,
      basePath: config.basePath,
      actorOf: actorResolver(accounts, passwordCheck),
      quickActorOf: quickActor(accounts),
      baseUrlOf: baseUrlResolver(config.publicUrl, config.basePath),
    },
    { bodyLimit: config.limits.bodyBytes, basePath: config.basePath, logger, metrics },
  );
  // Counts are written before the store closes (startRegistry closes the app first).
  app.addHook('onClose', async () => {
    follower.stop();
    revocations.stop();
    await downloads.close();
  });
  if (advisorySync) {
    app.addHook('onReady', async () => advisorySync.start());
    app.addHook('onClose', async () => advisorySync.stop());
  }
  return { app, stores, stats, unpublisher, auth, selfAssessment, critical };
}

/**
 * The advisory importer over a data directory's store: files, directories and zips on disk, or
 * http(s) URLs (`bulwark admin advisories import|sync`, the scheduled sync).
 */
export function advisoryImporter(stores: Pick<Stores, 'advisories'>, location: string, onBatch?: ConstructorParameters<typeof AdvisoryImport>[0]['onBatch']): AdvisoryImport {
  const source = /^https?:\/\//.test(location) ? new HttpAdvisorySource() : new FileAdvisorySource();
  return new AdvisoryImport({ store: stores.advisories, source, onBatch });
}

/** GEN-1b: the typosquat guard over the name store; the appeal path defaults to the security contact. */
export function nameGuard(config: Config, stores: Stores, clock: Clock, logger?: Logger, stats?: PackageStats): NameGuard {
  const n = config.names;
  return new NameGuard({
    names: stores.names,
    packages: stores.metadata,
    clock,
    ...(stats ? { popularity: new RegistryPopularity({ names: stores.names, stats }) } : {}),
    settings: {
      enabled: n.enabled, protectedTop: n.protectedTop, registryTop: n.registryTop, registryMinDependents: n.registryMinDependents,
      index: { minLengthTypo: n.minLengthTypo, minLengthDistance2: n.minLengthDistance2, combosquatTop: n.combosquatTop, minLengthCombo: n.minLengthCombo, affixes: n.affixes },
      actions: n.actions, refreshMs: n.refreshSeconds * 1000,
      appeal: n.appeal ?? (config.security.contact.length > 0 ? config.security.contact.join(', ') : DEFAULT_APPEAL),
    },
    onRebuild: (stats) => logger?.debug({ ...stats }, 'typosquat guard index rebuilt'),
  });
}

export async function startRegistry(config: Config, logger: Logger = createLogger(config)): Promise<RunningRegistry> {
  const { app, stores, auth, selfAssessment } = await buildRegistry(config, logger);
  const address = await app.listen({ host: config.host, port: config.port });
  // AUTHN-1d: mail left in the outbox by an earlier run goes out now.
  auth.outbox.start(config.mail.pollSeconds * 1000);
  // AUTHN-2a: every registered email domain, now and then every intervalHours.
  if (config.auth.domainCheck.enabled) auth.domainChecks.start(config.auth.domainCheck.intervalHours * 3_600_000);
  const port = new URL(address).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}${config.basePath}/`;
  logger.info({ url, dataDir: config.dataDir }, 'bulwark listening');
  // Assess where this node listens (0.0.0.0 is reached through loopback).
  selfAssessment.start(url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:'));
  return {
    app,
    url,
    stores,
    auth,
    async close() {
      await selfAssessment.stop();
      await app.close();
      await auth.outbox.stop();
      await auth.domainChecks.stop();
      await stores.metadata.close();
    },
  };
}

/** The unpublish/takedown service over a data directory's stores, for the admin CLI. */
export function openUnpublisher(stores: Stores, config: Pick<Config, 'unpublish'>, clock: Clock = systemClock): Unpublisher {
  const feed = new ChangeFeed();
  const counter = new DownloadCounter({ store: stores.metadata, clock, flushMs: 60_000 });
  const stats = new PackageStats({ store: stores.metadata, counter, clock });
  return new Unpublisher({ store: stores.metadata, clock, feed, stats, rules: config.unpublish });
}
