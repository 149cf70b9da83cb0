/** Per-package switches the operator sets (`bulwark admin packages set`), beside requireProvenance. */
export interface PackageSecuritySettings {
  /** Flagged critical by the operator (AUTHN-2c/3c), whatever its downloads. */
  readonly critical: boolean;
  /** Only tokens minted by trusted publishing may publish (AUTHZ-3a, issue 4). */
  readonly trustedPublishingOnly: boolean;
  /** Every new version must be staged and approved by a maintainer with a second factor (`npm stage`). */
  readonly requireStaging: boolean;
}

export interface PackageSecuritySettingsStore {
  get(name: string): Promise<PackageSecuritySettings>;
  /** Names the operator flagged critical. */
  listCritical(): Promise<string[]>;
  set(name: string, change: Partial<PackageSecuritySettings>): Promise<void>;
}
