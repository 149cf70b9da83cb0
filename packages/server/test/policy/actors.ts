/** Actors for policy tests. */
import { ANONYMOUS, type Actor, type TokenGrant, type UserIdentity } from '../../src/domain/actor.js';

export { ANONYMOUS };

export const NOW = new Date('2024-06-01T12:00:00.000Z');

export function identity(id: number, name = `user${id}`, isAdmin = false): UserIdentity {
  return { id, name, email: `${name}@example.com`, isAdmin };
}

export function passwordActor(id: number, isAdmin = false): Actor {
  return { kind: 'user', user: identity(id, `user${id}`, isAdmin), via: 'password' };
}

export function operatorActor(id: number): Actor {
  return { kind: 'user', user: identity(id), via: 'operator' };
}

export function tokenActor(id: number, grant: Partial<TokenGrant> = {}): Actor {
  return {
    kind: 'user',
    user: identity(id),
    via: 'token',
    token: {
      id: `token-of-${id}`, readOnly: false, packages: [], scopes: [], expiresAt: null, orgs: [], orgsPermission: 'read-write', cidrs: [], bypass2fa: false, ...grant,
    },
  };
}
