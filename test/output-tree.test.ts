/**
 * The output tree on a real file system: a rebuild updates files in place (folders keep their
 * inodes, unchanged files are not touched, stale ones go), a failed or discarded build changes
 * nothing, modes are readable by other users, a symlinked output is followed, and one build at
 * a time holds a folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles, lockFile, outputModes, stageTree, writeTree } from '../src/build/output.js';
import { mountedFolders, providerFile } from '../src/build/provisioning.js';
import { contents, everyFile } from './support/outputTree.js';

const freshOut = () => join(mkdtempSync(join(tmpdir(), 'inferboard-tree-')), 'grafana');
const first = new Map([
  [providerFile, 'provider\n'],
  ['dashboards/Inference/a.json', 'a, first build\n'],
  ['dashboards/Inference/b.json', 'b, first build\n'],
  ['dashboards/Inference/c.json', 'c, first build\n'],
  ['dashboards/Old/d.json', 'd\n'],
]);

test('a rebuild updates files in place: folders and unchanged files keep their inodes, changed files are replaced, stale ones removed', async () => {
  const out = freshOut();
  await writeTree(out, first);
  const before = (path: string) => statSync(join(out, path));
  const [a, b, dashboards, inference] = [
    'dashboards/Inference/a.json',
    'dashboards/Inference/b.json',
    'dashboards',
    'dashboards/Inference',
  ].map(before);
  // Edited by hand since the last build: the rebuild must not keep the edit.
  writeFileSync(join(out, 'dashboards/Inference/c.json'), 'c, edited by hand\n');

  const second = new Map([...first, ['dashboards/Inference/b.json', 'b, second build\n']]);
  second.delete('dashboards/Old/d.json');
  await writeTree(out, second);

  const after = (path: string) => statSync(join(out, path));
  assert.equal(after('dashboards').ino, dashboards?.ino, 'dashboards/ is the same folder: a bind mount of it stays live');
  assert.equal(after('dashboards/Inference').ino, inference?.ino, 'a Grafana folder is the same folder');
  assert.equal(after('dashboards/Inference/a.json').ino, a?.ino, 'unchanged file is the same inode');
  assert.equal(after('dashboards/Inference/a.json').mtimeMs, a?.mtimeMs, 'unchanged file keeps its mtime');
  assert.notEqual(after('dashboards/Inference/b.json').ino, b?.ino, 'changed file is a new file, renamed over the old one');
  assert.deepEqual(contents(out), Object.fromEntries(second), 'exactly the new files: no temporary file, lock or stale file');
  assert.equal(existsSync(join(out, 'dashboards/Old')), false, 'the folder of a Grafana folder that is gone is removed');
  for (const folder of mountedFolders) assert.ok(statSync(join(out, folder)).isDirectory(), `${folder} exists, to be mounted`);

  await writeTree(out, new Map([[providerFile, 'provider\n']]));
  for (const folder of mountedFolders)
    assert.ok(statSync(join(out, folder)).isDirectory(), `${folder} is kept when it holds nothing`);
});

test('a staged tree stays invisible: discarded, or failing to write, it leaves the previous output as it was', async () => {
  const out = freshOut();
  await writeTree(out, first);
  const before = contents(out);

  const discarded = await stageTree(out);
  discarded.add('dashboards/Inference/a.json', 'a, never committed\n');
  discarded.add('dashboards/New/e.json', 'e\n');
  await discarded.discard();
  assert.deepEqual(contents(out), before);
  assert.equal(existsSync(join(out, 'dashboards/New')), false, 'a folder made for the discarded tree is removed');

  // One name as a file and as a folder: the writer thread fails before anything is renamed, and commit says why.
  const broken = await stageTree(out);
  broken.add('dashboards/Inference/a.json', 'a, never committed\n');
  broken.add('dashboards/c.json', 'c\n');
  broken.add('dashboards/c.json/d.json', 'd\n');
  await assert.rejects(broken.commit(), /dashboards\/c\.json\/d\.json: a file and a folder of the tree have one name/);
  assert.deepEqual(contents(out), before);

  const fresh = join(mkdtempSync(join(tmpdir(), 'inferboard-tree-')), 'a', 'b', 'grafana');
  const unused = await stageTree(fresh);
  await unused.discard();
  assert.equal(existsSync(join(fresh, '..', '..')), false, 'the folders made for the staged tree are removed with it');
});

test('files and folders are readable by other users whatever the umask, and follow a looser umask', async () => {
  assert.deepEqual(outputModes(0o077), { file: 0o644, folder: 0o755 });
  assert.deepEqual(outputModes(0o002), { file: 0o664, folder: 0o775 });
  for (const umask of [0o077, 0o002]) {
    const out = freshOut();
    const modes = outputModes(umask);
    const staged = await stageTree(out, umask);
    for (const [path, content] of first) staged.add(path, content);
    await staged.commit();
    const mode = (path: string) => statSync(join(out, path)).mode & 0o777;
    assert.equal(mode('.'), modes.folder, `umask ${umask.toString(8)}: the output folder`);
    for (const path of ['dashboards', 'dashboards/Inference', 'prometheus/rules']) assert.equal(mode(path), modes.folder, path);
    for (const path of first.keys()) assert.equal(mode(path), modes.file, path);
  }

  // What an older build left: an output folder of mode 700 and a file of 600, both unchanged since.
  const out = freshOut();
  await writeTree(out, first);
  chmodSync(out, 0o700);
  chmodSync(join(out, providerFile), 0o600);
  await writeTree(out, first);
  assert.equal(statSync(out).mode & 0o777, 0o755);
  assert.equal(statSync(join(out, providerFile)).mode & 0o777, 0o644);
});

test('an output that is a symlink is followed: the link stays, its folder gets the files', async () => {
  const root = mkdtempSync(join(tmpdir(), 'inferboard-tree-'));
  const real = join(root, 'real');
  mkdirSync(real);
  symlinkSync(real, join(root, 'link'));
  await writeTree(join(root, 'link'), first);
  await writeTree(join(root, 'link'), first);
  assert.ok(lstatSync(join(root, 'link')).isSymbolicLink(), 'the symlink is still a symlink');
  assert.deepEqual(contents(real), Object.fromEntries(first));

  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  await assert.rejects(writeTree(join(root, 'dangling'), first), /dangling: a symlink to a folder that does not exist/);
});

test('one build at a time holds a folder: a second fails naming the first; a lock whose build is gone is taken over', async () => {
  const out = freshOut();
  await writeTree(out, first);
  const holding = await stageTree(out);
  await assert.rejects(
    stageTree(out),
    new RegExp(`grafana: another build-dashboards \\(pid ${process.pid}\\) is writing into it`),
  );
  await holding.discard();

  // The lock of a build that was killed: a pid that no longer runs.
  const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  writeFileSync(
    join(out, lockFile),
    JSON.stringify({ pid: Number(gone.stdout.trim()), host: (await import('node:os')).hostname() }),
  );
  // And its temporary files, which no provider loads.
  writeFileSync(join(out, 'dashboards/Inference/.a.json.4194301.inferboard-tmp'), '{"half": ');
  await writeTree(out, first);
  assert.deepEqual(contents(out), Object.fromEntries(first), 'the stale lock and the leftovers are gone');
  assert.deepEqual(await listFiles(out), [...first.keys()].sort());
});

test('a folder build-dashboards did not write is refused, unless it is empty or holds only what a killed build left', async () => {
  const project = mkdtempSync(join(tmpdir(), 'inferboard-tree-'));
  writeFileSync(join(project, 'package.json'), '{}\n');
  await assert.rejects(writeTree(project, first), /refusing to replace a folder that build-dashboards did not write/);
  assert.deepEqual(everyFile(project), ['package.json']);

  const killedFirstBuild = freshOut();
  mkdirSync(join(killedFirstBuild, 'dashboards/Inference'), { recursive: true });
  writeFileSync(join(killedFirstBuild, 'dashboards/Inference/.a.json.4194301.inferboard-tmp'), '{"half": ');
  await writeTree(killedFirstBuild, first);
  assert.deepEqual(contents(killedFirstBuild), Object.fromEntries(first));
  assert.equal(readFileSync(join(killedFirstBuild, providerFile), 'utf8'), 'provider\n');
});
