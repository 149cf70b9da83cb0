// Enforces the layering rules of design.md ("Rules that keep it easy to change", rule 1):
// dependencies point inward, http -> services -> (policy, domain) <- adapters.
import tseslint from 'typescript-eslint';

const IO_MODULES = [
  'fastify', '@fastify/*', 'kysely', 'better-sqlite3', 'pg', 'ioredis', '@aws-sdk/*', 'nodemailer', 'undici',
  'fs', 'fs/promises', 'node:fs', 'node:fs/promises', 'http', 'https', 'node:http', 'node:https', 'net', 'node:net',
  'dns', 'node:dns', 'child_process', 'node:child_process',
];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default [
  { ignores: ['**/dist/**', '**/node_modules/**'] },
  {
    files: ['packages/server/src/**/*.ts', 'packages/server/src/**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
  },
  {
    files: ['packages/server/src/domain/**/*.ts', 'packages/server/src/policy/**/*.ts'],
    rules: restrict([...IO_MODULES, '**/services/**', '**/http/**', '**/adapters/**', '**/config/**', '**/main.js'],
      'domain/ and policy/ are pure: no I/O, no framework, no outer layer (design.md rule 1).'),
  },
  {
    files: ['packages/server/src/services/**/*.ts'],
    rules: restrict(['fastify', '@fastify/*', 'kysely', 'better-sqlite3', 'pg', 'ioredis', '@aws-sdk/*', '**/http/**', '**/adapters/**', '**/main.js'],
      'services/ reach storage through ports only and know nothing of HTTP (design.md rule 1).'),
  },
  {
    files: ['packages/server/src/http/**/*.ts', 'packages/server/src/http/**/*.tsx'],
    rules: restrict(['kysely', 'better-sqlite3', 'pg', 'ioredis', '@aws-sdk/*', '**/adapters/**', '**/main.js'],
      'http/ talks to services, never to adapters (design.md rule 1).'),
  },
  {
    files: ['packages/server/src/adapters/**/*.ts'],
    rules: restrict(['fastify', '@fastify/*', '**/http/**', '**/services/**', '**/main.js'],
      'adapters/ implement domain ports only (design.md rule 1).'),
  },
];
