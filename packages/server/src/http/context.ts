import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import type { Accounts } from '../services/accounts.js';
import type { PackageReads } from '../services/package-reads.js';
import type { PackageWrites } from '../services/package-writes.js';
import type { PublishVersion } from '../services/publish-version.js';
import type { WebLogin } from '../services/web-login.js';
import type { WebSessions } from '../services/web-sessions.js';
import type { PackageOverviews } from '../services/package-overview.js';
import type { SecurityContact } from '../services/security-contact.js';
import type { TransparencyLog } from '../services/transparency-log.js';
import type { SelfAssessment } from '../services/self-assessment.js';
import type { Registry as MetricsRegistry } from 'prom-client';

/** What route modules get: services and request helpers, no adapters. */
export interface RouteContext {
  readonly accounts: Accounts;
  readonly reads: PackageReads;
  readonly writes: PackageWrites;
  readonly publisher: PublishVersion;
  readonly webLogin: WebLogin;
  readonly webSessions: WebSessions;
  readonly overviews: PackageOverviews;
  /** Cookies only over HTTPS, with the __Host- prefix. */
  readonly secureCookies: boolean;
  readonly securityContact: SecurityContact;
  readonly tlog: TransparencyLog;
  readonly metrics: MetricsRegistry;
  /** GEN-3a: scheduled self-assessments (admin page). */
  readonly selfAssessment: SelfAssessment;
  readonly basePath: string;
  readonly actorOf: (request: FastifyRequest) => Promise<Actor>;
  /** The same actor when it is known without I/O (anonymous or a cached token), else undefined. */
  readonly quickActorOf: (request: FastifyRequest) => Actor | undefined;
  readonly baseUrlOf: (request: FastifyRequest) => string;
}
