/**
 * The framework floor: a bare botbuilder CloudAdapter + restify bot that echoes each message.
 * Same authentication configuration as setupbot (the botbuilder settings it forwards, JWT
 * validation on, UserAssignedMSI for replies), same body parser, no storage, no logging per turn.
 * Run by the bench as a child process: PORT and HOST from the environment.
 */
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { BOT_FRAMEWORK_KEYS } from '../../bot/config.js';

const settings: Record<string, string> = {};
for (const key of BOT_FRAMEWORK_KEYS) {
  const value = process.env[key]?.trim();
  if (value) settings[key] = value;
}
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings as ConfigurationBotFrameworkAuthenticationOptions));
adapter.onTurnError = async (_context, error) => {
  process.stderr.write(`echo bot turn failed: ${error instanceof Error ? error.message : String(error)}\n`);
};

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}
const bot = new EchoBot();

const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, mapFiles: false }));
server.get('/healthz', async (_req, res) => {
  res.send(200, { status: 'ok' });
});
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});

const port = Number(process.env.PORT ?? '0');
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: typeof address === 'object' && address ? address.port : port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
