/**
 * Walks every workspace folder after the run: each file must name its owner (the client whose
 * secret is in the folder's name) and no one else; the tags found say which writes landed.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ownership } from './ownership';
import { findTag } from './turn-plan';

export interface ScanResult {
  files: number;
  /** Tags found in files, by the secret of the workspace they were found in. */
  tags: Map<string, Set<string>>;
}

async function* walk(folder: string): AsyncGenerator<string> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

export async function scanWorkspaces(root: string, ownership: Ownership): Promise<ScanResult> {
  const result: ScanResult = { files: 0, tags: new Map() };
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const secret = /^ws-(sec_[0-9a-f]{8})-\d+$/.exec(entry.name)?.[1];
    const client = secret && ownership.ownerOfSecret(secret);
    if (!entry.isDirectory() || !secret || !client) {
      ownership.violation(`${entry.name} is in the workspaces folder but is no client's workspace`);
      continue;
    }
    const tags = result.tags.get(secret) ?? new Set<string>();
    result.tags.set(secret, tags);
    for await (const file of walk(path.join(root, entry.name))) {
      result.files++;
      const content = await readFile(file, 'utf8');
      const where = `file ${path.relative(root, file)}`;
      ownership.checkText(client, path.relative(root, file), where);
      ownership.checkText(client, content, where);
      if (!content.includes(`owner=${secret}`)) ownership.violation(`${where} does not name its owner`);
      const tag = findTag(content);
      if (tag) tags.add(tag);
    }
  }
  return result;
}
