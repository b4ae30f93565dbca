/**
 * Renders Adaptive Cards to PNG with the official renderer (adaptivecards 3.0.6, its UMD build)
 * in headless Chromium, with Teams' light host config and markdown-it for the markdown Teams
 * renders in TextBlocks.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEAMS_LIGHT_HOST_CONFIG } from './teams-host-config.js';

const require = createRequire(import.meta.url);

/** A Teams-like frame around the card: message bubble width, Teams' button and input look. */
const FRAME_CSS = `
  body { margin: 0; background: #f5f5f5; font-family: 'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif; }
  #frame { width: 560px; padding: 16px; }
  #card-host { background: #ffffff; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); overflow: hidden; }
  .ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; color: #252424; background: #ffffff; border: 1px solid #e0e0e0; border-radius: 4px; padding: 5px 12px; min-height: 32px; cursor: pointer; }
  .ac-pushButton.style-positive { background: #6264a7; border-color: #6264a7; color: #ffffff; }
  .ac-pushButton.style-destructive { background: #ffffff; color: #c4314b; border-color: #c4314b; }
  .ac-pushButton.expanded { background: #f3f2f1; }
  .ac-input { font-family: inherit; font-size: 14px; }
  .ac-textInput, .ac-multichoiceInput, .ac-numberInput, .ac-dateInput, .ac-timeInput { border: 1px solid #e0e0e0; border-bottom-color: #8a8886; border-radius: 3px; padding: 5px 8px; min-height: 32px; box-sizing: border-box; background: #fff; }
  .ac-input.ac-input-validation-failed, .ac-input-validation-failed { border-color: #c4314b !important; }
  .ac-textBlock p { margin: 0; }
  .ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 20px; box-sizing: border-box; }
`;

export interface RenderOutcome {
  png: Buffer;
  /** Problems the renderer reported (parse warnings, unknown elements). */
  warnings: string[];
}

/** What the page functions below touch (this file compiles without the DOM lib). */
interface CardGlobals {
  renderCard(card: unknown, hostConfig: unknown, expand: string[]): string[];
  document: { fonts: { ready: Promise<unknown> } };
}

export class CardRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  static async start(executablePath: string): Promise<CardRenderer> {
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 600, height: 800 }, deviceScaleFactor: 1 });
    await page.setContent('<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><div id="frame"><div id="card-host"></div></div></body></html>');
    await page.addStyleTag({ content: await readFile(require.resolve('adaptivecards/dist/adaptivecards.css'), 'utf8') });
    await page.addStyleTag({ content: FRAME_CSS });
    await page.addScriptTag({ content: await readFile(require.resolve('markdown-it/dist/markdown-it.min.js'), 'utf8') });
    await page.addScriptTag({ content: await readFile(require.resolve('adaptivecards/dist/adaptivecards.js'), 'utf8') });
    await page.addScriptTag({
      content: `
        window.renderCard = function (json, hostConfig, expand) {
          var AC = window.AdaptiveCards;
          var card = new AC.AdaptiveCard();
          card.hostConfig = new AC.HostConfig(hostConfig);
          var context = new AC.SerializationContext();
          card.parse(json, context);
          var warnings = [];
          for (var i = 0; i < context.eventCount; i++) warnings.push('parse: ' + context.getEventAt(i).message);
          var host = document.getElementById('card-host');
          host.innerHTML = '';
          host.appendChild(card.render());
          expand.forEach(function (title) {
            var button = Array.prototype.find.call(host.querySelectorAll('button'), function (b) { return b.textContent.trim() === title; });
            if (button) button.click(); else warnings.push('no button "' + title + '" to open');
          });
          return warnings;
        };`,
    });
    return new CardRenderer(browser, page);
  }

  async render(card: unknown, expand: readonly string[] = []): Promise<RenderOutcome> {
    const warnings = await this.page.evaluate(
      ({ json, hostConfig, open }) => (globalThis as unknown as CardGlobals).renderCard(json, hostConfig, open),
      { json: card, hostConfig: TEAMS_LIGHT_HOST_CONFIG, open: [...expand] },
    );
    await this.page.evaluate(() => (globalThis as unknown as CardGlobals).document.fonts.ready.then(() => undefined));
    const png = await this.page.locator('#frame').screenshot();
    return { png, warnings };
  }

  async stop(): Promise<void> {
    await this.browser.close();
  }
}
