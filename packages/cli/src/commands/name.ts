import { Command } from 'commander';
import { normaliseRegistryUrl } from '../tlog/registry-client.js';

/** The availability answer (server: services/name-guard.ts NameAvailability). */
interface Availability {
  name: string;
  available: boolean;
  exists: boolean;
  decision: { action: 'block' | 'review' | 'allow'; rule: string; similarTo: { name: string; rank: number; downloads: number; dependents: number; source: string } | null; reason: string };
  appeal: string;
}

/** Exit codes: 0 available, 1 taken or refused, 3 would be held for operator review (2: errors). */
export const NAME_EXIT = { available: 0, refused: 1, review: 3 } as const;

/** `bulwark name check NAME`: asks the registry's name-availability endpoint before publishing (GEN-1b). */
export function nameCommand(): Command {
  const name = new Command('name').description('package-name tools');
  name
    .command('check <package>')
    .description('say whether a new package of this name would be accepted, and why not (exit 0 available, 1 refused or taken, 3 held for review)')
    .option('--registry <url>', 'registry URL (default: npm_config_registry or http://127.0.0.1:4873/)')
    .option('--token <token>', 'token, so exemptions for packages you maintain apply (default: BULWARK_TOKEN)')
    .option('--json', 'print the endpoint\'s JSON answer')
    .action(async (pkg: string, opts: { registry?: string; token?: string; json?: boolean }) => {
      const base = normaliseRegistryUrl(opts.registry ?? process.env.npm_config_registry ?? 'http://127.0.0.1:4873/');
      const token = opts.token ?? process.env.BULWARK_TOKEN;
      const url = `${base}-/bulwark/v1/names/availability?name=${encodeURIComponent(pkg)}`;
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const body = await res.text();
      if (!res.ok) throw new Error(`GET ${url} -> ${res.status}: ${body.slice(0, 300)}`);
      const answer = JSON.parse(body) as Availability;
      if (opts.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      else {
        const d = answer.decision;
        const verdict = answer.available ? 'available' : answer.exists ? 'taken' : d.action === 'review' ? 'held for operator review' : 'refused';
        process.stdout.write(`${answer.name}: ${verdict}\n`);
        if (!answer.available) {
          process.stdout.write(`  ${d.reason}\n`);
          if (d.similarTo) process.stdout.write(`  similar to: ${d.similarTo.name} (rule: ${d.rule})\n`);
          if (!answer.exists) process.stdout.write(`  appeal: ${answer.appeal}\n`);
        }
      }
      process.exitCode = answer.available ? NAME_EXIT.available : answer.decision.action === 'review' && !answer.exists ? NAME_EXIT.review : NAME_EXIT.refused;
    });
  return name;
}
