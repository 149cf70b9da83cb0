/** GEN-3b: the outcome of one check, printed as a line of text or a JSON object. */
export interface Check {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

export class Report {
  readonly checks: Check[] = [];

  pass(check: string, detail: string): void {
    this.checks.push({ check, ok: true, detail });
  }

  fail(check: string, detail: string): void {
    this.checks.push({ check, ok: false, detail });
  }

  get failures(): Check[] {
    return this.checks.filter((c) => !c.ok);
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }
}

export function formatCheck(c: Check): string {
  return `${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`;
}
