// What every browser spec does with a tab: open it (in a folder), type a message, read what the
// model was asked. One copy, so a change to how the window shows itself is made in one place.
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { RecordedRequest } from '../../test/support/scripted-provider';
import type { Host } from '../../test/support/headless-host';

/** A fresh folder for a tab to work in, its real path (what the header shows). */
export async function tempWorkspace(prefix = 'deskmate-e2e-'): Promise<string> {
  return realpath(await mkdtemp(path.join(tmpdir(), prefix)));
}

/**
 * Opens a tab on the host the spec started (read when called: hosts start in `beforeEach`), in a
 * folder if given, once the window is ready to type in.
 */
export function tabOpener(host: () => Host) {
  return async (page: Page, folder?: string): Promise<void> => {
    const { url } = host();
    await page.goto(folder ? `${url}&workspace=${encodeURIComponent(folder)}` : url);
    await expect(page.getByTestId('composer')).toBeVisible();
    if (folder) await expect(page.getByTestId('workspace-path')).toHaveText(folder);
  };
}

/** Types a message and sends it with Enter, as a user does. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** The newest user message of a request to the model. */
export function lastUserText(request: RecordedRequest): string {
  const users = (request.body.messages ?? []).filter((m) => m.role === 'user');
  return String(users.at(-1)?.content ?? '');
}
