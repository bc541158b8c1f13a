/**
 * Prometheus durations (`15s`, `1h30m`) and the windows that follow from a scrape interval.
 */

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
// Prometheus's grammar: each unit at most once, largest first (`1h30m`, never `30m1h` or `30s5m`).
const durationPattern = /^(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m(?!s))?(\d+s)?(\d+ms)?$/;

/** Whether `text` is a duration Prometheus parses: units `y w d h m s ms`, each at most once, largest first. */
export function isDuration(text: string): boolean {
  return durationPattern.test(text);
}

/** Whether `text` is a duration Prometheus parses and longer than zero: what a range or a scrape interval must be. */
export function isPositiveDuration(text: string): boolean {
  return isDuration(text) && durationSeconds(text) > 0;
}

/** Seconds in a Prometheus duration such as `1h30m`; throws on anything else. */
export function durationSeconds(duration: string): number {
  if (!durationPattern.test(duration)) throw new Error(`invalid duration ${JSON.stringify(duration)}`);
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * (unitSeconds[unit as string] ?? 0), 0);
}

/** The shortest Prometheus duration for `seconds`: `60` -> `1m`, `90` -> `1m30s`, `0.5` -> `500ms`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`a duration must be positive; got ${seconds}`);
  let milliseconds = Math.round(seconds * 1000);
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const amount = Math.floor(milliseconds / size);
    if (amount > 0) text += `${amount}${unit}`;
    milliseconds -= amount * size;
  }
  return text;
}

/** The scrape interval queries assume when none is given: Prometheus's common 15 s. */
export const defaultScrapeInterval = '15s';

/**
 * The shortest window a rate or a count can be read over: four scrape intervals, the floor of
 * Grafana's `$__rate_interval`, so the window always holds at least two samples, even with one
 * scrape failed or late.
 */
export function minimumWindow(scrapeInterval: string = defaultScrapeInterval): string {
  return formatDuration(4 * durationSeconds(scrapeInterval));
}

/**
 * Throws unless `window` holds at least two scrapes of `scrapeInterval`: a shorter `rate()` or
 * `increase()` window often holds one sample, and then returns nothing.
 */
export function checkWindow(window: string, scrapeInterval: string, what: string): void {
  if (durationSeconds(window) < 2 * durationSeconds(scrapeInterval)) {
    throw new Error(
      `${what}: the window ${window} is shorter than two scrape intervals of ${scrapeInterval}, so it often holds one sample and reads nothing; ` +
        `use at least ${formatDuration(2 * durationSeconds(scrapeInterval))} (${minimumWindow(scrapeInterval)} is safe)`,
    );
  }
}
