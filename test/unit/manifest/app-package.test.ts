import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { COMMANDS, COMMAND_SCOPES, parseCommand, routeCommand } from '../../../bot/commands/catalog.js';
import { MANIFEST_VERSION, type TeamsManifest } from '../../../manifest/app-manifest.js';
import { validateManifest } from '../../../manifest/app-package.js';
import { runPackageCommand } from '../../../manifest/package-command.js';
import { decodePng, type DecodedPng } from '../../harness/png-reader.js';

const ROOT = process.cwd();
const BOT_ID = '11111111-2222-4333-8444-555555555555';
const TEAMS_APP_ID = '66666666-7777-4888-9999-000000000000';
const HOST = 'setupbot.contoso.com';

interface Run {
  code: number;
  out: string;
  err: string;
  output: string;
}

describe('npm run package (build/appPackage.zip)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'setupbot-package-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(env: Record<string, string>): Promise<Run> {
    let out = '';
    let err = '';
    const output = path.join(dir, 'build', 'appPackage.zip');
    const code = await runPackageCommand({ env, root: ROOT, output, out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err, output };
  }

  async function packaged(env: Record<string, string> = { MicrosoftAppId: BOT_ID, SETUPBOT_PUBLIC_HOST: HOST }): Promise<{ files: Record<string, Uint8Array>; manifest: TeamsManifest }> {
    const result = await run(env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const files = unzipSync(new Uint8Array(await readFile(result.output)));
    return { files, manifest: JSON.parse(Buffer.from(files['manifest.json']).toString('utf8')) as TeamsManifest };
  }

  test.each([
    ['MicrosoftAppId', { SETUPBOT_PUBLIC_HOST: HOST }],
    ['SETUPBOT_PUBLIC_HOST', { MicrosoftAppId: BOT_ID }],
  ])('without %s it names the variable, says how to set it, writes nothing and exits non-zero', async (variable, env) => {
    const result = await run(env);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain(`${variable} is not set`);
    expect(result.err).toMatch(new RegExp(`${variable}=\\S+ npm run package`));
    expect(existsSync(result.output)).toBe(false);
    expect(existsSync(path.dirname(result.output))).toBe(false);
  });

  test.each([
    ['MicrosoftAppId', { MicrosoftAppId: 'not-a-guid', SETUPBOT_PUBLIC_HOST: HOST }, /not a GUID/],
    ['SETUPBOT_PUBLIC_HOST', { MicrosoftAppId: BOT_ID, SETUPBOT_PUBLIC_HOST: 'https://setupbot.contoso.com/' }, /has a scheme/],
    ['SETUPBOT_TEAMS_APP_ID', { MicrosoftAppId: BOT_ID, SETUPBOT_PUBLIC_HOST: HOST, SETUPBOT_TEAMS_APP_ID: 'x' }, /not a GUID/],
  ])('a bad %s is refused with the reason and nothing is written', async (variable, env, reason) => {
    const result = await run(env);
    expect(result.code).toBe(2);
    expect(result.err).toContain(variable);
    expect(result.err).toMatch(reason);
    expect(existsSync(result.output)).toBe(false);
  });

  test('the zip holds exactly manifest.json, a file per other language, color.png (192×192) and outline.png (32×32)', async () => {
    const { files } = await packaged();
    expect(Object.keys(files).sort()).toEqual(['ar-sa.json', 'color.png', 'de-de.json', 'es-es.json', 'fr-fr.json', 'it-it.json', 'manifest.json', 'outline.png', 'pl-pl.json', 'pt-br.json']);
    const color = decodePng(files['color.png']);
    const outline = decodePng(files['outline.png']);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // the committed icons, unchanged
    expect(Buffer.from(files['color.png']).equals(await readFile(path.join(ROOT, 'manifest', 'color.png')))).toBe(true);
  });

  function distinctColours(png: DecodedPng): number {
    const colours = new Set<number>();
    for (let i = 0; i < png.pixels.length; i += 4) colours.add((png.pixels[i] << 16) | (png.pixels[i + 1] << 8) | png.pixels[i + 2]);
    return colours.size;
  }

  test('the colour icon is a drawing, not a blank square: a glyph stands out from the background', async () => {
    const { files } = await packaged();
    const color = decodePng(files['color.png']);
    const [r, g, b] = color.pixels;
    let differing = 0;
    for (let i = 0; i < color.pixels.length; i += 4) {
      if (Math.abs(color.pixels[i] - r) + Math.abs(color.pixels[i + 1] - g) + Math.abs(color.pixels[i + 2] - b) > 60) differing += 1;
    }
    const share = differing / (color.width * color.height);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.6);
    expect(distinctColours(color)).toBeGreaterThan(8);
    // opaque everywhere: Teams puts the colour icon on its own backgrounds
    expect(color.pixels.filter((_, i) => i % 4 === 3 && color.pixels[i] !== 255).length).toBe(0);
  });

  test('the outline icon is white on transparent, with a glyph', async () => {
    const { files } = await packaged();
    const outline = decodePng(files['outline.png']);
    let drawn = 0;
    const notWhite: number[] = [];
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const alpha = outline.pixels[i + 3];
      if (alpha > 0 && (outline.pixels[i] !== 255 || outline.pixels[i + 1] !== 255 || outline.pixels[i + 2] !== 255)) notWhite.push(i / 4);
      if (alpha > 128) drawn += 1;
    }
    expect(notWhite).toEqual([]);
    const share = drawn / (outline.width * outline.height);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.5);
    // corners transparent: a glyph, not a filled square
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31]]) expect(outline.pixels[(y * 32 + x) * 4 + 3]).toBe(0);
  });

  test("the manifest passes Microsoft's schema (@microsoft/app-manifest, offline) and carries the configured values", async () => {
    const { manifest } = await packaged({ MicrosoftAppId: BOT_ID, SETUPBOT_PUBLIC_HOST: HOST, SETUPBOT_TEAMS_APP_ID: TEAMS_APP_ID });
    expect(await validateManifest(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots?.[0].botId).toBe(BOT_ID);
    expect(manifest.bots?.[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://${HOST}/botid-${BOT_ID}` });
    expect(manifest.validDomains).toEqual([HOST]);
    const setups = manifest.staticTabs?.find((tab) => tab.name === 'Setups');
    expect(setups).toMatchObject({ contentUrl: `https://${HOST}/tab?locale={locale}`, scopes: ['personal'] });
    expect(manifest.staticTabs?.[0]).toEqual({ entityId: 'conversations', scopes: ['personal'] });
    expect(manifest.configurableTabs?.[0]).toMatchObject({ configurationUrl: `https://${HOST}/tab/config?locale={locale}`, scopes: ['team', 'groupChat'] });
    expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{|undefined/);
  });

  test('SETUPBOT_TEAMS_APP_ID defaults to MicrosoftAppId', async () => {
    const { manifest } = await packaged();
    expect(manifest.id).toBe(BOT_ID);
  });

  test("Microsoft's validator really validates: a broken manifest gets errors", async () => {
    const { manifest } = await packaged();
    const broken = { ...manifest, bots: [{ ...manifest.bots![0], botId: 'not-a-guid' }], accentColor: 'blue' } as TeamsManifest;
    const errors = await validateManifest(broken);
    expect(errors.join('\n')).toMatch(/botId/);
    expect(errors.join('\n')).toMatch(/accentColor/);
  });

  test('uses the newest manifest version whose schema the pinned @microsoft/app-manifest bundles', async () => {
    const bundled = await readdir(path.join(ROOT, 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams'));
    const versions = bundled.flatMap((name) => (/^v1\.(\d+)$/.exec(name) ? [Number(/^v1\.(\d+)$/.exec(name)![1])] : []));
    expect(MANIFEST_VERSION).toBe(`1.${Math.max(...versions)}`);
  });

  test('each scope has its own command list, and it is the catalog’s menu for that scope', async () => {
    const { manifest } = await packaged();
    const lists = manifest.bots?.[0].commandLists ?? [];
    expect(lists.map((list) => list.scopes)).toEqual(COMMAND_SCOPES.map((scope) => [scope]));
    for (const scope of COMMAND_SCOPES) {
      const titles = lists.find((list) => list.scopes[0] === scope)?.commands.map((command) => command.title);
      const expected = COMMANDS.filter((command) => command.menu && command.scopes.includes(scope) && (command.menuScopes ?? command.scopes).includes(scope)).map((command) => command.menu!.title);
      expect(expected.length).toBeLessThanOrEqual(10);
      expect(titles).toEqual(expected);
    }
    // notify is a channel command: offered in teams only
    const personal = lists.find((list) => list.scopes[0] === 'personal')!.commands.map((command) => command.title);
    const team = lists.find((list) => list.scopes[0] === 'team')!.commands.map((command) => command.title);
    expect(personal).not.toContain('notify here');
    expect(team).toContain('notify here');
  });

  test('every command on the help card and in the menu starts with a verb the bot routes', () => {
    for (const command of COMMANDS) {
      expect(routeCommand(parseCommand(command.usage).verb)?.handle).toBe(command.handle);
      if (command.menu) expect(routeCommand(parseCommand(command.menu.title).verb)).toBeDefined();
    }
  });
});
