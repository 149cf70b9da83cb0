import type { AssessmentReport } from '@bulwark/assess';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../domain/errors.js';
import type { RouteContext } from '../context.js';
import { redirectAfterPost, sendPage } from '../web/page-reply.js';
import { AssessmentPage } from '../web/pages/assessment-page.js';
import type { WebHelpers } from '../web/web-request.js';

/** GEN-3a: the admin page with the latest self-assessment, its history, and a "run now" form. */
export function registerWebUiAssessment(app: FastifyInstance, ctx: RouteContext, web: WebHelpers): void {
  const base = ctx.basePath;
  const scheduleHours = ctx.selfAssessment.intervalHours;

  /** Operators only: signed-out users go to sign-in, other users get 403. */
  function requireAdmin(request: FastifyRequest, reply: FastifyReply): boolean {
    const session = request.webSession;
    if (!session) {
      void reply.code(303).header('location', `${base}/-/ui/sign-in?next=${encodeURIComponent(request.url)}`).send();
      return false;
    }
    if (!session.user.isAdmin) throw new RegistryError('E_FORBIDDEN', 'Only operators can see the self-assessment.');
    return true;
  }

  app.get<{ Querystring: { id?: string; notice?: string } }>('/-/ui/admin/assessment', async (request, reply) => {
    if (!requireAdmin(request, reply)) return reply;
    const id = request.query.id && /^\d{1,12}$/.test(request.query.id) ? Number(request.query.id) : null;
    const stored = id === null ? await ctx.selfAssessment.latest() : await ctx.selfAssessment.get(id);
    if (id !== null && !stored) throw new RegistryError('E_NOT_FOUND', 'No such self-assessment.');
    const history = await ctx.selfAssessment.history(100);
    return sendPage(reply, 200, AssessmentPage({
      frame: web.frame(request, reply),
      view: {
        shown: stored ? { id: stored.id, report: JSON.parse(stored.report) as AssessmentReport } : null,
        history, scheduleHours,
        notice: request.query.notice === 'ran' ? 'A new self-assessment has run.' : request.query.notice === 'failed' ? 'The self-assessment could not run; see the server log.' : undefined,
      },
    }));
  });

  app.post('/-/ui/admin/assessment/run', { preHandler: web.protectForm }, async (request, reply) => {
    if (!requireAdmin(request, reply)) return reply;
    const stored = await ctx.selfAssessment.runNow();
    return redirectAfterPost(reply, `${base}/-/ui/admin/assessment?notice=${stored ? 'ran' : 'failed'}`);
  });
}
