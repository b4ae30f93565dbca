import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import type { TeamsUser } from '../harness/activities.js';
import { cardText } from '../harness/card-check.js';
import { CardClient } from '../harness/card-client.js';
import { ReadApiWorld } from '../harness/read-api-scenario.js';
import { TeamsHostStandIn, type HostConfig } from '../harness/teams-host.js';
import { BUILT_TAB, TEST_TENANT_ID } from '../harness/test-bot.js';

/**
 * The browser globals the page functions below touch. This file compiles without the DOM lib
 * (it runs in Node), so they are named here; the functions themselves run in Chromium.
 */
interface PageGlobals {
  teamsHost: { received: { func: string; args: unknown[] }[]; sendTheme(theme: string): void; save(): void };
  document: { activeElement: unknown; documentElement: { scrollHeight: number }; getElementById(id: string): { style: { height: string } } };
  getComputedStyle(element: unknown): { backgroundColor: string; color: string };
}

/** Debian's chromium (apt-get install chromium); .ci/run installs it when missing. */
const CHROMIUM = '/usr/bin/chromium';

describe('the Setups tab in headless Chromium, inside a Teams host stand-in', () => {
  const world = new ReadApiWorld();
  const host = new TeamsHostStandIn();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    if (!existsSync(`${BUILT_TAB}/main.js`)) throw new Error(`the tab is not built (${BUILT_TAB}): run npm run build`);
    await host.start();
    await world.start({ SETUPBOT_TAB_HOST_ORIGINS: host.origin });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await world.stop();
    await host.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // offline like this machine: only loopback (teams-js's CDN list of hosts falls back to its built-in one)
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    page = await context.newPage();
    pageErrors.length = 0;
    consoleErrors.length = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });
  afterEach(async () => {
    await context.close();
  });

  function hostConfig(user: TeamsUser, overrides: Partial<HostConfig> = {}): HostConfig {
    return {
      tabUrl: `${world.rig.url}/tab`,
      frameContext: 'content',
      theme: 'default',
      user: { objectId: user.aadObjectId, displayName: user.name, userPrincipalName: `${user.name.split(' ')[0].toLowerCase()}@contoso.com`, tenantId: TEST_TENANT_ID },
      token: world.token(user),
      ...overrides,
    };
  }

  async function openInTeams(config: HostConfig): Promise<FrameLocator> {
    await page.goto(host.pageUrl(config));
    return page.frameLocator('iframe#tab');
  }

  async function received(): Promise<string[]> {
    return page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.received.map((message) => message.func));
  }

  /** SETUPBOT_TAB_SCREENSHOTS=<folder>: keeps a full-page PNG of each state for people to look at. */
  async function snapshot(name: string): Promise<void> {
    const folder = process.env.SETUPBOT_TAB_SCREENSHOTS;
    if (!folder) return;
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    if (frame) {
      // Teams scrolls inside the tab; for the picture, grow the frame to the whole page
      const height = await frame.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollHeight);
      await page.evaluate((pixels) => {
        (globalThis as unknown as PageGlobals).document.getElementById('tab').style.height = `${pixels}px`;
      }, height);
    }
    await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
  }

  /** Waits until the tab has sent the host every one of these messages. */
  async function hostReceives(...funcs: string[]): Promise<void> {
    await page.waitForFunction((wanted) => wanted.every((func) => (globalThis as unknown as PageGlobals).teamsHost.received.some((message) => message.func === func)), funcs, { timeout: 5000 });
  }

  test('an approver sees every environment and request the API returns, after the teams-js handshake and SSO', async () => {
    const tab = await openInTeams(hostConfig(world.ada));
    await tab.locator('#requests-table').waitFor();
    await expect(tab.locator('#viewer').textContent()).resolves.toContain('Signed in as Ada Approver');
    await expect(tab.locator('#viewer').textContent()).resolves.toContain('every request');
    expect(await tab.locator('article.environment h3').allTextContents()).toEqual([expect.stringContaining('quinn-prod'), expect.stringContaining('riley-uat')]);
    expect(await tab.locator('#requests-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request')))).toEqual([
      world.ids.rileyPending,
      world.ids.quinnDone,
      world.ids.rileyDone,
    ]);

    const riley = tab.locator('article[data-environment="riley-uat"]');
    const card = (await riley.textContent()) ?? '';
    expect(card).toContain('Published');
    expect(card).toContain('alice · alice@contoso.com');
    expect(card).toContain('riley-uat-kv');
    expect(card).toContain('https://contoso-einvoicing.vault.azure.net/');
    expect(card).toMatch(/Last verification.*OK/);
    expect(await riley.locator('table.items tbody th').allTextContents()).toEqual(['storage-sas-token storage SAS', 'contoso-root-ca', 'contoso-signing']);
    // setupbot's reading and Electronic invoicing's use, in two columns; the service's findings above
    expect(await riley.locator('table.items thead th').allTextContents()).toEqual(['Item', 'Type', 'setupbot can read it', 'Notes', 'Electronic invoicing can use it']);
    expect(await riley.locator('table.items tbody td:last-child').allTextContents()).toEqual(['✅ OK can use it', '✅ OK can use it', '✅ OK can use it']);
    expect(card).toContain('Electronic invoicing has Get and List on secrets and certificates in contoso-einvoicing (access policy).');
    expect(card).toContain('riley-uat Finance 1');
    expect(card).toContain('answered HTTP 200');

    const pending = tab.locator(`tr[data-request="${world.ids.rileyPending}"]`);
    expect(await pending.textContent()).toMatch(/Waiting for approval.*riley-prod.*Riley Requester.*0 of 1 · waiting/);
    const done = tab.locator(`tr[data-request="${world.ids.rileyDone}"]`);
    expect(await done.textContent()).toMatch(/Done.*riley-uat.*Riley Requester.*1 of 1 · approved by Ada Approver/);

    expect(await received()).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']));
    expect(pageErrors).toEqual([]);
    // the tab's Content-Security-Policy lets everything it needs through
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
    await snapshot('tab-approver-light');
  });

  test('a request opens with its audit trail and the chain verification', async () => {
    const tab = await openInTeams(hostConfig(world.riley));
    await tab.getByRole('button', { name: `Open ${world.ids.rileyDone}: audit trail and details` }).click();
    await tab.locator('#audit-trail').waitFor();
    await expect(tab.locator('#detail-title').textContent()).resolves.toContain(`${world.ids.rileyDone} Done`);
    expect(await tab.locator('#chain-verdict').textContent()).toMatch(/Verified.*\d+ audit entries verify/);
    const actions = await tab.locator('#audit-trail tbody th').allTextContents();
    expect(actions[0]).toBe('Submitted');
    expect(actions).toEqual(expect.arrayContaining(['Approved', 'Execution started', 'Step finished', 'Succeeded']));
    expect(await tab.locator('#audit-trail').textContent()).toContain('Ada Approver');
    expect(await tab.locator('ol.steps').textContent()).toContain('Publish service environment riley-uat');
    await snapshot('tab-request-detail');
    // focus moves to the heading, and back returns to the list with the request focused
    expect(await tab.locator('#detail-title').evaluate((element) => element === (globalThis as unknown as PageGlobals).document.activeElement)).toBe(true);
    await tab.getByRole('button', { name: '← All setups' }).click();
    await tab.locator('#requests-table').waitFor();
    expect(pageErrors).toEqual([]);
  });

  test('a requester sees only their own requests and environments', async () => {
    const tab = await openInTeams(hostConfig(world.riley));
    await tab.locator('#requests-table').waitFor();
    expect(await tab.locator('#requests-table tbody tr').count()).toBe(2);
    expect(await tab.locator('article.environment').count()).toBe(1);
    expect(await tab.locator('main').textContent()).not.toContain('quinn-prod');
    await expect(tab.locator('#viewer').textContent()).resolves.toContain('your own requests');
  });

  test('nothing to show: an empty state that says how to start (setup in chat)', async () => {
    const tab = await openInTeams(hostConfig(world.sam));
    await tab.locator('#empty-state').waitFor();
    const text = (await tab.locator('#empty-state').textContent()) ?? '';
    expect(text).toContain('No setups of yours yet');
    expect(text).toContain('type setup in a chat with setupbot');
    expect(pageErrors).toEqual([]);
    await snapshot('tab-empty');
  });

  test('follows the Teams theme: dark from the context, high contrast when Teams switches', async () => {
    const tab = await openInTeams(hostConfig(world.ada, { theme: 'dark' }));
    await tab.locator('#requests-table').waitFor();
    const html = tab.locator('html');
    expect(await html.getAttribute('data-theme')).toBe('dark');
    expect(await html.evaluate((element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).backgroundColor)).toBe('rgb(31, 31, 31)');
    await snapshot('tab-dark');
    await page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.sendTheme('contrast'));
    await tab.locator('html[data-theme="contrast"]').waitFor({ state: 'attached' });
    expect(await html.evaluate((element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).backgroundColor)).toBe('rgb(0, 0, 0)');
    await snapshot('tab-contrast');
    await page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.sendTheme('default'));
    await tab.locator('html[data-theme="default"]').waitFor({ state: 'attached' });
    expect(await html.evaluate((element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).color)).toBe('rgb(36, 36, 36)');
  });

  test('when Teams cannot sign the user in, the tab says so and calls no API', async () => {
    const before = world.rig.logs.entries().filter((entry) => String(entry.event).startsWith('api_')).length;
    const tab = await openInTeams(hostConfig(world.ada, { token: null }));
    await tab.getByRole('heading', { name: 'Teams could not sign you in to setupbot' }).waitFor();
    expect(await tab.locator('main').textContent()).toContain('resourceRequiresConsent');
    expect(world.rig.logs.entries().filter((entry) => String(entry.event).startsWith('api_')).length).toBe(before);
    expect(pageErrors).toEqual([]);
  });

  test('a token the API refuses (expired) is explained, not shown as data', async () => {
    const tab = await openInTeams(hostConfig(world.ada, { token: world.token(world.ada, { expiresIn: -3600 }) }));
    await tab.getByRole('heading', { name: 'setupbot did not accept your sign-in' }).waitFor();
    expect(await tab.locator('main').textContent()).toContain('expired');
  });

  test("before its script runs, the page is in the reader's language: Teams' ?locale= first, then Accept-Language, else English", async () => {
    const html = async (query: string, headers: Record<string, string> = {}): Promise<{ text: string; vary: string | null }> => {
      const response = await fetch(`${world.rig.url}/tab${query}`, { headers });
      return { text: await response.text(), vary: response.headers.get('vary') };
    };
    const german = await html('?locale=de-DE', { 'accept-language': 'ar-SA' });
    expect(german.text).toContain('<html lang="de-DE"');
    expect(german.text).toContain('<title>Einrichtungen · setupbot</title>');
    expect(german.text).toContain('<h1>Einrichtungen</h1>');
    expect(german.text).toContain('aria-live="polite">Wird geladen…</p>');
    const arabic = await html('', { 'accept-language': 'ar-SA,ar;q=0.9' });
    expect(arabic.text).toContain('<html lang="ar-SA" dir="rtl"');
    expect(arabic.text).toContain('<h1>عمليات الإعداد</h1>');
    expect(arabic.text).toContain('جارٍ التحميل…');
    expect(arabic.vary).toMatch(/Accept-Language/i);
    // the team tab's configuration page (the manifest's configurationUrl carries ?locale={locale} too)
    const configuration = await html('/config?locale=ar-SA', { 'accept-language': 'en-US' });
    expect(configuration.text).toContain('<html lang="ar-SA" dir="rtl"');
    // every sentence of the page comes from the catalogs: the pseudo-locale marks each one
    const pseudo = await html('?locale=qps-ploc');
    expect(pseudo.text).toMatch(/<noscript><p>⟦[^<]*⟧<\/p><\/noscript>/);
    expect(pseudo.text).toMatch(/aria-live="polite">⟦[^<]*⟧<\/p>/);
    for (const [query, headers] of [['', {}], ['?locale=ja-JP', { 'accept-language': 'ja' }], ['?locale=%3Cscript%3E', {}]] as [string, Record<string, string>][]) {
      const english = await html(query, headers);
      expect(english.text).toContain('<html lang="en"');
      expect(english.text).toContain('aria-live="polite">Loading…</p>');
      expect(english.text).toContain('<noscript><p>The Setups tab needs JavaScript. Open it in Microsoft Teams.</p></noscript>');
      expect(english.text).not.toContain('<script>');
    }
  });

  test('opened directly in a browser: a plain message that it must be opened in Teams, no crash', async () => {
    const response = await page.goto(`${world.rig.url}/tab`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain(`frame-ancestors 'self' https://teams.microsoft.com`);
    await page.getByRole('heading', { name: 'Open this tab in Microsoft Teams' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('choose the Setups tab');
    expect(await page.locator('#show-local').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await snapshot('tab-outside-teams');
  });

  test('in Arabic (Teams locale ar-SA): right to left, Arabic words from the catalogs, the layout mirrored', async () => {
    const languages: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) languages.push(request.headers()['accept-language']);
    });
    const tab = await openInTeams(hostConfig(world.ada, { locale: 'ar-SA' }));
    await tab.locator('#requests-table').waitFor();
    // the API is told the reader's language, for the texts it writes
    expect(languages.length).toBeGreaterThan(0);
    expect(new Set(languages)).toEqual(new Set(['ar-SA']));
    const html = tab.locator('html');
    expect(await html.getAttribute('dir')).toBe('rtl');
    expect(await html.getAttribute('lang')).toBe('ar-SA');
    const heading = tab.getByRole('heading', { level: 1, name: 'عمليات الإعداد' });
    expect(await heading.isVisible()).toBe(true);
    await expect(tab.locator('#viewer').textContent()).resolves.toContain('أنت معتمد');
    expect(await tab.locator('#requests-table thead th').allTextContents()).toEqual(['الطلب', 'الحالة', 'البيئة', 'مقدم الطلب', 'الموافقات', 'تاريخ الإرسال', 'آخر تغيير']);
    // the RCS status and the request state in Arabic; names, ids and numbers as they are (Western digits)
    expect(await tab.locator('article[data-environment="riley-uat"] h3').textContent()).toBe('riley-uat منشورة');
    expect(await tab.locator(`tr[data-request="${world.ids.rileyPending}"]`).textContent()).toMatch(/في انتظار الموافقة.*riley-prod.*Riley Requester.*0 من 1 · في الانتظار/);
    expect(await tab.locator('article[data-environment="riley-uat"] table.items thead th').allTextContents()).toEqual([
      'العنصر',
      'النوع',
      'يمكن لـ setupbot قراءته',
      'ملاحظات',
      'يمكن للفوترة الإلكترونية استخدامه',
    ]);
    // mirrored: the first column is on the right, a fact's label right of its value
    const columns = tab.locator('#requests-table thead th');
    const first = await columns.first().boundingBox();
    const last = await columns.last().boundingBox();
    expect(first!.x).toBeGreaterThan(last!.x);
    const facts = tab.locator('article[data-environment="riley-uat"] dl.facts').first();
    const label = await facts.locator('dt').first().boundingBox();
    const value = await facts.locator('dd').first().boundingBox();
    expect(label!.x).toBeGreaterThan(value!.x);
    expect(pageErrors).toEqual([]);
    await snapshot('tab-approver-ar');

    // a request's detail: the back arrow points right, the chain verdict and audit actions in Arabic
    await tab.getByRole('button', { name: `فتح ${world.ids.rileyDone}: سجل أحداث التدقيق والتفاصيل` }).click();
    await tab.locator('#audit-trail').waitFor();
    await expect(tab.locator('#detail-title').textContent()).resolves.toBe(`${world.ids.rileyDone} تم`);
    expect(await tab.locator('#chain-verdict').textContent()).toMatch(/^✅ تم التحقق تم التحقق من \d+ إدخال/);
    expect((await tab.locator('#audit-trail tbody th').allTextContents())[0]).toBe('تم الإرسال');
    expect(await tab.locator('button.back').textContent()).toBe('→ كل عمليات الإعداد');
    expect(pageErrors).toEqual([]);
  });

  test('in German (Teams locale de-DE): German words and dates, left to right, the request detail and back', async () => {
    const tab = await openInTeams(hostConfig(world.riley, { locale: 'de-DE' }));
    await tab.locator('#requests-table').waitFor();
    const html = tab.locator('html');
    expect(await html.getAttribute('dir')).toBe('ltr');
    expect(await html.getAttribute('lang')).toBe('de-DE');
    expect(await tab.locator('h1').textContent()).toBe('Einrichtungen');
    await expect(tab.locator('#viewer').textContent()).resolves.toBe('Angemeldet als Riley Requester. Sie sehen Ihre eigenen Anforderungen und die Umgebungen, die daraus entstanden sind.');
    expect(await tab.locator('#environments-title').textContent()).toBe('Dienstumgebungen (1)');
    const riley = (await tab.locator('article[data-environment="riley-uat"]').textContent()) ?? '';
    expect(riley).toContain('Veröffentlicht');
    expect(riley).toContain('Key Vault-Referenz');
    expect(riley).toContain('Verbundene Anwendungen (1)');
    expect(riley).toMatch(/Letzte Prüfung✅ OK \d{2}\.\d{2}\.\d{4}/);
    expect(await tab.locator(`tr[data-request="${world.ids.rileyDone}"]`).textContent()).toMatch(/Erledigt.*riley-uat.*1 von 1 · genehmigt von Ada Approver/);

    await tab.getByRole('button', { name: `${world.ids.rileyDone} öffnen: Überwachungsprotokoll und Details` }).click();
    await tab.locator('#audit-trail').waitFor();
    await expect(tab.locator('#detail-title').textContent()).resolves.toBe(`${world.ids.rileyDone} Erledigt`);
    expect(await tab.locator('#chain-verdict').textContent()).toMatch(/^✅ Überprüft Die \d+ Überwachungseinträge dieser Anforderung sind überprüft/);
    const actions = await tab.locator('#audit-trail tbody th').allTextContents();
    expect(actions[0]).toBe('Übermittelt');
    expect(actions).toEqual(expect.arrayContaining(['Genehmigt', 'Ausführung gestartet', 'Schritt abgeschlossen', 'Erfolgreich']));
    expect(await tab.locator('ul.decisions').textContent()).toMatch(/^Genehmigt von Ada Approver · \d{2}\.\d{2}\.\d{4}/);
    await snapshot('tab-request-detail-de');
    await tab.getByRole('button', { name: '← Alle Einrichtungen' }).click();
    await tab.locator('#requests-table').waitFor();
    expect(pageErrors).toEqual([]);
  });

  test('a Teams language setupbot does not speak (ja-JP) shows English, left to right', async () => {
    const tab = await openInTeams(hostConfig(world.riley, { locale: 'ja-JP' }));
    await tab.locator('#requests-table').waitFor();
    expect(await tab.locator('html').getAttribute('dir')).toBe('ltr');
    expect(await tab.locator('html').getAttribute('lang')).toBe('en');
    expect(await tab.locator('h1').textContent()).toBe('Setups');
    expect(await tab.locator('#requests-title').textContent()).toBe('Requests (2)');
  });

  // last: it changes riley-uat (a change request through chat), which the tests above count on as set up
  test("an environment's history opens from its card: newest first, paged, with the chain verdict, each entry linking its request", async () => {
    const client = new CardClient(world.rig, world.riley, { kind: 'personal' });
    await client.say('change riley-uat');
    await client.click({ verb: 'setup.add', list: 'users' });
    await client.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'bob', 'environment.users[1].email': 'bob@contoso.com' });
    await client.click({ verb: 'setup.next' });
    await client.click({ verb: 'setup.next' });
    await client.click({ verb: 'setup.submit' });
    const changeId = /SR-\d{4}/.exec(cardText(client.card))?.[0] ?? '';
    await world.rig.app.settled();
    await world.approve(changeId);

    const tab = await openInTeams(hostConfig(world.riley));
    const riley = tab.locator('article[data-environment="riley-uat"]');
    await riley.waitFor();
    expect(await riley.textContent()).toContain(`Version2, by ${changeId}`);
    await riley.getByRole('button', { name: 'History of riley-uat: who asked, who approved, what changed' }).click();
    await tab.locator('#history-trail').waitFor();
    await expect(tab.locator('#history-title').textContent()).resolves.toBe('History of riley-uat');
    expect(await tab.locator('#history-title').evaluate((element) => element === (globalThis as unknown as PageGlobals).document.activeElement)).toBe(true);
    expect(await tab.locator('#history-chain').textContent()).toMatch(/Verified.*10 entries shown verify/);
    expect(await tab.locator('#history-page').textContent()).toContain('Page 1 of 2 · 15 entries');
    const newest = await tab.locator('#history-trail tbody th').allTextContents();
    expect(newest).toHaveLength(10);
    expect(newest[0]).toBe('Finished: succeeded');
    expect(newest).toContain('Requested by Riley Requester: change to riley-uat (version 1): added user bob (bob@contoso.com)');
    await snapshot('tab-history');

    await tab.locator('#history-older').click();
    await tab.locator('#history-page', { hasText: 'Page 2 of 2' }).waitFor();
    const oldest = await tab.locator('#history-trail tbody th').allTextContents();
    expect(oldest).toHaveLength(5);
    expect(oldest.at(-1)).toBe('Requested by Riley Requester: environment riley-uat, Key Vault reference riley-uat-kv, 1 connected app');
    await tab.locator('#history-newer').click();
    await tab.locator('#history-page', { hasText: 'Page 1 of 2' }).waitFor();
    await tab.locator('#history-trail tbody tr').first().getByRole('button', { name: changeId }).click();
    await tab.locator('#audit-trail').waitFor();
    await expect(tab.locator('#detail-title').textContent()).resolves.toContain(`${changeId} Done`);
    expect(await tab.locator('#request-changes li').allTextContents()).toEqual(['+ Added · user bob (bob@contoso.com)']);
    expect(pageErrors).toEqual([]);
  });

  test('the team tab configuration page in Arabic suggests the Arabic tab name', async () => {
    const tab = await openInTeams(hostConfig(world.ada, { tabUrl: `${world.rig.url}/tab/config`, frameContext: 'settings', locale: 'ar-SA' }));
    await tab.getByRole('heading', { name: 'إضافة علامة التبويب "عمليات الإعداد"' }).waitFor();
    await hostReceives('settings.setValidityState');
    await page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.save());
    await hostReceives('settings.setSettings', 'settings.save.success');
    const settings = await page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.received.find((message) => message.func === 'settings.setSettings')?.args[0]);
    expect(settings).toMatchObject({ entityId: 'setups', suggestedDisplayName: 'عمليات الإعداد' });
  });

  test('the team tab configuration page saves the Setups tab when the user presses Save', async () => {
    const tab = await openInTeams(hostConfig(world.ada, { tabUrl: `${world.rig.url}/tab/config`, frameContext: 'settings' }));
    await tab.getByRole('heading', { name: 'Add the Setups tab' }).waitFor();
    await hostReceives('settings.setValidityState');
    await page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.save());
    await hostReceives('settings.setSettings', 'settings.save.success');
    const settings = await page.evaluate(() => (globalThis as unknown as PageGlobals).teamsHost.received.find((message) => message.func === 'settings.setSettings')?.args[0]);
    expect(settings).toMatchObject({ contentUrl: `${world.rig.url}/tab?locale={locale}`, entityId: 'setups', suggestedDisplayName: 'Setups' });
  });
});
