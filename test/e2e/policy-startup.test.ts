/**
 * The approval policy file at start-up, with the built bot as its own process (npm start): a bad
 * file stops it (exit 2) with the file, the path of the bad value and the fix; a good one is read
 * and said in the log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BotProcess } from '../harness/bot-process.js';

const ADA = '3e2d1c0b-a987-4654-b321-0fedcba98765';
const GROUP = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';

describe('SETUPBOT_POLICY_FILE when the bot starts', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'setupbot-policy-start-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('a quorum the named users cannot reach stops start-up with the path of the bad value and how to fix it', async () => {
    const file = path.join(dir, 'policy.yaml');
    await writeFile(
      file,
      [
        'rules:',
        '  - name: production',
        '    environments: ["*-prod"]',
        `    approvers: { groups: [${GROUP}] }`,
        '    requiredApprovals: 2',
        '    approvalTtl: 72h',
        '  - name: default',
        '    environments: ["*"]',
        `    approvers: { users: [${ADA}] }`,
        '    requiredApprovals: 2',
        '    approvalTtl: 72h',
        '',
      ].join('\n'),
    );
    const { code, output } = await BotProcess.runToExit({ PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'd.json'), SETUPBOT_POLICY_FILE: file });
    expect(code).toBe(2);
    expect(output).toContain(`SETUPBOT_POLICY_FILE: ${file}: rules[1].requiredApprovals 2 approvals are required but the rule lists 1 user and no group. Lower requiredApprovals, list more users, or name a group.`);
  });

  test('a file without a default rule, or with a misspelt field, is refused too', async () => {
    const file = path.join(dir, 'policy.json');
    await writeFile(file, JSON.stringify({ rules: [{ name: 'production', environments: ['*-prod'], approvers: { users: [ADA] }, requiredApprovals: 1, approvalTtl: '72h', rejectComent: 'required' }] }));
    const { code, output } = await BotProcess.runToExit({ PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'd.json'), SETUPBOT_POLICY_FILE: file });
    expect(code).toBe(2);
    expect(output).toContain(`${file}: rules[0] "rejectComent" is not a known field.`);
    const fixed = path.join(dir, 'fixed.json');
    await writeFile(fixed, JSON.stringify({ rules: [{ name: 'production', environments: ['*-prod'], approvers: { users: [ADA] }, requiredApprovals: 1, approvalTtl: '72h' }] }));
    const second = await BotProcess.runToExit({ PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'd.json'), SETUPBOT_POLICY_FILE: fixed });
    expect(second.code).toBe(2);
    expect(second.output).toContain('rules[0].environments no rule matches every environment');
    expect(second.output).toContain('End the file with a default rule for environments: ["*"].');
  });

  test('a good file is read and said in the log; the bot serves', async () => {
    const file = path.join(dir, 'policy.yaml');
    await writeFile(file, `rules:\n  - name: uat\n    environments: ["*-uat"]\n    approvers: { users: [${ADA}] }\n    requiredApprovals: 1\n    approvalTtl: 24h\n  - name: default\n    environments: ["*"]\n    approvers: { users: [${ADA}] }\n    requiredApprovals: 1\n    approvalTtl: 72h\n`);
    const bot = new BotProcess({ PORT: '0', SETUPBOT_DATA_FILE: path.join(dir, 'd.json'), SETUPBOT_POLICY_FILE: file });
    await bot.start();
    const line = JSON.parse(await bot.outputLine('"event":"approval_policy"')) as { file: string; rules: string[] };
    expect(line).toMatchObject({ file, rules: ['uat', 'default'] });
    expect(bot.output.some((text) => text.includes('"event":"no_approvers"'))).toBe(false);
    bot.signal('SIGTERM');
    expect((await bot.exited()).code).toBe(0);
  });
});
