/**
 * A semantic diff of two provisioning trees for pull-request review: dashboards and panels
 * added, removed, moved or changed, with queries shown before and after. Ids, versions and
 * key order are noise and ignored.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { parse } from 'yaml';
import { allPanels } from '../dashboards/walk.js';
import { withGrafanaDefaults } from '../check/grafanaDefaults.js';
import { fromDashboardV2, isDashboardResource } from '../build/dashboardV2.js';
import { plainMarker, queryEdit, queryExcerpt, textEdit, type Marker } from './queryDiff.js';

/** One changed property: what it is, and its value before and after (absent when added or removed). */
export interface Change {
  readonly what: string;
  readonly before?: string;
  readonly after?: string;
  /** A PromQL expression: shown as a before/after block. */
  readonly query?: boolean;
}

export type Status = 'added' | 'removed' | 'changed' | 'moved';

export interface PanelDiff {
  readonly title: string;
  readonly type: string;
  readonly status: Status;
  readonly changes: readonly Change[];
}

export interface DashboardDiff {
  readonly uid: string;
  readonly title: string;
  readonly status: Exclude<Status, 'moved'>;
  /** Dashboard-level changes: title, folder, tags, time, variables, ... */
  readonly changes: readonly Change[];
  readonly panels: readonly PanelDiff[];
}

export interface RuleDiff {
  readonly group: string;
  readonly rule: string;
  readonly status: Exclude<Status, 'moved'>;
  readonly changes: readonly Change[];
}

export interface TreeDiff {
  readonly dashboards: readonly DashboardDiff[];
  readonly rules: readonly RuleDiff[];
}

/** Fields that change with every save or say nothing to a reviewer. */
const noise = new Set(['id', 'version', 'iteration', 'uid']);

type Flat = Map<string, string>;

/** Leaves of a JSON value by path; arrays of objects keyed by a name where one exists. */
function flatten(value: unknown, path: string, into: Flat): Flat {
  if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
    value.forEach((item, index) => {
      const named = item as { refId?: string; name?: string };
      flatten(item, `${path}[${named.refId ?? named.name ?? index}]`, into);
    });
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (path === '' && noise.has(key)) continue;
      flatten(child, path ? `${path}.${key}` : key, into);
    }
  } else if (value !== undefined) {
    into.set(path, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return into;
}

/** Readable names for the paths reviewers care about. */
function describePath(path: string): { what: string; query?: boolean } {
  const target = /^targets\[(\w+)\]\.(.+)$/.exec(path);
  if (target) {
    const [, refId, field] = target;
    if (field === 'expr') return { what: `query ${refId}`, query: true };
    if (field === 'legendFormat') return { what: `legend ${refId}` };
    return { what: `target ${refId} ${field}` };
  }
  if (path === 'fieldConfig.defaults.unit') return { what: 'unit' };
  if (path.startsWith('fieldConfig.defaults.thresholds')) return { what: 'thresholds' };
  if (path.startsWith('options.legend')) return { what: `legend ${path.slice('options.legend.'.length)}` };
  const variable = /^templating\.list\[([^\]]+)\]\.(.+)$/.exec(path);
  if (variable) return { what: `variable $${variable[1]} ${variable[2]}` };
  return { what: path };
}

/** `green, yellow from 0.01, red from 0.05`. */
function thresholdText(panel: Record<string, unknown>): string | undefined {
  const steps = (
    panel.fieldConfig as { defaults?: { thresholds?: { steps?: { value: number | null; color: string }[] } } } | undefined
  )?.defaults?.thresholds?.steps;
  return steps?.map((step) => (step.value === null ? step.color : `${step.color} from ${step.value}`)).join(', ');
}

/** Compares two JSON objects leaf by leaf; thresholds collapse into one readable change. */
function compare(before: Record<string, unknown>, after: Record<string, unknown>, skip: ReadonlySet<string>): Change[] {
  const left = flatten(before, '', new Map());
  const right = flatten(after, '', new Map());
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    if ([...skip].some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))) continue;
    if (left.get(path) === right.get(path)) continue;
    const { what, query } = describePath(path);
    if (what === 'thresholds') {
      if (!seen.has(what)) changes.push({ what, before: thresholdText(before), after: thresholdText(after) });
      seen.add(what);
      continue;
    }
    changes.push({ what, before: left.get(path), after: right.get(path), ...(query ? { query } : {}) });
  }
  return changes;
}

function gridText(panel: grafana.Panel): string {
  const grid = panel.gridPos;
  return grid ? `x=${grid.x} y=${grid.y} w=${grid.w} h=${grid.h}` : 'no position';
}

/** Panels keyed by title (a repeated title gets ` #2`, ` #3`), rows as `row <title>`. */
function keyedPanels(json: grafana.Dashboard): Map<string, grafana.Panel> {
  const panels = new Map<string, grafana.Panel>();
  for (const panel of allPanels(json)) {
    const base = panel.type === 'row' ? `row ${panel.title ?? ''}` : (panel.title ?? '');
    let key = base;
    for (let count = 2; panels.has(key); count += 1) key = `${base} #${count}`;
    panels.set(key, panel);
  }
  return panels;
}

const panelSkip = new Set(['gridPos', 'panels', 'title', 'targets']);

type Target = { refId?: string; expr?: unknown } & Record<string, unknown>;

/** Targets by refId. */
function targetsOf(panel: grafana.Panel): Map<string, Target> {
  return new Map(((panel.targets ?? []) as unknown as Target[]).map((target, index) => [target.refId ?? String(index), target]));
}

/**
 * The changes of a panel's targets: a target added or removed is one change (`query C removed`),
 * not one per field; a target on both sides is compared field by field.
 */
function targetChanges(old: grafana.Panel, panel: grafana.Panel): Change[] {
  const before = targetsOf(old);
  const after = targetsOf(panel);
  const changes: Change[] = [];
  for (const refId of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const left = before.get(refId);
    const right = after.get(refId);
    if (!left || !right) {
      const expr = String((left ?? right)?.expr ?? '');
      changes.push({ what: `query ${refId}`, ...(left ? { before: expr } : { after: expr }), query: true });
      continue;
    }
    changes.push(...compare({ targets: [left] }, { targets: [right] }, new Set()));
  }
  return changes;
}

/** One panel's changes, layout first; `undefined` when nothing changed. */
function diffPanel(title: string, old: grafana.Panel, panel: grafana.Panel, renamedFrom?: string): PanelDiff | undefined {
  const changes = [
    ...compare(old as unknown as Record<string, unknown>, panel as unknown as Record<string, unknown>, panelSkip),
    ...targetChanges(old, panel),
  ];
  const moved = gridText(old) !== gridText(panel);
  if (moved) changes.unshift({ what: 'layout', before: gridText(old), after: gridText(panel) });
  if (renamedFrom !== undefined) changes.unshift({ what: 'title', before: renamedFrom, after: title });
  if (changes.length === 0) return undefined;
  return { title, type: panel.type, status: changes.length === 1 && moved ? 'moved' : 'changed', changes };
}

/**
 * Panels are matched by title; a removed and an added panel of the same type in the same
 * place are one panel renamed (a latency panel's title follows its quantiles).
 */
function diffPanels(before: grafana.Dashboard, after: grafana.Dashboard): PanelDiff[] {
  const left = keyedPanels(before);
  const right = keyedPanels(after);
  const added = [...right].filter(([title]) => !left.has(title));
  const removed = new Map([...left].filter(([title]) => !right.has(title)));
  const diffs: PanelDiff[] = [];
  for (const [title, panel] of right) {
    const old = left.get(title);
    if (old) {
      const diff = diffPanel(title, old, panel);
      if (diff) diffs.push(diff);
    }
  }
  for (const [title, panel] of added) {
    const renamed = [...removed].find(([, old]) => old.type === panel.type && gridText(old) === gridText(panel));
    if (renamed) {
      removed.delete(renamed[0]);
      diffs.push(diffPanel(title, renamed[1], panel, renamed[0])!);
    } else {
      diffs.push({ title, type: panel.type, status: 'added', changes: [{ what: 'layout', after: gridText(panel) }] });
    }
  }
  for (const [title, panel] of removed) diffs.push({ title, type: panel.type, status: 'removed', changes: [] });
  return diffs;
}

interface TreeDashboard {
  readonly folder: string;
  readonly json: grafana.Dashboard;
}

/** Dashboards of a tree by uid: `dashboards/<folder>/<uid>.json`. */
function dashboardsOf(files: ReadonlyMap<string, string>, side: string): Map<string, TreeDashboard> {
  const dashboards = new Map<string, TreeDashboard>();
  for (const [path, text] of files) {
    const match = /^dashboards\/(?:(.+)\/)?[^/]+\.json$/.exec(path);
    if (!match) continue;
    let json: grafana.Dashboard;
    try {
      json = JSON.parse(text) as grafana.Dashboard;
    } catch (error) {
      throw new Error(`${side}/${path}: not JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error(`${side}/${path}: not a dashboard (a JSON object), but ${describe(json)}`);
    // A v2 resource (--schema v2) is compared as the classic dashboard it reads as, so either side may be either.
    if (isDashboardResource(json)) {
      try {
        json = fromDashboardV2(json);
      } catch (error) {
        throw new Error(`${side}/${path}: a v2 dashboard inferboard cannot read: ${(error as Error).message}`, { cause: error });
      }
    }
    if (typeof json.title !== 'string') throw new Error(`${side}/${path}: title is ${describe(json.title)}, not a string`);
    if (json.uid !== undefined && typeof json.uid !== 'string')
      throw new Error(`${side}/${path}: uid is ${describe(json.uid)}, not a string`);
    dashboards.set(json.uid ?? path, { folder: match[1] ?? 'General', json: withGrafanaDefaults(json) });
  }
  return dashboards;
}

type AnyRule = { alert?: string; record?: string; labels?: Record<string, string> } & Record<string, unknown>;

/** What a value read from a file is, for an error: `null`, `a number`, `an array`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

type RuleDocument = { groups?: { name: string; rules: AnyRule[] }[] } | null;

/** A rule file's groups, checked for the shape Prometheus reads; errors name the file. */
function ruleGroupsOf(text: string, file: string): NonNullable<RuleDocument>['groups'] & object {
  let document: RuleDocument;
  try {
    document = parse(text) as RuleDocument;
  } catch (error) {
    throw new Error(`${file}: not YAML (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
  if (document === null || document === undefined) return [];
  const groups: unknown = typeof document === 'object' && !Array.isArray(document) ? document.groups : document;
  if (groups === undefined) return [];
  if (!Array.isArray(groups)) throw new Error(`${file}: groups is ${describe(groups)}, not a list of rule groups`);
  groups.forEach((group: { name?: unknown; rules?: unknown }, index) => {
    if (
      typeof group?.name !== 'string' ||
      !Array.isArray(group.rules) ||
      !group.rules.every((rule) => typeof rule === 'object' && rule !== null)
    )
      throw new Error(`${file}: groups[${index}] is not a rule group (a name and a list of rules)`);
  });
  return groups as NonNullable<RuleDocument>['groups'] & object;
}

/** Rules of a tree by `group / name {fixed labels}`. */
function rulesOf(files: ReadonlyMap<string, string>, side: string): Map<string, { group: string; name: string; rule: AnyRule }> {
  const rules = new Map<string, { group: string; name: string; rule: AnyRule }>();
  for (const [path, text] of files) {
    if (!/^prometheus\/rules\/[^/]+\.ya?ml$/.test(path)) continue;
    for (const group of ruleGroupsOf(text, `${side}/${path}`)) {
      for (const rule of group.rules) {
        const labels = Object.entries(rule.labels ?? {})
          .filter(([label]) => label !== 'severity')
          .map(([label, value]) => `${label}=${value}`)
          .join(', ');
        const name = `${rule.alert ?? rule.record ?? '?'}${labels ? ` {${labels}}` : ''}`;
        rules.set(`${group.name} / ${name}`, { group: group.name, name, rule });
      }
    }
  }
  return rules;
}

function diffRules(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
  names: { base: string; head: string },
): RuleDiff[] {
  const left = rulesOf(base, names.base);
  const right = rulesOf(head, names.head);
  const diffs: RuleDiff[] = [];
  for (const [key, { group, name, rule }] of right) {
    const old = left.get(key);
    if (!old) {
      diffs.push({ group, rule: name, status: 'added', changes: [{ what: 'expr', after: String(rule.expr), query: true }] });
      continue;
    }
    const changes = compare(old.rule, rule, new Set()).map((change) =>
      change.what === 'expr' ? { ...change, query: true } : change,
    );
    if (changes.length > 0) diffs.push({ group, rule: name, status: 'changed', changes });
  }
  for (const [key, { group, name }] of left)
    if (!right.has(key)) diffs.push({ group, rule: name, status: 'removed', changes: [] });
  return diffs.sort((a, b) => `${a.group}/${a.rule}`.localeCompare(`${b.group}/${b.rule}`, 'en'));
}

/** The semantic differences between two trees of files (relative path -> text). */
export function diffTrees(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
  names = { base: 'base', head: 'head' },
): TreeDiff {
  const left = dashboardsOf(base, names.base);
  const right = dashboardsOf(head, names.head);
  const dashboards: DashboardDiff[] = [];
  for (const uid of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const old = left.get(uid);
    const current = right.get(uid);
    const title = current?.json.title ?? old?.json.title ?? uid;
    if (!old || !current) {
      const only = (current ?? old) as TreeDashboard;
      const panels = [...keyedPanels(only.json)].map(([key, panel]) => ({
        title: key,
        type: panel.type,
        status: current ? ('added' as const) : ('removed' as const),
        changes: [],
      }));
      dashboards.push({
        uid,
        title,
        status: current ? 'added' : 'removed',
        changes: [{ what: 'folder', [current ? 'after' : 'before']: only.folder }],
        panels,
      });
      continue;
    }
    const changes = compare(
      old.json as unknown as Record<string, unknown>,
      current.json as unknown as Record<string, unknown>,
      new Set(['panels']),
    );
    if (old.folder !== current.folder) changes.unshift({ what: 'folder', before: old.folder, after: current.folder });
    const panels = diffPanels(old.json, current.json);
    if (changes.length > 0 || panels.length > 0) dashboards.push({ uid, title, status: 'changed', changes, panels });
  }
  return { dashboards, rules: diffRules(base, head, names) };
}

/** Whether the trees differ in anything a reviewer would see. */
export function hasChanges(diff: TreeDiff): boolean {
  return diff.dashboards.length > 0 || diff.rules.length > 0;
}

function count(items: readonly { status: Status }[], status: Status, noun: string): string | undefined {
  const n = items.filter((item) => item.status === status).length;
  return n > 0 ? `${n} ${noun}${n === 1 ? '' : 's'} ${status}` : undefined;
}

/** `1 dashboard changed (2 panels changed, 1 panel added); 1 rule changed`. */
export function summary(diff: TreeDiff): string {
  if (!hasChanges(diff)) return 'no changes';
  const panels = diff.dashboards.flatMap((dashboard) => (dashboard.status === 'changed' ? dashboard.panels : []));
  const panelParts = (['changed', 'added', 'removed', 'moved'] as const)
    .map((status) => count(panels, status, 'panel'))
    .filter(Boolean);
  const dashboardParts = (['changed', 'added', 'removed'] as const)
    .map((status) => count(diff.dashboards, status, 'dashboard'))
    .filter(Boolean);
  const ruleParts = (['changed', 'added', 'removed'] as const).map((status) => count(diff.rules, status, 'rule')).filter(Boolean);
  return [
    dashboardParts.length > 0
      ? `${dashboardParts.join(', ')}${panelParts.length > 0 ? ` (${panelParts.join(', ')})` : ''}`
      : undefined,
    ruleParts.length > 0 ? ruleParts.join(', ') : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

/** `panel "Request rate" (timeseries)`, or `row "Latency"`. */
function panelName(panel: PanelDiff): string {
  return panel.type === 'row' ? `row "${panel.title.slice('row '.length)}"` : `panel "${panel.title}" (${panel.type})`;
}

const marks: Record<Status, string> = { added: '+', removed: '-', changed: '~', moved: '>' };
const colours: Record<Status, string> = { added: '32', removed: '31', changed: '33', moved: '36' };

/** Where a query change is: `panel "Request rate" query A`, with its dashboard where it is another's. */
interface Place {
  readonly dashboard?: string;
  readonly owner: string;
  readonly what: string;
}

const placeText = (place: Place, from?: string) =>
  `${place.dashboard !== undefined && place.dashboard !== from ? `dashboard "${place.dashboard}" ` : ''}${place.owner} ${place.what}`;

/** The same edit in several queries, shown once: for each change, where it is shown, or the places it also stands for. */
interface SharedEdits {
  /** For a repeated change after its first: where the first is. */
  readonly shownAt: Map<Change, Place>;
  /** For the first of a repeated change: the other places with the same edit. */
  readonly alsoAt: Map<Change, Place[]>;
}

function sharedEdits(diff: TreeDiff): SharedEdits {
  const first = new Map<string, { change: Change; place: Place }>();
  const shownAt = new Map<Change, Place>();
  const alsoAt = new Map<Change, Place[]>();
  const visit = (changes: readonly Change[], place: Omit<Place, 'what'>) => {
    for (const change of changes) {
      if (!change.query || change.before === undefined || change.after === undefined) continue;
      const signature = queryEdit(change.before, change.after).signature;
      const here = { ...place, what: change.what };
      const earlier = first.get(signature);
      if (!earlier) {
        first.set(signature, { change, place: here });
        continue;
      }
      shownAt.set(change, earlier.place);
      alsoAt.set(earlier.change, [...(alsoAt.get(earlier.change) ?? []), here]);
    }
  };
  for (const dashboard of diff.dashboards) {
    for (const panel of dashboard.panels) visit(panel.changes, { dashboard: dashboard.title, owner: panelName(panel) });
  }
  for (const rule of diff.rules) visit(rule.changes, { owner: `rule ${rule.group} / ${rule.rule}` });
  return { shownAt, alsoAt };
}

/** The lines of one change, without indentation: a query's marked edit, or `what: before -> after`. */
function changeText(
  change: Change,
  shared: SharedEdits,
  dashboard: string | undefined,
  marker: Marker,
  code: (text: string) => string,
): string[] {
  const { before, after } = change;
  // A long text (a description) reads as its changed words, as a query does.
  if (!change.query && before !== undefined && after !== undefined && Math.max(before.length, after.length) > 80)
    return [`${change.what}: ${code(textEdit(before, after, marker))}`];
  if (!change.query)
    return [
      `${change.what}: ${before === undefined ? '(none)' : code(before)} -> ${after === undefined ? '(none)' : code(after)}`,
    ];
  if (change.after === undefined) return [`${change.what} removed`];
  if (change.before === undefined) return [`${change.what} added: ${code(queryExcerpt(change.after))}`];
  const shownAt = shared.shownAt.get(change);
  if (shownAt) return [`${change.what}: the same edit as ${placeText(shownAt, dashboard)}`];
  const edit = queryEdit(change.before, change.after, marker);
  const also = shared.alsoAt.get(change);
  return [
    `${change.what}: ${code(edit.marked)}${edit.ranked ? ` (in the ${edit.ranked} ranking)` : ''}`,
    ...(edit.ranking ? [`  ranking: ${edit.ranking}`] : []),
    ...(also ? [`  the same edit in ${also.length} more: ${also.map((place) => placeText(place, dashboard)).join(', ')}`] : []),
  ];
}

/** The diff for a terminal: indented, with ANSI colours when `colour` is set. */
export function formatTerminal(diff: TreeDiff, colour: boolean): string {
  const paint = (code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const marker: Marker = (removed, added) =>
    paint('31', removed ? `[-${removed}-]` : '') + paint('32', added ? `{+${added}+}` : '');
  const shared = sharedEdits(diff);
  const lines: string[] = [];
  const changeLines = (changes: readonly Change[], indent: string, dashboard?: string) => {
    for (const change of changes) {
      for (const line of changeText(change, shared, dashboard, marker, (text) => text)) lines.push(`${indent}${line}`);
    }
  };
  for (const dashboard of diff.dashboards) {
    lines.push(
      paint(
        colours[dashboard.status],
        `${marks[dashboard.status]} dashboard "${dashboard.title}" (${dashboard.uid}) ${dashboard.status}`,
      ),
    );
    changeLines(dashboard.changes, '    ', dashboard.title);
    for (const panel of dashboard.panels) {
      lines.push(paint(colours[panel.status], `  ${marks[panel.status]} ${panelName(panel)} ${panel.status}`));
      changeLines(panel.changes, '      ', dashboard.title);
    }
  }
  for (const rule of diff.rules) {
    lines.push(paint(colours[rule.status], `${marks[rule.status]} rule ${rule.group} / ${rule.rule} ${rule.status}`));
    changeLines(rule.changes, '    ');
  }
  lines.push(summary(diff));
  return `${lines.join('\n')}\n`;
}

const code = (text: string) => `\`${text.replaceAll('`', 'ˋ')}\``;

/** The diff as Markdown for a pull-request comment. */
export function formatMarkdown(diff: TreeDiff): string {
  const shared = sharedEdits(diff);
  const lines = ['### inferboard dashboard diff', '', `**${summary(diff)}**`];
  // A list item per change, nested under its panel's or rule's bullet by `indent`.
  const changeLines = (changes: readonly Change[], indent: string, dashboard?: string) => {
    for (const change of changes) {
      const [first = '', ...rest] = changeText(change, shared, dashboard, plainMarker, code);
      lines.push(`${indent}- ${first.replace(' -> ', ' → ')}`, ...rest.map((line) => `${indent}  - ${line.trim()}`));
    }
  };
  for (const dashboard of diff.dashboards) {
    lines.push(
      '',
      `#### ${marks[dashboard.status]} Dashboard "${dashboard.title}" (${code(dashboard.uid)}): ${dashboard.status}`,
      '',
    );
    changeLines(dashboard.changes, '', dashboard.title);
    for (const panel of dashboard.panels) {
      lines.push(`- **${marks[panel.status]} ${panelName(panel)}**: ${panel.status}`);
      changeLines(panel.changes, '  ', dashboard.title);
    }
  }
  if (diff.rules.length > 0) lines.push('', '#### Prometheus rules', '');
  for (const rule of diff.rules) {
    lines.push(`- **${marks[rule.status]} ${rule.group} / ${rule.rule}**: ${rule.status}`);
    changeLines(rule.changes, '  ');
  }
  return `${lines.join('\n')}\n`;
}
