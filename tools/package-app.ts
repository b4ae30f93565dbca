/** `npm run package`: build/appPackage.zip from MicrosoftAppId, SETUPBOT_PUBLIC_HOST, SETUPBOT_TEAMS_APP_ID. */
import path from 'node:path';
import { runPackageCommand } from '../manifest/package-command.js';

const root = process.cwd();
process.exitCode = await runPackageCommand({
  env: process.env,
  root,
  output: path.join(root, 'build', 'appPackage.zip'),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
