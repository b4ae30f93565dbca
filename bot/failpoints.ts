/**
 * Failpoints: named places in the write path (journal append, checkpoint, vote, outbox send…)
 * where a crash test makes the built bot kill itself, to prove that a crash right there loses
 * nothing acknowledged and repeats nothing. Off unless SETUPBOT_FAILPOINTS names some; the bot
 * then logs a loud warning at start-up.
 *
 *   SETUPBOT_FAILPOINTS=journal.afterSync@3,vote.beforeAnswer
 *
 * kills the process the 3rd time a journal write is synced, or the first time a vote is stored.
 */
export interface FailpointSpec {
  name: string;
  /** Fires on this hit (1 = the first). */
  hit: number;
}

const SPEC = /^([a-z][a-zA-Z.]*)(?:@(\d+))?$/;

/** Parses the setting; throws a message naming the bad entry. */
export function parseFailpoints(raw: string): FailpointSpec[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = SPEC.exec(part);
      if (!match) throw new Error(`"${part}" is not a failpoint (name or name@n)`);
      return { name: match[1], hit: match[2] ? Number(match[2]) : 1 };
    });
}

import type { Failpoint } from '../setup/ports.js';

export type { Failpoint };

/** The failpoint function for the given specs (undefined when none: zero cost). */
export function failpointsFor(specs: readonly FailpointSpec[], kill: () => void = () => process.kill(process.pid, 'SIGKILL')): Failpoint | undefined {
  if (specs.length === 0) return undefined;
  const hits = new Map<string, number>();
  return (name) => {
    const count = (hits.get(name) ?? 0) + 1;
    hits.set(name, count);
    if (specs.some((spec) => spec.name === name && spec.hit === count)) {
      process.stderr.write(`failpoint ${name} (hit ${count}): killing the process\n`);
      kill();
    }
  };
}
