/**
 * The request URL as it may appear in a log: no query (web-login secrets ride there), no token in
 * the path (`npm logout` sends `DELETE /-/user/token/<token>`), bounded length.
 */
export function loggableUrl(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path
    .replace(/(\/-\/user\/token\/)[^/]+/, '$1[redacted]')
    .replace(/bwk_[0-9A-Za-z]+/g, 'bwk_[redacted]')
    .slice(0, 300);
}
