/**
 * The options of every public builder checked at run time, against JSON Schemas generated from
 * their TypeScript types at `npm run build` (scripts/generate-option-schemas.mjs): JavaScript
 * callers, and TypeScript callers who never run `tsc`, get the type checks too. An error is one
 * line naming the builder, the option and the value, with a "did you mean" where a name is close.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { generated, sdk } from './commonjs.js';

/** A builder was given an option it does not take, or a value of the wrong type or outside its values. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

interface Manifest {
  /** Builder name -> the name of its options type. */
  readonly builders: Readonly<Record<string, string>>;
  /** Options type -> its option names. */
  readonly properties: Readonly<Record<string, readonly string[]>>;
}

let manifest: Manifest | undefined;
let validators: Readonly<Record<string, ValidateFunction>> | undefined;

/** The edit distance of `a` and `b` (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `name` (case aside), if close enough to be a typo of it. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = distance(name.toLowerCase(), candidate.toLowerCase());
    if (cost <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || cost < best.cost)) best = { candidate, cost };
  }
  return best?.candidate;
}

/** A value as the error shows it: JSON, cut to 60 characters. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The value at an ajv instance path of `options`, and the path as an option name (`thresholds[1].value`). */
function at(options: unknown, instancePath: string): { name: string; value: unknown } {
  let value = options;
  let name = '';
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    value = (value as Record<string, unknown> | undefined)?.[key];
    name += /^\d+$/.test(key) ? `[${key}]` : `${name ? '.' : ''}${key}`;
  }
  return { name, value };
}

const typeNames: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  integer: 'a whole number',
  null: 'null',
};

/**
 * The error that says most: of a union (`true` or an object), the branch that went deepest into
 * the value, not the first branch's "must be true or false".
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject {
  const depth = (error: ErrorObject) => error.instancePath.split('/').length + (error.keyword === 'type' ? 0 : 0.5);
  const branches = errors.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf');
  return branches.reduce((best, error) => (depth(error) > depth(best) ? error : best), branches[0] ?? errors[0]!);
}

/** One line saying what is wrong, from ajv's error. */
function explain(builder: string, type: string, options: unknown, error: ErrorObject): string {
  const { name, value } = at(options, error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const option = String(params.additionalProperty);
    const known =
      name === '' ? (manifest?.properties[type] ?? []) : Object.keys((error.parentSchema?.properties as object) ?? {});
    const suggestion = closest(option, known);
    const where = name === '' ? `option ${option}` : `option ${name}: ${option}`;
    const value = (at(options, error.instancePath).value as Record<string, unknown>)[option];
    return `${builder}: ${where} = ${shown(value)} is not one it takes${suggestion ? `; did you mean ${suggestion}?` : ` (it takes ${known.join(', ')})`}`;
  }
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    // `{ valu: 'x' }` misses `value` because of a typo: say so rather than "value is required".
    const known = Object.keys((error.parentSchema?.properties as object) ?? {});
    const typo = Object.keys((value as object) ?? {}).find((key) => !known.includes(key) && closest(key, [missing]));
    if (typo) {
      const where = name === '' ? `option ${typo}` : `option ${name}: ${typo}`;
      return `${builder}: ${where} = ${shown((value as Record<string, unknown>)[typo])} is not one it takes; did you mean ${missing}?`;
    }
    return `${builder}: option ${name ? `${name}.` : ''}${missing} is required`;
  }
  if (error.keyword === 'type') {
    const expected = [params.type].flat().map((item) => typeNames[String(item)] ?? String(item));
    return `${builder}: option ${name} = ${shown(value)} must be ${expected.join(' or ')}`;
  }
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue];
    const suggestion = typeof value === 'string' ? closest(value, allowed.map(String)) : undefined;
    return `${builder}: option ${name} = ${shown(value)} must be one of ${allowed.map(shown).join(', ')}${suggestion ? `; did you mean ${shown(suggestion)}?` : ''}`;
  }
  return `${builder}: option ${name || '(the options)'} = ${shown(value)} ${error.message ?? 'is not what it takes'}`;
}

/** Grafana's unit ids (the Foundation SDK's `units`), by the name the SDK gives each. */
const unitIds = new Map(Object.entries(sdk.units).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
const unitValues = new Set(unitIds.values());
/** Units Grafana builds from a prefix: `suffix: req`, `currency:EUR`, `si:kW`, `count:jobs`, `time:HH:mm`. */
const customUnit = /^(suffix|prefix|time|si|count|currency):./;

/** Why `unit` is not a Grafana unit id, or undefined where it is one. */
function unitProblem(builder: string, unit: string): string | undefined {
  if (unitValues.has(unit) || customUnit.test(unit)) return undefined;
  // A typo of an id (`reqs`), or of what the unit is called (`milisecond` for Milliseconds).
  const byId = closest(unit, unitValues);
  const byName = closest(unit.replace(/[^a-z]/gi, ''), unitIds.keys());
  const suggestion = byId ?? (byName ? unitIds.get(byName) : undefined);
  return `${builder}: option unit = ${shown(unit)} is not a Grafana unit id${suggestion ? `; did you mean ${shown(suggestion)}?` : ' (see the units of @grafana/grafana-foundation-sdk, or suffix:<text>)'}`;
}

/**
 * Checks what `builder` (a public builder's name, `latency`) was given; throws an
 * {@link OptionsError} naming the builder, the option and the value. `undefined` is no options.
 */
export function checkOptions(builder: string, options: unknown): void {
  if (options === undefined) return;
  manifest ??= generated<Manifest>('options.json');
  validators ??= generated<Record<string, ValidateFunction>>('options.cjs');
  const type = manifest.builders[builder];
  if (!type) throw new Error(`inferboard: no option schema for ${builder}: run npm run build`);
  const validate = validators[type];
  if (!validate) throw new Error(`inferboard: no validator for ${type}: run npm run build`);
  if (!validate(options)) throw new OptionsError(explain(builder, type, options, mostSpecific(validate.errors!)));
  const unit = (options as { unit?: unknown }).unit;
  const problem = typeof unit === 'string' ? unitProblem(builder, unit) : undefined;
  if (problem) throw new OptionsError(problem);
}
