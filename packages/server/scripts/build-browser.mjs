// Bundles the web UI's browser script (browser/webauthn.ts with @simplewebauthn/browser) into
// assets/build/, where http/web/static-assets.ts serves it under a content-hashed name. Part of
// `npm run build`, so a fresh clone builds it with `npm ci && npm test`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

await build({
  entryPoints: [here('../browser/webauthn.ts')],
  outfile: here('../assets/build/webauthn.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
