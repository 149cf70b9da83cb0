export { serveCommand } from './commands/serve.js';
export { adminCommand } from './commands/admin.js';
export { tlogCommand } from './commands/tlog.js';
export { assessCommand } from './commands/assess.js';
