/**
 * Regexes as Prometheus reads them: RE2 syntax (Go's regexp), fully anchored. Checked with
 * re2js, a port of RE2, so a pattern Prometheus would refuse fails the build instead.
 */
import { RE2JS } from 're2js';

/** Why Prometheus would refuse `pattern` as a label matcher's regex; `undefined` when it accepts it. */
export function regexProblem(pattern: string): string | undefined {
  try {
    // Anchored as Prometheus compiles a matcher's value.
    RE2JS.compile(`^(?:${pattern})$`);
    return undefined;
  } catch (error) {
    // `error parsing regexp: missing closing ): ...`: the reason, without the anchored text.
    return ((error as Error).message.split('\n')[0] ?? '').replace(/: `[^]*$/, '');
  }
}
