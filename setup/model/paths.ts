/** Reads and writes a field of plain data by a validation path such as `environment.users[0].email`. */

function segments(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const piece of path.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(piece);
    if (!match) return [];
    parts.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/** Sets the string at `path` when every container on the way exists; otherwise changes nothing. */
export function setStringAt(target: object, path: string, value: string): void {
  const parts = segments(path);
  if (parts.length === 0) return;
  let node: unknown = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<string | number, unknown>)[part];
  }
  const last = parts[parts.length - 1];
  if (typeof node !== 'object' || node === null) return;
  const container = node as Record<string | number, unknown>;
  if (typeof container[last] === 'string') container[last] = value;
}
