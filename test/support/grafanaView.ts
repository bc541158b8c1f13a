/**
 * What Grafana (12.x, `@grafana/data` rangeutil and the Prometheus datasource) fills in for a
 * panel's refresh: the step and `$__interval` from the time range over the panel's width, and
 * `$__rate_interval` from the step and the datasource's scrape interval.
 */
import { durationSeconds, formatDuration } from '../../queries/index.js';
import type { Refresh } from '../../queries/variables.js';

/** Grafana's ladder of "nice" intervals (rangeutil.roundInterval), in milliseconds: [below, use]. */
const ladder: readonly (readonly [number, number])[] = [
  [10, 1],
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12500, 10000],
  [17500, 15000],
  [25000, 20000],
  [45000, 30000],
  [90000, 60000],
  [210000, 120000],
  [450000, 300000],
  [750000, 600000],
  [1050000, 900000],
  [1500000, 1200000],
  [2700000, 1800000],
  [5400000, 3600000],
  [9000000, 7200000],
  [16200000, 10800000],
  [32400000, 21600000],
  [86400000, 43200000],
  [604800000, 86400000],
  [1814400000, 604800000],
  [3628800000, 2592000000],
];

function roundInterval(milliseconds: number): number {
  return ladder.find(([below]) => milliseconds < below)?.[1] ?? 31536000000;
}

/** A dashboard time range Grafana offers, as the picker names it and in seconds. */
export interface View {
  readonly name: string;
  readonly seconds: number;
}

export const views: readonly View[] = [
  { name: '15 min', seconds: 900 },
  { name: '6 h', seconds: 21_600 },
  { name: '7 days', seconds: 604_800 },
  { name: '30 days', seconds: 2_592_000 },
];

/** The refresh of one panel, and its step in seconds. */
export interface PanelRefresh extends Refresh {
  readonly interval: string;
  readonly stepSeconds: number;
}

/**
 * Grafana's variables for a panel `widthPixels` wide (its max data points) over `view`, with
 * the datasource's `scrapeInterval` and the panel's min interval (`panel.interval`), if any.
 */
export function panelRefresh(view: View, scrapeInterval: string, panelMinInterval?: string, widthPixels = 1600): PanelRefresh {
  const scrape = durationSeconds(scrapeInterval);
  const lowLimit = panelMinInterval ? durationSeconds(panelMinInterval) : scrape;
  const interval = Math.max(roundInterval((view.seconds * 1000) / widthPixels) / 1000, lowLimit);
  // adjustInterval: Prometheus refuses more than 11,000 points per series.
  let safe = Math.ceil(view.seconds / 11_000);
  if (safe > 60) safe = Math.ceil(safe / 60) * 60;
  const step = Math.max(interval, safe, 1);
  // The datasource sends the adjusted step as $__interval too.
  return {
    interval: formatDuration(step),
    stepSeconds: step,
    rateInterval: `${Math.max(step + scrape, 4 * scrape)}s`,
    range: `${view.seconds}s`,
  };
}
