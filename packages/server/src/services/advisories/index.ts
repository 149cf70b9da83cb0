export { AdvisoryIndex, mergeAliases } from './advisory-index.js';
export { AdvisoryImport, importedWrite, type ImportResult } from './advisory-import.js';
export { AdvisoryReports } from './advisory-reports.js';
export { AdvisorySync } from './advisory-sync.js';
export { NpmAudit, advisoryPageUrl } from './npm-audit.js';
export { OsvApi } from './osv-api.js';
export { PrivateAdvisories, parseAdvisoryInput } from './private-advisories.js';
