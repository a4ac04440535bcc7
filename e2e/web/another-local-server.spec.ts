import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startHost, type Host } from '../../test/support/headless-host';

// Another local user's server on another 127.0.0.1 port. Cookies ignore ports, so anything the
// browser keeps for 127.0.0.1 as a cookie reaches it the moment any page sends the victim's browser
// there; its own process can then forge an Origin header and open Deskmate's WebSocket. Deskmate's
// token must never reach it: not in a header, not in a URL.

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

interface Attacker {
  origin: string;
  seen: Seen[];
  close(): Promise<void>;
}

const SUBRESOURCES = ['/pixel.png', '/style.css', '/steal.js', '/fetched'];

/** A page that loads subresources from itself (same-site with Deskmate) and tries to frame Deskmate. */
function attackerPage(deskmateOrigin: string): string {
  return [
    '<!doctype html><title>elsewhere</title>',
    '<img src="/pixel.png" alt="">',
    '<link rel="stylesheet" href="/style.css">',
    '<script src="/steal.js"></script>',
    `<iframe id="framed" src="${deskmateOrigin}/"></iframe>`,
  ].join('\n');
}

async function startAttacker(deskmateOrigin: string): Promise<Attacker> {
  const seen: Seen[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end(attackerPage(deskmateOrigin));
    } else if (path === '/steal.js') {
      response.setHeader('Content-Type', 'text/javascript');
      response.end("fetch('/fetched', { credentials: 'include' });");
    } else {
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let host: Host;
let attacker: Attacker;

test.beforeEach(async () => {
  // A fixed token, as a user with a bookmark would have: the case where a leak lasts.
  host = await startHost({
    DESKMATE_TOKEN: 'a-fixed-token-that-is-long-enough-0123456789',
    // A provider that is never called: with a key, the tab opens on its composer, not on Settings.
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    OPENAI_API_KEY: 'sk-e2e',
  });
  attacker = await startAttacker(host.origin);
});

test.afterEach(async () => {
  await host?.stop();
  await attacker?.close();
});

test("a server on another local port never receives Deskmate's token", async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('composer')).toBeVisible();

    // The victim follows a link from the app's own tab, and another tab is sent there by some page.
    await page.evaluate((url) => (location.href = url), `${attacker.origin}/`);
    await page.waitForURL(`${attacker.origin}/`);
    const other = await context.newPage();
    await other.goto(`${attacker.origin}/?from=elsewhere`);

    const paths = () => attacker.seen.map((request) => request.url.split('?')[0]);
    await expect
      .poll(() => SUBRESOURCES.every((path) => paths().filter((p) => p === path).length >= 2), {
        timeout: 10_000,
      })
      .toBe(true);

    const token = host.token;
    for (const request of attacker.seen) {
      const text = JSON.stringify(request);
      expect(text, `${request.method} ${request.url}`).not.toContain(token);
      expect(text).not.toContain(encodeURIComponent(token));
      expect(request.headers.cookie ?? '').not.toMatch(/deskmate/i);
    }

    // Nor may the attacker's page frame Deskmate to borrow the tab's token (same site, same tab).
    for (const tab of [page, other]) {
      const framed = tab.frames().filter((frame) => frame !== tab.mainFrame());
      expect(framed).toHaveLength(1);
      await expect(framed[0]!.locator('#root')).toHaveCount(0);
      expect(framed[0]!.url()).not.toContain(host.origin);
    }
  } finally {
    await context.close();
  }
});
