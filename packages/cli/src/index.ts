export { serveCommand } from './commands/serve.js';
export { adminCommand } from './commands/admin.js';
export { tlogCommand } from './commands/tlog.js';
export { nameCommand } from './commands/name.js';
export { verifyCommand } from './commands/verify.js';
export { verifyInstalled, type VerifyReport } from './verify/verify-installed.js';
export { assessCommand } from './commands/assess.js';
