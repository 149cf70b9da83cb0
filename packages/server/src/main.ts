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
import { Accounts } from './services/accounts.js';
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
import { PackageStats } from './services/package-stats.js';
import { RegistryPopularity } from './services/package-popularity.js';
import { Unpublisher } from './services/unpublish.js';
import type { AdvisoryStore } from './domain/advisories/advisory-store.js';
import { SqlAdvisoryStore } from './adapters/metadata/sql/advisory-store.js';
import { FileAdvisorySource, HttpAdvisorySource } from './adapters/advisories/osv-source.js';
import { AdvisoryImport, AdvisoryIndex, AdvisoryReports, AdvisorySync, NpmAudit, OsvApi, PrivateAdvisories } from './services/advisories/index.js';
import { actorResolver, quickActor } from './http/plugins/authenticate.js';
import { baseUrlResolver } from './http/base-url.js';

export const systemClock: Clock = { now: () => new Date() };

/** The stores a data directory holds; the admin CLI opens the same ones. */
export interface Stores {
  readonly metadata: MetadataStore;
  readonly blobs: BlobStore;
  readonly advisories: AdvisoryStore;
  readonly names: NameStore;
  readonly provenance: ProvenanceStore;
}

export async function openStores(config: Pick<Config, 'dataDir'>): Promise<Stores> {
  // The data directory holds password and token hashes: only the registry's user may enter it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const metadata = await openSqliteMetadataStore(join(config.dataDir, 'registry.sqlite'));
  return {
    metadata, blobs: new FsBlobStore(join(config.dataDir, 'blobs')),
    advisories: new SqlAdvisoryStore(metadata.kysely), names: new SqlNameStore(metadata.kysely), provenance: new SqlProvenanceStore(metadata.kysely),
  };
}

const DEFAULT_POLICY = fileURLToPath(new URL('../../../../docs/security-policy.md', import.meta.url));
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

export interface RunningRegistry {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly stores: Stores;
  close(): Promise<void>;
}

/** The composition root: config -> adapters -> services -> HTTP. */
export async function buildRegistry(config: Config, logger: Logger = createLogger(config), clock: Clock = systemClock) {
  const stores = await openStores(config);
  const feed = new ChangeFeed();
  const metrics = new MetricsRegistry();
  collectDefaultMetrics({ register: metrics });
  const accounts = new Accounts({ store: stores.metadata, clock, registration: config.registration });
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
  const advisoryIndex = new AdvisoryIndex(stores.advisories);
  const advisorySync = config.advisories.sync.url
    ? new AdvisorySync({ importer: advisoryImporter(stores, config.advisories.sync.url), url: config.advisories.sync.url, intervalMs: config.advisories.sync.intervalMinutes * 60_000, logger })
    : null;
  const names = nameGuard(config, stores, clock, logger, stats);
  const indexStats = await names.warm();
  logger.info({ ...indexStats }, 'typosquat guard index built');
  const expires = config.security.expires ? new Date(config.security.expires) : new Date(clock.now().getTime() + 365 * 24 * 3600 * 1000);
  const app = await buildHttpApp(
    {
      accounts,
      reads: new PackageReads({ store: stores.metadata, blobs: stores.blobs, cache, clock, feed }),
      writes: new PackageWrites({ store: stores.metadata, clock, feed, unpublisher }),
      publisher: new PublishVersion({ store: stores.metadata, blobs: stores.blobs, clock, feed, limits: config.limits, nameQuarantineHours: config.unpublish.nameQuarantineHours, names, provenance }),
      names,
      provenance,
      unpublisher,
      downloads,
      stats,
      unpublishPolicy: { text: readFileSync(UNPUBLISH_POLICY, 'utf8'), rules: config.unpublish, nameQuarantineHours: config.unpublish.nameQuarantineHours },
      webLogin: new WebLogin({ store: stores.metadata, clock, accounts }),
      webSessions: new WebSessions({
        store: stores.metadata, clock,
        options: { idleMs: config.web.sessionIdleMinutes * 60_000, maxMs: config.web.sessionMaxHours * 3_600_000 },
      }),
      overviews: new PackageOverviews({ store: stores.metadata, clock }),
      orgs: new Organizations({ store: stores.metadata, clock }),
      tokens: new TokenManagement({ accounts, clock }),
      trust: new TrustedPublishing({
        store: stores.metadata, clock, accounts,
        verifier: new JoseOidcVerifier(config.trustedPublishing.issuers),
        tokenMinutes: config.trustedPublishing.tokenMinutes,
      }),
      secretScanning: new SecretScanning({
        accounts, logger,
        providers: config.secretScanning.providers.map((p) => p.name),
        keys: new ScannerKeyClient(new Map(config.secretScanning.providers.map((p) => [p.name, p.keysUrl]))),
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
      basePath: config.basePath,
      actorOf: actorResolver(accounts),
      quickActorOf: quickActor(accounts),
      baseUrlOf: baseUrlResolver(config.publicUrl, config.basePath),
    },
    { bodyLimit: config.limits.bodyBytes, basePath: config.basePath, logger, metrics },
  );
  // Counts are written before the store closes (startRegistry closes the app first).
  app.addHook('onClose', async () => {
    follower.stop();
    await downloads.close();
  });
  if (advisorySync) {
    app.addHook('onReady', async () => advisorySync.start());
    app.addHook('onClose', async () => advisorySync.stop());
  }
  return { app, stores, stats, unpublisher };
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
  const { app, stores } = await buildRegistry(config, logger);
  const address = await app.listen({ host: config.host, port: config.port });
  const port = new URL(address).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}${config.basePath}/`;
  logger.info({ url, dataDir: config.dataDir }, 'bulwark listening');
  return {
    app,
    url,
    stores,
    async close() {
      await app.close();
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
