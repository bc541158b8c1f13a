/**
 * Grafana's template variables as the queries see them: the names the dashboards define, the
 * value Grafana sends for "All", and Grafana's grammar of a variable reference.
 */

/**
 * Names of the dashboard template variables the queries filter by. Dashboards define variables
 * with exactly these names, so queries and variables are held together here.
 */
export const templateVariables = {
  datasource: 'datasource',
  job: 'job',
  instance: 'instance',
  model: 'model',
  gpu: 'gpu',
} as const;

/**
 * What a multi-value variable sends for "All": a regex matching every label value, the empty
 * one included. `(?s:...)`: Prometheus 2's `.` does not match a newline, Prometheus 3's does.
 */
export const allValue = '(?s:.*)';

/**
 * A Grafana variable reference: `${name}`, `${name:format}`, `$name` or `[[name]]`; the name is
 * group 1, 2 or 3. Grafana substitutes it anywhere in a query's text, quoted label values included.
 */
export const variableReference = /\$\{([A-Za-z0-9_.]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]/g;

/**
 * The name in a {@link variableReference} matched at `from`-`to` of `text` (the whole text by
 * default), read off its form: `[[name]]`, `${name}`, `${name:format}` or `$name`.
 */
export function variableName(text: string, from = 0, to = text.length): string {
  if (text.charCodeAt(from) === 91) return text.slice(from + 2, to - 2);
  if (text.charCodeAt(from + 1) !== 123) return text.slice(from + 1, to);
  const colon = text.indexOf(':', from + 2);
  return text.slice(from + 2, colon !== -1 && colon < to ? colon : to - 1);
}

/** Whether Grafana would substitute something in `text`. */
export function hasVariableReference(text: string): boolean {
  variableReference.lastIndex = 0;
  return variableReference.test(text);
}

const regexSpecial = /[\\.+*?()|[\]{}^$]/g;

/**
 * An RE2 pattern matching exactly `value`, written so that Grafana substitutes nothing in it:
 * `$` becomes `[$]` (escaping does not stop Grafana reading `\$name`), and `[[` is escaped.
 */
export function literalPattern(value: string): string {
  return value.replace(regexSpecial, (character) => (character === '$' ? '[$]' : `\\${character}`));
}

/**
 * A caller's regex with the variable references Grafana would substitute made literal: the `$`
 * of `$name` or `${name}` becomes `[$]` (as an anchor it could never match there), `[[` becomes `\[\[`.
 */
export function withoutVariableReferences(pattern: string): string {
  return pattern.replace(variableReference, (reference) =>
    reference.startsWith('[[')
      ? `\\[\\[${reference.slice(2, -2)}\\]\\]`
      : reference.startsWith('${')
        ? `[$]\\{${reference.slice(2, -1)}\\}`
        : `[$]${reference.slice(1)}`,
  );
}
