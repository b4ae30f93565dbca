/**
 * The promise every fuzz run keeps, as checks shared by the property and the regression table.
 */
import type { PostResult } from '../harness/test-bot.js';

/** Own property names of the built-in prototypes, to compare before and after. */
export function prototypeFingerprint(): string {
  const prototypes: [string, object][] = [
    ['Object', Object.prototype],
    ['Array', Array.prototype],
    ['Function', Function.prototype],
    ['String', String.prototype],
    ['Number', Number.prototype],
    ['Promise', Promise.prototype],
  ];
  return prototypes.map(([name, proto]) => `${name}:${Reflect.ownKeys(proto).map(String).sort().join(',')}`).join('\n');
}

/** Properties a polluted prototype would show on a fresh object. */
export function pollutionSeen(): string[] {
  const probe: Record<string, unknown> = {};
  return ['polluted', 'isAdmin', 'verb', 'requestId'].filter((key) => probe[key] !== undefined);
}

/**
 * Why an answer breaks the promise, if it does: not 2xx/4xx, or a 4xx without a clear body (a
 * JSON object with a human message, or an invoke response whose value says what went wrong).
 */
export function answerProblem(answer: PostResult): string | undefined {
  if (answer.status >= 500 || answer.status < 200 || (answer.status >= 300 && answer.status < 400)) return `status ${answer.status}: ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  const body = answer.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return `status ${answer.status} without a JSON body: ${String(body).slice(0, 200)}`;
  const message = body.message ?? (body.value as Record<string, unknown> | undefined)?.message ?? body.value;
  if (typeof message !== 'string' || message.trim().length < 5) return `status ${answer.status} without a clear message: ${JSON.stringify(body).slice(0, 300)}`;
  return undefined;
}
