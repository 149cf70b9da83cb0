import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Counter, type Registry as MetricsRegistry } from 'prom-client';
import type { RouteContext } from './context.js';
import { loggableUrl } from './loggable-url.js';
import { registerErrorMapper } from './plugins/error-mapper.js';
import { registerCouchUsers } from './routes/couch-users.js';
import { registerMetrics } from './routes/metrics.js';
import { registerNames } from './routes/names.js';
import { registerDistTags, registerPackages } from './routes/packages.js';
import { registerPingWhoami } from './routes/ping-whoami.js';
import { registerSearchStars } from './routes/search-stars.js';
import { registerSecurityPolicy } from './routes/security-policy.js';
import { registerWebLogin } from './routes/web-login.js';
import { registerWebOtpDone } from './routes/web-otp.js';
import { registerAccountRecoveryPolicy } from './routes/account-recovery-policy.js';
import { registerTransparencyLog } from './routes/tlog.js';
import { registerProvenance } from './routes/provenance.js';
import { registerWebUi } from './routes/web-ui.js';
import { registerOrgsTeams } from './routes/orgs-teams.js';
import { registerNpmTokens } from './routes/npm-tokens.js';
import { registerNpmProfile } from './routes/npm-profile.js';
import { registerSecretScanning } from './routes/secret-scanning.js';
import { registerOidcExchange } from './routes/oidc-exchange.js';
import { registerStage } from './routes/stage.js';
import { registerUnpublishPolicy } from './routes/unpublish-policy.js';
import { registerAdvisories } from './routes/advisories.js';

export interface HttpOptions {
  readonly bodyLimit: number;
  readonly basePath: string;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
}

let requestCounter = 0;

/** The Fastify application: the only place that knows HTTP. */
export async function buildHttpApp(ctx: RouteContext, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => `r${(++requestCounter).toString(36)}`,
    // Routes see the raw URL; scoped names keep their %2f.
    routerOptions: { ignoreDuplicateSlashes: false, maxParamLength: 500 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });

  const requests = new Counter({
    name: 'bulwark_http_requests_total',
    help: 'HTTP requests by method and status class',
    labelNames: ['method', 'status'] as const,
    registers: [options.metrics],
  });
  // Bound children per (method, status class): label hashing on every request is measurable.
  const children = new Map<string, { inc(): void }>();
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const key = `${request.method} ${Math.floor(status / 100)}`;
    let child = children.get(key);
    if (!child) {
      child = requests.labels({ method: request.method, status: `${Math.floor(status / 100)}xx` });
      children.set(key, child);
    }
    child.inc();
    // Package reads and their 404s (the hot path, marked by their routes) are logged at debug;
    // everything else, writes and refusals included, at info; 5xx at error.
    const hot = (request.routeOptions.config as { hotPath?: boolean } | undefined)?.hotPath === true;
    const level = status >= 500 ? 'error' : hot && status < 500 ? 'debug' : 'info';
    if ((request.log as unknown as Logger).isLevelEnabled(level)) {
      request.log[level]({ method: request.method, url: loggableUrl(request.url), status, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    }
    done();
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  registerErrorMapper(app);
  registerSecurityPolicy(app, ctx, 'root');
  await app.register(
    async (scoped) => {
      registerPingWhoami(scoped, ctx);
      registerCouchUsers(scoped, ctx);
      registerWebLogin(scoped, ctx);
      registerWebOtpDone(scoped, ctx);
      registerAccountRecoveryPolicy(scoped, ctx);
      registerSearchStars(scoped, ctx);
      registerMetrics(scoped, ctx);
      registerSecurityPolicy(scoped, ctx, 'base');
      registerTransparencyLog(scoped, ctx);
      registerProvenance(scoped, ctx);
      await registerWebUi(scoped, ctx);
      registerOrgsTeams(scoped, ctx);
      registerNpmTokens(scoped, ctx);
      registerNpmProfile(scoped, ctx);
      await registerSecretScanning(scoped, ctx);
      registerOidcExchange(scoped, ctx);
      registerStage(scoped, ctx);
      registerUnpublishPolicy(scoped, ctx);
      registerAdvisories(scoped, ctx);
      registerNames(scoped, ctx);
      registerDistTags(scoped, ctx);
      registerPackages(scoped, ctx);
    },
    { prefix: options.basePath },
  );
  return app;
}
