export { AdvisoryIndex, mergeAliases } from './advisory-index.js';
export { AdvisoryImport, importedWrite, type ImportResult } from './advisory-import.js';
export { AdvisoryReports } from './advisory-reports.js';
export { AdvisorySync } from './advisory-sync.js';
export { NpmAudit, advisoryPageUrl } from './npm-audit.js';
export { OsvApi } from './osv-api.js';
export { PrivateAdvisories, advisoryView, type AdvisoryView } from './private-advisories.js';
export { parseAdvisoryInput, type AdvisoryInput } from './advisory-input.js';
