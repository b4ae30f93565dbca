/**
 * Hostile JSON values for the property-based suite: wrong types, null, huge, deeply nested,
 * unicode / RTL / zero-width / emoji / control characters, and objects whose OWN keys are
 * `__proto__`, `constructor` and `prototype` (so they arrive in the request body as such).
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deletion marker: the field is left out of the activity. */
export const MISSING = Symbol('missing');
export type Hostile = Json | typeof MISSING;

/** Sets an own, enumerable property, even for `__proto__` (a plain assignment would set the prototype). */
export function defineOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object with exactly these own keys, `__proto__` included. */
export function ownObject(entries: readonly (readonly [string, Json])[]): { [key: string]: Json } {
  const target: Record<string, Json> = {};
  for (const [key, value] of entries) defineOwn(target, key, value);
  return target;
}

const CHARS = [
  '\u202e', '\u202d', '\u200f', '\u061c', // RTL overrides and marks
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', // zero-width
  '\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', // control
  '👩‍💻', '🏳️‍🌈', '🇫🇷', '\ud83d', '\udc00', // emoji, lone surrogates
  'مرحبا', 'שלום', 'İ', 'ß', 'ǅ', 'e\u0301', 'Ⅻ', '𝔘𝔫𝔦', '％', '＜script＞',
  '<at>setupbot</at>', '<script>alert(1)</script>', '${verb}', '{{requestId}}', '%s%n', '../../etc/passwd', '\\',
];

/** Strings of unicode, RTL, zero-width, emoji and control characters mixed with command words. */
export const weirdString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...CHARS),
      fc.constantFrom('help', 'setup', 'status', 'cancel', 'approve', 'history', 'notify', 'registry', 'SR-0001', 'change', 'retire', ' '),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** A string of about `length` characters (huge values up to and past the body limit). */
export const hugeString = (limit: number): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(1_000, 30_000, Math.floor(limit / 2), limit - 2_000, limit + 1_000), fc.constantFrom('x', 'é', '\u200b', '🙂', 'a\n')).map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/**
 * Arrays or objects nested up to 20,000 deep. Too deep for JSON.stringify in the test process, so
 * the value is a placeholder that {@link toJsonText} expands into raw text.
 */
export const deeplyNested: fc.Arbitrary<Json> = fc.tuple(fc.constantFrom(50, 1_000, 5_000, 20_000), fc.boolean()).map(([depth, arrays]) => `@@deep:${depth}:${arrays ? 'array' : 'object'}@@`);

const DEEP = /"@@deep:(\d+):(array|object)@@"/g;

/** The JSON text of a generated body, with deep-nesting placeholders expanded. */
export function toJsonText(value: Json): string {
  return JSON.stringify(value).replace(DEEP, (_match, depth: string, kind: string) => {
    const count = Number(depth);
    return kind === 'array' ? `${'['.repeat(count)}"bottom"${']'.repeat(count)}` : `${'{"a":'.repeat(count)}"bottom"${'}'.repeat(count)}`;
  });
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** An object with prototype keys at its top and nested: `{"__proto__": {"polluted": …}, "constructor": {"prototype": …}}`. */
export const protoObject: fc.Arbitrary<{ [key: string]: Json }> = fc
  .array(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...PROTO_KEYS, 'polluted', 'isAdmin', 'verb', 'toString')), { minLength: 1, maxLength: 4 })
  .map((pairs) => ownObject(pairs.map(([outer, inner]) => [outer, ownObject([[inner, ownObject([['polluted', 'yes'], ['isAdmin', true]])], ['polluted', 'yes']])] as const)));

/** A small JSON value of any type. */
export const smallJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** Any hostile value for a field: missing, null, wrong type, odd numbers, odd strings, huge, deep, prototype keys. */
export const hostileValue = (bodyLimit: number): fc.Arbitrary<Hostile> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant<Hostile>(MISSING) },
    { weight: 3, arbitrary: fc.constant<Hostile>(null) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: fc.constantFrom<Hostile>(0, -1, 1.5, 2 ** 53, -(2 ** 53), 1e308, -1e-308, 4294967296) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 6, arbitrary: weirdString },
    { weight: 1, arbitrary: fc.constantFrom<Hostile>('', ' ', 'null', 'undefined', 'NaN', '[object Object]', '__proto__', 'constructor') },
    { weight: 1, arbitrary: hugeString(bodyLimit) },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 3, arbitrary: protoObject },
    { weight: 2, arbitrary: smallJson },
    { weight: 1, arbitrary: fc.array(weirdString, { maxLength: 5 }) },
  );
