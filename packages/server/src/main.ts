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
import { TransparencyLog } from './services/transparency-log.js';
import { loadOrCreateTlogKey } from './adapters/keys/tlog-key-file.js';
import { parseCosignatureVerifierKey } from './domain/tlog/index.js';
import { buildHttpApp } from './http/app.js';
import { runAssessment } from '@bulwark/assess';
import type { AssessmentStore } from './domain/assessment-store.js';
import { SqlAssessmentStore } from './adapters/metadata/sql/assessment-store.js';
import { SelfAssessment } from './services/self-assessment.js';
import { actorResolver, quickActor } from './http/plugins/authenticate.js';
import { baseUrlResolver } from './http/base-url.js';

export const systemClock: Clock = { now: () => new Date() };

/** The stores a data directory holds; the admin CLI opens the same ones. */
export interface Stores {
  readonly metadata: MetadataStore;
  readonly blobs: BlobStore;
  readonly assessments: AssessmentStore;
}

export async function openStores(config: Pick<Config, 'dataDir'>): Promise<Stores> {
  // The data directory holds password and token hashes: only the registry's user may enter it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const metadata = await openSqliteMetadataStore(join(config.dataDir, 'registry.sqlite'));
  return { metadata, blobs: new FsBlobStore(join(config.dataDir, 'blobs')), assessments: new SqlAssessmentStore(metadata.database) };
}

const DEFAULT_POLICY = fileURLToPath(new URL('../../../../docs/security-policy.md', import.meta.url));

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
  // GEN-3a: the same probes as `bulwark assess`, anonymous HTTP only (no npm CLI, no account, no writes).
  const selfAssessment = new SelfAssessment({
    store: stores.assessments, clock,
    assess: (target) => runAssessment({ registry: target, npm: false }),
    intervalMs: config.assess.intervalHours * 3_600_000,
    keep: config.assess.keepReports,
    onError: (err) => logger.warn({ err }, 'self-assessment failed'),
  });
  const expires = config.security.expires ? new Date(config.security.expires) : new Date(clock.now().getTime() + 365 * 24 * 3600 * 1000);
  const app = await buildHttpApp(
    {
      accounts,
      reads: new PackageReads({ store: stores.metadata, blobs: stores.blobs, cache, clock, feed }),
      writes: new PackageWrites({ store: stores.metadata, clock, feed }),
      publisher: new PublishVersion({ store: stores.metadata, blobs: stores.blobs, clock, feed, limits: config.limits }),
      webLogin: new WebLogin({ store: stores.metadata, clock, accounts }),
      webSessions: new WebSessions({
        store: stores.metadata, clock,
        options: { idleMs: config.web.sessionIdleMinutes * 60_000, maxMs: config.web.sessionMaxHours * 3_600_000 },
      }),
      overviews: new PackageOverviews({ store: stores.metadata, clock }),
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
      metrics,
      selfAssessment,
      basePath: config.basePath,
      actorOf: actorResolver(accounts),
      quickActorOf: quickActor(accounts),
      baseUrlOf: baseUrlResolver(config.publicUrl, config.basePath),
    },
    { bodyLimit: config.limits.bodyBytes, basePath: config.basePath, logger, metrics },
  );
  return { app, stores, selfAssessment };
}

export async function startRegistry(config: Config, logger: Logger = createLogger(config)): Promise<RunningRegistry> {
  const { app, stores, selfAssessment } = await buildRegistry(config, logger);
  const address = await app.listen({ host: config.host, port: config.port });
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
    async close() {
      await selfAssessment.stop();
      await app.close();
      await stores.metadata.close();
    },
  };
}
