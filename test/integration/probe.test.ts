import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdapter, createBotAuthentication } from '../../bot/adapter.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { ConnectorTransport } from '../../bot/outbox/transport.js';
import { ConnectorStandIn } from '../harness/connector-standin.js';
import { LogCollector } from '../harness/test-bot.js';

test('probe', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'probe-'));
  const standIn = new ConnectorStandIn({ dedupeActivityIds: true });
  await standIn.start();
  const logs = new LogCollector();
  const config = loadConfig({ HOST: '127.0.0.1', SETUPBOT_DATA_FILE: path.join(dir, 'd.json') });
  const adapter = createAdapter(createBotAuthentication(config), createLogger({ level: 'debug', destination: logs }));
  const transport = new ConnectorTransport(adapter, config.appId, 'https://api.botframework.com');
  const reference = { channelId: 'msteams', serviceUrl: standIn.url, conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' }, bot: { id: '28:bot', name: 'bot' } };
  for (const status of [429, 500, 403, 400]) {
    standIn.fail({ status, headers: { 'retry-after': '1' } });
    const t = Date.now();
    const result = await transport.attempt({ op: 'send', reference, activity: { type: 'message', text: 'x' } }, `m-${status}`);
    console.log(status, JSON.stringify(result), Date.now() - t, standIn.calls.length);
  }
  console.log(JSON.stringify(await transport.attempt({ op: 'send', reference, activity: { type: 'message', text: 'x' } }, 'm-ok')));
  console.log(JSON.stringify(await transport.attempt({ op: 'send', reference, activity: { type: 'message', text: 'x' } }, 'm-ok')));
  console.log(JSON.stringify(await transport.attempt({ op: 'update', reference, activityId: 'a1', activity: { type: 'message', text: 'x' } }, 'm-up')));
  console.log(JSON.stringify(standIn.calls.map((c) => [c.operation, c.status, c.activity?.id, c.authorization])));
  console.log(logs.lines.join('\n'));
  await standIn.stop();
  await rm(dir, { recursive: true, force: true });
});
