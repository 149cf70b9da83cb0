import type { FastifyInstance } from 'fastify';
import { ERROR_TABLE } from '../../domain/error-table.js';
import type { RouteContext } from '../context.js';
import { toRegistryError } from '../plugins/error-mapper.js';
import { sendPage } from '../web/page-reply.js';
import { ErrorPage } from '../web/pages/error-page.js';
import { registerStaticAssets } from '../web/static-assets.js';
import type { VersionPanel } from '../web/version-panel.js';
import { advisoriesPanel } from '../web/panels/advisories-panel.js';
import { provenancePanel } from '../web/panels/provenance-panel.js';
import { registerWebRequest } from '../web/web-request.js';
import { registerWebLoginPages } from './web-login.js';
import { registerWebUiAccount } from './web-ui-account.js';
import { registerWebUiAssessment } from './web-ui-assessment.js';
import { registerWebUiSecurity } from './web-ui-security.js';
import { registerWebUiSignIn } from './web-ui-sign-in.js';
import { registerWebUiSignUp } from './web-ui-sign-up.js';
import { registerWebUiRecover } from './web-ui-recover.js';
import { registerWebUiTokens } from './web-ui-tokens.js';
import { registerWebOtpPages } from './web-otp.js';
import { registerWebUiPackages } from './web-ui-packages.js';

/**
 * The web UI: server-rendered pages in their own Fastify context (cookies, CSRF, sessions and
 * HTML error pages apply here only; the npm API next door stays cookie-free and JSON).
 */
export async function registerWebUi(app: FastifyInstance, ctx: RouteContext, panels: readonly VersionPanel[] = [provenancePanel(ctx), advisoriesPanel(ctx)]): Promise<void> {
  const assets = registerStaticAssets(app, ctx.basePath, ['app.css', 'build/webauthn.js']);
  await app.register(async (web) => {
    const helpers = await registerWebRequest(web, {
      sessions: ctx.webSessions, secureCookies: ctx.secureCookies, basePath: ctx.basePath, assets, baseUrlOf: ctx.baseUrlOf,
    });
    web.setErrorHandler((err, request, reply) => {
      const error = toRegistryError(err);
      if (error.code === 'E_INTERNAL') request.log.error({ err }, 'page failed');
      const status = ERROR_TABLE[error.code].status;
      return sendPage(reply, status, ErrorPage({ frame: helpers.frame(request, reply), status, message: error.message }));
    });
    registerWebLoginPages(web, ctx, helpers);
    registerWebUiSignIn(web, ctx, helpers);
    registerWebUiSignUp(web, ctx, helpers);
    registerWebUiRecover(web, ctx, helpers);
    registerWebUiTokens(web, ctx, helpers);
    registerWebUiAccount(web, ctx, helpers);
    registerWebUiAssessment(web, ctx, helpers);
    registerWebUiSecurity(web, ctx, helpers);
    registerWebOtpPages(web, ctx, helpers);
    registerWebUiPackages(web, ctx, helpers, panels);
  });
}
