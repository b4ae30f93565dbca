import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personalMessage, teamsUser } from '../harness/activities.js';
import { BotProcess } from '../harness/bot-process.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';

describe('the bot as a process (npm start)', () => {
  const connector = new ConnectorStandIn();
  let dir = '';
  beforeAll(async () => {
    await connector.start();
  });
  afterAll(() => connector.stop());
  beforeEach(async () => {
    connector.reset();
    dir = await mkdtemp(path.join(tmpdir(), 'setupbot-process-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const scene = () => ({ serviceUrl: connector.url, tenantId: '99999999-8888-4777-8666-555555555555', appId: '', botName: 'setupbot' });

  test('in anonymous mode listens on loopback only and warns once, loudly', async () => {
    const bot = new BotProcess({ PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'data.json') });
    await bot.start();
    const warnings = bot.output.filter((line) => line.includes('"event":"anonymous_mode"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"host":"127.0.0.1"');
    expect(warnings[0]).toContain('NOT authenticated');
    bot.signal('SIGTERM');
    expect((await bot.exited()).code).toBe(0);
  });

  test('drains a turn in flight on SIGTERM, then exits 0', async () => {
    const bot = new BotProcess({ PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'data.json') });
    await bot.start();
    connector.fail({ status: 200, delayMs: 1500, body: { id: 'slow-reply' } }, { operation: 'reply' });
    const activity = personalMessage(scene(), teamsUser('Alice'), 'help');
    const inFlight = fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await new Promise((resolve) => setTimeout(resolve, 400));
    bot.signal('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(connector.sentActivities()).toHaveLength(1);
    const exit = await bot.exited();
    expect(exit.code).toBe(0);
    expect(bot.output.some((line) => line.includes('"event":"stopped"'))).toBe(true);
  });

  test('refuses to start on a corrupt data file, names it, and leaves it untouched', async () => {
    const file = path.join(dir, 'data.json');
    await writeFile(file, '{"schemaVersion":1, "botState": {');
    const { code, output } = await BotProcess.runToExit({ PORT: '0', SETUPBOT_DATA_FILE: file });
    expect(code).toBe(2);
    expect(output).toContain(file);
    // the schema-1 file is read as a stream now: a cut document is named as such
    expect(output).toContain('is not a valid schema-1 data file: the document ends before it is complete');
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion":1, "botState": {');
  });

  test('refuses to start with a bad setting and says which and how to fix it', async () => {
    const { code, output } = await BotProcess.runToExit({ PORT: '0', SETUPBOT_APPROVERS: 'bob@contoso.com', SETUPBOT_DATA_FILE: path.join(dir, 'd.json') });
    expect(code).toBe(2);
    expect(output).toContain('SETUPBOT_APPROVERS');
    expect(output).toContain('Entra object ids');
  });

  test('refuses anonymous mode on a non-loopback address', async () => {
    const { code, output } = await BotProcess.runToExit({ HOST: '0.0.0.0', PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'd.json') });
    expect(code).toBe(2);
    expect(output).toContain('HOST');
    expect(output).toContain('loopback');
  });
});
