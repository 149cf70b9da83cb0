import type { FastifyRequest } from 'fastify';
import { ANONYMOUS, type Actor } from '../../domain/actor.js';
import { RegistryError } from '../../domain/errors.js';
import type { Accounts } from '../../services/accounts.js';
import type { PasswordCheck } from '../../services/password-check.js';

/**
 * The actor behind a request's Authorization header: a Bearer token (the fast, normal path) or
 * Basic user:password (npm's legacy couch login only; argon2 per request, so not for reads).
 * An invalid credential is an error, never a silent fall back to anonymous.
 */
export function actorResolver(accounts: Accounts, passwords: PasswordCheck): (request: FastifyRequest) => Promise<Actor> {
  return async (request) => {
    const header = request.headers.authorization;
    if (!header) return ANONYMOUS;
    const space = header.indexOf(' ');
    const scheme = space === -1 ? header.toLowerCase() : header.slice(0, space).toLowerCase();
    const value = space === -1 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') return accounts.authenticateToken(value, request.ip);
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) throw new RegistryError('E_BAD_CREDENTIALS', 'Malformed Basic credentials.');
      // AUTHN-1e: Basic is a password check like any other, behind the same throttle.
      return passwords.actor(decoded.slice(0, colon), decoded.slice(colon + 1), { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    }
    throw new RegistryError('E_TOKEN_INVALID', 'Unsupported Authorization scheme; use a Bearer token.');
  };
}

/** The actor for requests that need no lookup (none, or a cached token); undefined otherwise. */
export function quickActor(accounts: Accounts): (request: FastifyRequest) => Actor | undefined {
  return (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return ANONYMOUS;
    return header.startsWith('Bearer ') ? accounts.peekToken(header.slice(7).trim(), request.ip) : undefined;
  };
}

export function requireUser(actor: Actor): Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new RegistryError('E_AUTH_REQUIRED', 'You must be logged in to do this (npm login).');
  return actor;
}
