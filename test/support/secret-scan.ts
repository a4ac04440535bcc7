import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `folder` that holds any of `secrets`, as paths relative to it. */
export async function filesHolding(folder: string, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const content = await readFile(full, 'utf8');
        if (secrets.some((secret) => content.includes(secret))) found.push(path.relative(folder, full));
      }
    }
  };
  await walk(folder);
  return found.sort();
}
