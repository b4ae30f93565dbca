/**
 * The string and template literals of a TypeScript source file, read as text: comments and
 * regular expression literals are skipped, `${…}` in a template counts as one word.
 */
export interface Literal {
  line: number;
  text: string;
}

/** Characters after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

export function literalsOf(source: string): Literal[] {
  const out: Literal[] = [];
  let line = 1;
  let index = 0;
  let previous = '';
  const advance = (count = 1): void => {
    for (let step = 0; step < count && index < source.length; step += 1) {
      if (source[index] === '\n') line += 1;
      index += 1;
    }
  };
  while (index < source.length) {
    const character = source[index];
    const next = source[index + 1];
    if (character === '/' && next === '/') {
      while (index < source.length && source[index] !== '\n') advance();
      continue;
    }
    if (character === '/' && next === '*') {
      advance(2);
      while (index < source.length && !(source[index] === '*' && source[index + 1] === '/')) advance();
      advance(2);
      continue;
    }
    if (character === '/' && BEFORE_REGEX.has(previous)) {
      advance();
      let inClass = false;
      while (index < source.length && source[index] !== '\n') {
        const inner = source[index];
        if (inner === '\\') advance(2);
        else if (inner === '[') (inClass = true), advance();
        else if (inner === ']') (inClass = false), advance();
        else if (inner === '/' && !inClass) break;
        else advance();
      }
      advance();
      while (/[a-z]/i.test(source[index] ?? '')) advance();
      previous = 'regex';
      continue;
    }
    if (character === "'" || character === '"' || character === '`') {
      const start = line;
      advance();
      let text = '';
      let depth = 0;
      while (index < source.length) {
        const inner = source[index];
        if (depth === 0 && inner === character) break;
        if (inner === '\\') {
          text += source[index + 1] ?? '';
          advance(2);
          continue;
        }
        if (character === '`' && inner === '$' && source[index + 1] === '{' && depth === 0) {
          depth = 1;
          text += 'X';
          advance(2);
          continue;
        }
        if (depth > 0) {
          if (inner === '{') depth += 1;
          if (inner === '}') depth -= 1;
          advance();
          continue;
        }
        text += inner;
        advance();
      }
      advance();
      out.push({ line: start, text });
      previous = 'literal';
      continue;
    }
    if (!/\s/.test(character)) previous = /[\w$)\].]/.test(character) ? 'word' : character;
    advance();
  }
  return out;
}

/** Words of a literal: runs of letters (a `${…}` counts as one). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((part) => /[A-Za-z]/.test(part)).length;
}
