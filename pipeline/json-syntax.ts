/** Where and why a text is not JSON, for a person to fix it in an editor. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  reason: string;
}

/**
 * Finds the first syntax error of a text JSON.parse refused. V8's messages give a position
 * for some errors only, and quote a snippet of the file for others, which could be a
 * secret pasted there: this scanner names the place and never repeats the content.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let at = 0;
  const fail = (reason: string): never => {
    throw new Stop(at, reason);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const describeHere = () => (at >= text.length ? 'the file ends' : `unexpected ${JSON.stringify(text[at])}`);
  const value = (): void => {
    space();
    const c = text[at];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return;
      }
    }
    fail(`${describeHere()} where a value was expected`);
  };
  const object = () => {
    at++;
    space();
    if (text[at] === '}') return void at++;
    for (;;) {
      space();
      if (text[at] !== '"') fail(`${describeHere()} where a property name in double quotes was expected`);
      string();
      space();
      if (text[at] !== ':') fail(`${describeHere()} where ":" was expected`);
      at++;
      value();
      space();
      if (text[at] === ',') {
        const comma = at++;
        space();
        if (text[at] === '}') {
          at = comma;
          fail('a comma before "}" (JSON allows no trailing comma)');
        }
        continue;
      }
      if (text[at] === '}') return void at++;
      fail(`${describeHere()} where "," or "}" was expected`);
    }
  };
  const array = () => {
    at++;
    space();
    if (text[at] === ']') return void at++;
    for (;;) {
      value();
      space();
      if (text[at] === ',') {
        const comma = at++;
        space();
        if (text[at] === ']') {
          at = comma;
          fail('a comma before "]" (JSON allows no trailing comma)');
        }
        continue;
      }
      if (text[at] === ']') return void at++;
      fail(`${describeHere()} where "," or "]" was expected`);
    }
  };
  const string = () => {
    at++;
    for (;;) {
      const c = text[at];
      if (c === undefined) fail('the file ends inside a string');
      if (c === '"') return void at++;
      if (c! < ' ') fail('a line break or control character inside a string');
      if (c === '\\') {
        const e = text[at + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) at += 2;
        else fail('an invalid escape sequence in a string');
      } else at++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail('an invalid number');
    at += match![0].length;
  };
  try {
    value();
    space();
    if (at < text.length) fail(`${describeHere()} after the end of the JSON`);
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1, reason: error.reason };
  }
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}
