/**
 * The example GitHub Actions workflow stays true to the CLI: every build-dashboards command it
 * runs names a real subcommand and only options that subcommand's --help lists.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('the workflow lints, checks, diffs, comments and previews with options the CLI has', () => {
  const workflow = parse(readFileSync(join(root, 'examples/github-workflow.yml'), 'utf8')) as {
    on: Record<string, unknown>;
    jobs: Record<string, { steps: { run?: string }[] }>;
  };
  assert.ok('pull_request' in workflow.on);
  const commands = Object.values(workflow.jobs)
    .flatMap((job) => job.steps.map((step) => step.run ?? ''))
    .flatMap((script) => [...script.matchAll(/npx build-dashboards ([^\n>|]+)/g)].map((match) => match[1]!.trim().split(/\s+/)));
  const subcommands = commands.map(([first]) => (['lint', 'diff', 'preview', 'push'].includes(first!) ? first : 'build'));
  assert.deepEqual(subcommands, ['lint', 'build', 'diff', 'preview']);
  for (const [index, words] of commands.entries()) {
    const subcommand = subcommands[index]!;
    const help = spawnSync(process.execPath, ['dist/src/cli.js', ...(subcommand === 'build' ? [] : [subcommand]), '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(help.status, 0);
    for (const option of words.filter((word) => word.startsWith('--'))) {
      assert.ok(help.stdout.includes(option), `build-dashboards ${subcommand} has no ${option}`);
    }
  }
  assert.match(JSON.stringify(workflow), /gh pr comment/);
});
