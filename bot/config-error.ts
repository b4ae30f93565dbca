import { SetupBotError } from '../setup/errors.js';

/** A configuration value that stops start-up: names the variable, the problem and the fix. */
export class ConfigError extends SetupBotError {
  constructor(
    readonly variable: string,
    problem: string,
    fix: string,
  ) {
    super('config_invalid', `${variable}: ${problem}. ${fix}`);
  }
}
