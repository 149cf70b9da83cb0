/** "30d", "12h", "90m" or a bare number of days, as npm's `--expires` takes days. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([dhm]?)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration: use e.g. 30d, 12h or 90m`);
  const n = Number(match[1]);
  const unit = match[2] || 'd';
  const ms = unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000;
  if (n === 0) throw new Error('a duration must be more than zero');
  return n * ms;
}
