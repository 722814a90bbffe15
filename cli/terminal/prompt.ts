/** The person at the terminal cancelled (Ctrl-C, or Ctrl-D on an empty line). */
export class PromptCancelledError extends Error {
  override readonly name = 'PromptCancelledError';
}

export interface PromptStreams {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

/** Only a terminal can be asked: piped stdin would hand over whatever follows, echo and all. */
export function canPrompt(input: NodeJS.ReadStream = process.stdin): boolean {
  return input.isTTY === true;
}

/**
 * Asks for a secret with nothing echoed: stdin in raw mode, the answer read key by key
 * (Backspace and Ctrl-U edit it), the terminal restored whatever happens. The question goes
 * to stderr so stdout stays clean for scripts.
 */
export function promptHidden(question: string, streams: PromptStreams = { input: process.stdin, output: process.stderr }): Promise<string> {
  const { input, output } = streams;
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw;
    let value = '';
    let escape = false;
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        // Arrow and function keys arrive as ESC [ … letter: skip them rather than keep "[A".
        if (escape) {
          if (/[A-Za-z~]/.test(ch)) escape = false;
          continue;
        }
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(new PromptCancelledError('Cancelled.'));
        if (ch === '\u0004') return finish();
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch === '\u001b') escape = true;
        else if (ch >= ' ') value += ch;
      }
    };
    output.write(question);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

/** One visible line from the terminal (a pasted URL); a usage error without one. */
export async function promptLine(question: string, streams: PromptStreams = { input: process.stdin, output: process.stderr }): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
  try {
    streams.output.write(question);
    const answer = await rl.question('');
    // Piped input is not echoed: end the question's line so what follows starts on its own.
    if (!streams.input.isTTY) streams.output.write('\n');
    return answer;
  } finally {
    rl.close();
  }
}
