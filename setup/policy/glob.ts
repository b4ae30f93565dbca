/**
 * Environment-name patterns of the approval policy: `*` matches any run of characters, `?` one
 * character, everything else itself; case-insensitive; the whole name must match.
 */

/** A glob as a RegExp anchored at both ends. */
export function globToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether any of the patterns matches the environment name. */
export function matchesAny(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(name));
}

/** A pattern that matches every name (`*`, `**`…). */
export function matchesEverything(pattern: string): boolean {
  return /^\*+$/.test(pattern);
}
