import type { FastifyReply } from 'fastify';

/**
 * Headers of every HTML page. The CSP allows only this origin's hashed static files: no inline
 * script or style, no framing, forms post only here (design.md; AUTHN pages).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': PAGE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Pages are synchronous components, so a rendered page is always a string. */
export function sendPage(reply: FastifyReply, status: number, html: JSX.Element): FastifyReply {
  if (typeof html !== 'string') throw new Error('pages must render synchronously');
  return reply.code(status).headers(PAGE_HEADERS).send(html);
}

/** 303 after a form post, so a reload does not post again. */
export function redirectAfterPost(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('cache-control', 'no-store').header('location', location).send();
}
