/**
 * Alert annotations are Go templates that Prometheus parses when it loads a rule file. This
 * reads them the way Go's text/template parser does, far enough to refuse what it refuses:
 * unclosed actions, strings and parentheses, unbalanced `if`/`range`/`with` ... `end`, and
 * functions Prometheus does not define.
 */

/** Go's built-in template functions and those Prometheus adds for alert templates (2.x and 3.x alike). */
const functions = new Set([
  ...['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery'],
  ...['eq', 'ge', 'gt', 'le', 'lt', 'ne'],
  ...['query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper', 'toLower'],
  ...['graphLink', 'tableLink', 'sortByLabel', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage'],
  ...['humanizeTimestamp', 'toTime', 'pathPrefix', 'externalURL', 'parseDuration', 'stripPort'],
]);
const opening = new Set(['if', 'range', 'with', 'define', 'block']);
const literal = /^(true|false|nil|[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0[xX][\da-fA-F_]+|\.\d+))$/;

/** The words of an action: strings and parenthesized groups kept whole. Throws on an unclosed one. */
function words(action: string): string[] {
  const found: string[] = [];
  let index = 0;
  while (index < action.length) {
    const character = action[index] as string;
    if (/\s/.test(character)) {
      index += 1;
    } else if (character === '"' || character === '`' || character === "'") {
      let end = index + 1;
      while (end < action.length && action[end] !== character) end += character === '`' ? 1 : action[end] === '\\' ? 2 : 1;
      if (end >= action.length) throw new Error(`unterminated ${character === '`' ? 'raw ' : ''}quoted string`);
      found.push(action.slice(index, end + 1));
      index = end + 1;
    } else if (character === '(' || character === ')' || character === '|') {
      found.push(character);
      index += 1;
    } else {
      let end = index;
      while (end < action.length && !/[\s()|"`']/.test(action[end] as string)) end += 1;
      found.push(action.slice(index, end));
      index = end;
    }
  }
  return found;
}

/** Checks one action's pipeline: balanced parentheses, each command headed by something Go can call or read. */
function checkPipeline(tokens: readonly string[]): void {
  let depth = 0;
  let commandStart = true;
  for (const token of tokens) {
    if (token === '(') {
      depth += 1;
      commandStart = true;
      continue;
    }
    if (token === ')') {
      depth -= 1;
      if (depth < 0) throw new Error('unexpected ")"');
      commandStart = false;
      continue;
    }
    if (token === '|') {
      if (commandStart) throw new Error('missing value for command');
      commandStart = true;
      continue;
    }
    if (commandStart) {
      const readable =
        token.startsWith('$') ||
        token.startsWith('.') ||
        /^["`']/.test(token) ||
        literal.test(token) ||
        token === ':=' ||
        token === '=';
      if (!readable && !functions.has(token)) throw new Error(`function "${token}" not defined`);
      commandStart = false;
    }
  }
  if (depth !== 0) throw new Error('unclosed left paren');
  if (commandStart && tokens.length > 0) throw new Error('missing value for command');
}

/** Why Prometheus would refuse `text` as an alert template; `undefined` when it parses. */
export function templateProblem(text: string): string | undefined {
  const blocks: string[] = [];
  try {
    for (let from = text.indexOf('{{'); from !== -1; from = text.indexOf('{{', from)) {
      const to = text.indexOf('}}', from + 2);
      if (to === -1) throw new Error('unclosed action');
      let action = text.slice(from + 2, to);
      if (action.startsWith('-') && /^-\s/.test(action)) action = action.slice(1);
      if (/\s-$/.test(action)) action = action.slice(0, -1);
      from = to + 2;
      if (/^\s*\/\*/.test(action)) continue;
      const tokens = words(action);
      if (tokens.length === 0) throw new Error('missing value for command');
      const [keyword, ...rest] = tokens;
      if (keyword === 'end') {
        if (blocks.pop() === undefined) throw new Error('unexpected {{end}}');
        if (rest.length > 0) throw new Error('unexpected words after end');
      } else if (keyword === 'else') {
        if (!['if', 'range', 'with'].includes(blocks.at(-1) ?? '')) throw new Error('unexpected {{else}}');
        if (rest[0] === 'if' || rest[0] === 'with') checkPipeline(rest.slice(1));
      } else if (keyword && opening.has(keyword)) {
        blocks.push(keyword);
        if (keyword === 'if' || keyword === 'range' || keyword === 'with') checkPipeline(rest);
      } else if (keyword === 'template') {
        if (!rest[0] || !/^["`]/.test(rest[0])) throw new Error('template: the name must be a string');
      } else {
        checkPipeline(tokens);
      }
    }
    if (blocks.length > 0) throw new Error(`unexpected EOF: {{${blocks.at(-1)}}} has no {{end}}`);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
