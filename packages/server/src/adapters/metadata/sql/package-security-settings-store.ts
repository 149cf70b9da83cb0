import type { Kysely } from 'kysely';
import type { PackageSecuritySettings, PackageSecuritySettingsStore } from '../../../domain/package-security-settings.js';
import type { Database } from './schema.js';

/** The two MFA-policy columns of package_settings (migration 0014-mfa-policy). */
export class SqlPackageSecuritySettingsStore implements PackageSecuritySettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<PackageSecuritySettings> {
    const row = await this.db.selectFrom('package_settings').select(['critical', 'trusted_publishing_only', 'require_staging']).where('name', '=', name).executeTakeFirst();
    return { critical: row?.critical === 1, trustedPublishingOnly: row?.trusted_publishing_only === 1, requireStaging: row?.require_staging === 1 };
  }

  async listCritical(): Promise<string[]> {
    const rows = await this.db.selectFrom('package_settings').select('name').where('critical', '=', 1).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async set(name: string, change: Partial<PackageSecuritySettings>): Promise<void> {
    const values: { critical?: number; trusted_publishing_only?: number; require_staging?: number } = {};
    if (change.critical !== undefined) values.critical = change.critical ? 1 : 0;
    if (change.trustedPublishingOnly !== undefined) values.trusted_publishing_only = change.trustedPublishingOnly ? 1 : 0;
    if (change.requireStaging !== undefined) values.require_staging = change.requireStaging ? 1 : 0;
    if (Object.keys(values).length === 0) return;
    await this.db.insertInto('package_settings').values({ name, require_provenance: 0, ...values })
      .onConflict((c) => c.column('name').doUpdateSet(values)).execute();
  }
}
