/**
 * `npm run playground`: try setupbot by hand with the Microsoft 365 Agents Playground, no Teams
 * and no Azure needed. Starts the built bot in anonymous local mode (loopback only) with a
 * Playground test user as approver, and two Playground windows against it:
 *   http://localhost:56150 as Alex Wilber (requester), http://localhost:56151 as Megan Bowen (approver).
 * Ctrl-C stops everything. Data goes to ./data/playground.json (SETUPBOT_DATA_FILE to change).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const botPort = Number(process.env.PORT || 3978);
const dataFile = process.env.SETUPBOT_DATA_FILE || path.join('data', 'playground.json');
const workDir = path.join(root, 'data', 'playground');

/** The Playground's built-in test users (its default config); Alex requests, Megan approves. */
const TENANT = '00000000-0000-0000-0000-0000000000001';
interface PlaygroundUser {
  id: string;
  name: string;
  upn: string;
  aadObjectId: string;
}
const USERS: readonly PlaygroundUser[] = [
  { id: 'user-id-0', name: 'Alex Wilber', upn: 'alexw@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000020' },
  { id: 'user-id-1', name: 'Megan Bowen', upn: 'meganb@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000021' },
  { id: 'user-id-2', name: 'Adele Vance', upn: 'adelev@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000022' },
  { id: 'user-id-3', name: 'Isaiah Langer', upn: 'isaiahl@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000023' },
  { id: 'user-id-4', name: 'Patti Fernandez', upn: 'pattif@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000024' },
  { id: 'user-id-5', name: 'Lynne Robbins', upn: 'lynner@example.com', aadObjectId: '00000000-0000-0000-0000-0000000000025' },
];
const PEOPLE = { requester: USERS[0], approver: USERS[1] } as const;
type Role = keyof typeof PEOPLE;
const WINDOWS: { role: Role; port: number; chat: string }[] = [
  { role: 'requester', port: 56150, chat: 'a:playground-alex-wilber' },
  { role: 'approver', port: 56151, chat: 'a:playground-megan-bowen' },
];

function person(user: PlaygroundUser, indent: string): string {
  const [givenName, surname] = user.name.split(' ');
  return [
    `id: ${user.id}`,
    `name: ${user.name}`,
    `userPrincipleName: ${user.upn}`,
    `aadObjectId: ${user.aadObjectId}`,
    `givenName: ${givenName}`,
    `surname: ${surname}`,
    `email: ${user.upn}`,
  ].join(`\n${indent}`);
}

/** A Playground config (its YAML format) whose current user plays `role`; the others are members. */
function playgroundConfig(role: Role, chat: string): string {
  const current = PEOPLE[role];
  const others = USERS.filter((user) => user !== current);
  return `version: "0.1.1"
tenantId: ${TENANT}
bot:
  id: 00000000-0000-0000-0000-00000000000011
  name: setupbot
currentUser:
  ${person(current, '  ')}
users:
${others.map((user) => `  - ${person(user, '    ')}`).join('\n')}
personalChat:
  id: ${chat}
groupChat:
  id: 19:playground-group-chat@thread.v2
  name: Group Chat
team:
  id: 19:playground-team@thread.tacv2
  name: Finance platform
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: 19:playground-announcements@thread.tacv2
      name: Announcements
`;
}

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (line: string): string => `[${name}] ${line}\n`;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream): void => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(prefix(line));
    });
  };
  if (child.stdout) pipe(child.stdout, process.stdout);
  if (child.stderr) pipe(child.stderr, process.stderr);
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`[playground] ${name} exited (${code}); stopping everything.\n`);
      stopAll(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

async function waitForBot(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${botPort}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the bot did not answer on http://127.0.0.1:${botPort}/healthz within 30 s`);
}

mkdirSync(workDir, { recursive: true });
const botEnv: NodeJS.ProcessEnv = {
  ...process.env,
  MicrosoftAppId: '',
  HOST: '127.0.0.1',
  PORT: String(botPort),
  SETUPBOT_DATA_FILE: dataFile,
  SETUPBOT_APPROVERS: PEOPLE.approver.aadObjectId,
};
delete botEnv.SETUPBOT_REQUESTERS;
delete botEnv.SETUPBOT_ALLOWED_TENANTS;
start('bot', process.execPath, ['--disable-warning=DEP0111', path.join('dist', 'bot', 'index.js')], botEnv);
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

try {
  await waitForBot();
} catch (error) {
  process.stderr.write(`[playground] ${(error as Error).message}\n`);
  stopAll(1);
}

const cli = path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
for (const window of WINDOWS) {
  const config = path.join(workDir, `${window.role}.yml`);
  writeFileSync(config, playgroundConfig(window.role, window.chat));
  start(`playground ${window.role}`, process.execPath, [cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(window.port), '--disable-telemetry'], {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: config,
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, `${window.role}.log`),
  });
}

process.stdout.write(`
[playground] setupbot runs in anonymous local mode on http://127.0.0.1:${botPort} (data: ${dataFile}).
[playground] Open  http://localhost:${WINDOWS[0].port}  as ${PEOPLE.requester.name} (requester): type "setup" and submit a request.
[playground] Open  http://localhost:${WINDOWS[1].port}  as ${PEOPLE.approver.name} (the approver): the approval card arrives there; type "approvals" to list what waits.
[playground] Ctrl-C stops the bot and both Playgrounds.
`);
