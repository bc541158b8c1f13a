import { createHash } from 'node:crypto';

/**
 * The uid inferboard gives a Grafana folder it creates (push, the grafana-operator's GrafanaFolders):
 * readable, derived from the title alone, so every run on every machine finds the same folder.
 * At most 40 characters, as Grafana requires.
 */
export function folderUidFor(title: string): string {
  const normalized = title.normalize('NFC');
  const slug = normalized
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 28)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(normalized).digest('hex').slice(0, 8);
  return `${slug || 'folder'}-${hash}`;
}
