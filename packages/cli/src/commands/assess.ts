import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { renderHtml, renderMarkdown, renderTerminal, runAssessment, type AccountOptions, type Questionnaire } from '@bulwark/assess';
import { progressLine } from '../assess/progress.js';
import { readQuestionnaire } from '../assess/questionnaire.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

interface AssessFlags {
  user?: string;
  passwordStdin?: boolean;
  token?: string;
  totpSecret?: string;
  scope?: string;
  allowWrites?: boolean;
  answers?: string;
  package: string[];
  npm: string | boolean;
  json?: boolean;
  markdown?: boolean;
  html?: string;
  color: boolean;
}

/** `bulwark assess <registry>`: score a registry against the Principles from evidence (docs/assess.md). */
export function assessCommand(): Command {
  return new Command('assess')
    .description('Assess an npm-compatible registry against the OpenSSF Principles for Package Repository Security, from evidence')
    .argument('<registry>', 'the registry URL, e.g. https://registry.example.org/')
    .option('--user <name>', 'test account name (password sign-in needs --allow-writes: it creates a token, revoked at the end)')
    .option('--password-stdin', 'read the test account password from stdin')
    .addOption(new Option('--token <token>', 'a token of the test account').env('BULWARK_ASSESS_TOKEN'))
    .addOption(new Option('--totp-secret <base32>', 'the test account\'s TOTP secret, to answer OTP challenges').env('BULWARK_ASSESS_TOTP_SECRET'))
    .option('--scope <@scope>', 'the only scope write probes publish in')
    .option('--allow-writes', 'allow probes that change state (publish, unpublish, tokens, wrong-password attempts), inside --scope only')
    .option('--answers <file>', 'questionnaire YAML for what cannot be observed (answers are marked declared)')
    .option('--package <name>', 'a package to sample for package-level evidence (repeatable; default: from search)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--npm <path>', 'the npm binary for CLI probes', 'npm')
    .option('--no-npm', 'do not run the npm CLI')
    .option('--json', 'print the report as JSON (docs/assess.md has the schema)')
    .option('--markdown', 'print the report as Markdown')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--no-color', 'no colour in the terminal table')
    .action(async (registry: string, flags: AssessFlags) => {
      try {
        await assess(registry, flags);
      } catch (err) {
        // Usage problems and an unreachable registry are one line, not a stack trace.
        process.stderr.write(`bulwark assess: ${(err as Error).message}\n`);
        process.exitCode = 2;
      }
    });
}

async function assess(registry: string, flags: AssessFlags): Promise<void> {
  let url: URL;
  try {
    url = new URL(registry);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new Error(`"${registry}" is not a registry URL`);
  }
  if (flags.allowWrites && !flags.scope) throw new Error('--allow-writes needs --scope @x: write probes only publish inside it');
  const account: { -readonly [K in keyof AccountOptions]: AccountOptions[K] } = {};
  if (flags.user) account.user = flags.user;
  if (flags.passwordStdin) account.password = await readStdin();
  if (flags.token) account.token = flags.token;
  if (flags.totpSecret) account.totpSecret = flags.totpSecret;
  if (flags.scope) account.scope = flags.scope;
  const answers: Questionnaire | undefined = flags.answers ? await readQuestionnaire(flags.answers) : undefined;
  const progress = progressLine(process.stderr);
  const report = await runAssessment({
    registry: url.href, account, allowWrites: flags.allowWrites === true,
    ...(answers ? { answers } : {}),
    npm: flags.npm === false ? false : typeof flags.npm === 'string' ? flags.npm : 'npm',
    packages: flags.package,
    onProgress: (done, total, id, status) => progress.update(done, total, id, status),
  });
  progress.end();
  if (flags.html) await writeFile(flags.html, renderHtml(report));
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.markdown) process.stdout.write(renderMarkdown(report));
  else process.stdout.write(renderTerminal(report, flags.color && process.stdout.isTTY === true));
  if (report.leftBehind.length) process.stderr.write(`bulwark assess: write probes left ${report.leftBehind.length} thing(s) behind; see leftBehind in the report\n`);
}
