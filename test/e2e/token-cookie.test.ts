// The access token stays out of URLs and the page's storage: the first visit with ?token= is
// answered with an HttpOnly, SameSite=Strict cookie and a redirect to the bare URL; every request,
// WebSocket and link the page opens afterwards (WebRTC and WebSocket links alike) carries no token.
// A profile without the cookie is told to open the printed link, and the gateway is not asked.
import { expect, test } from 'vitest';
import { chooseLink, gatewayStatusText, openApp, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { launchBrowser } from './support/browser.ts';
import { UNAUTHORIZED_TEXT } from '../../web/ui/tt-link-status.ts';

const setUpBed = useBeds();

test('the token becomes an HttpOnly cookie and never appears in a URL the page opens', async () => {
  const bed = await setUpBed('token-cookie', { name: 'tiny.bin', files: [{ path: 'tiny.bin', size: 70_000 }], pieceLengthExp: 16 });
  const { page, context } = bed.browser;
  const { token } = bed.gateway;
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  page.on('worker', (worker) => urls.push(worker.url()));

  await openApp(page, bed.gateway.url);
  expect(bed.gateway.url).toContain(token); // the printed link carries it once, by design
  await waitForGatewayConnected(page, 'WebRTC');
  await chooseLink(page, 'WebSocket');
  await waitForGatewayConnected(page, 'WebSocket');

  expect(page.url()).not.toContain('token');
  const cookies = await context.cookies();
  const auth = cookies.find((cookie) => cookie.name === 'tabtorrent_auth');
  expect(auth).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(auth!.value).not.toContain(token);
  expect(await page.evaluate(() => document.cookie)).not.toContain('tabtorrent_auth');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(stored).not.toContain(token);
  // The first navigation is the printed link; everything after it is clean.
  const afterSignIn = urls.filter((url) => url !== bed.gateway.url);
  expect(afterSignIn.some((url) => url.includes('/signal'))).toBe(true);
  expect(afterSignIn.filter((url) => url.includes(token))).toEqual([]);

  // Another profile, the bare URL, no cookie: it is told what to do and does not knock on /signal.
  const stranger = await launchBrowser();
  try {
    const signals: string[] = [];
    stranger.page.on('websocket', (socket) => signals.push(socket.url()));
    await stranger.page.goto(`http://127.0.0.1:${bed.gateway.port}/`, { waitUntil: 'load' });
    await expect.poll(() => gatewayStatusText(stranger.page), { timeout: 15_000 }).toBe(UNAUTHORIZED_TEXT);
    expect(signals).toEqual([]);
  } finally {
    await stranger.close();
  }
});
