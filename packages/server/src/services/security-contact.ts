/**
 * GEN-1a: the deployment's vulnerability disclosure contact, as RFC 9116 security.txt, and the
 * policy text the registry serves. The operator sets contact, policy and expiry in config.
 */
export interface SecurityContactOptions {
  readonly contact: readonly string[];
  readonly policyUrl: string | null;
  readonly expires: Date;
  readonly preferredLanguages: readonly string[];
  /** The policy document (Markdown), read by the composition root. */
  readonly policyText: string;
}

export class SecurityContact {
  constructor(private readonly options: SecurityContactOptions) {}

  get policyText(): string {
    return this.options.policyText;
  }

  /** `baseUrl` is where the registry is reached; the served policy is the default Policy. */
  securityTxt(baseUrl: string, origin: string): string {
    const lines: string[] = [];
    const contacts = this.options.contact.length > 0 ? this.options.contact : [`${baseUrl}/-/security/policy`];
    for (const contact of contacts) lines.push(`Contact: ${contact}`);
    lines.push(`Expires: ${this.options.expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
    lines.push(`Policy: ${this.options.policyUrl ?? `${baseUrl}/-/security/policy`}`);
    if (this.options.preferredLanguages.length > 0) lines.push(`Preferred-Languages: ${this.options.preferredLanguages.join(', ')}`);
    lines.push(`Canonical: ${origin}/.well-known/security.txt`);
    return `${lines.join('\n')}\n`;
  }
}
