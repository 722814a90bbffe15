import type { Progress } from '../../pipeline/index.ts';

/**
 * Progress on long work, on stderr so stdout stays clean for summaries and pipes. Only a
 * terminal gets the live line; logs get nothing until the summary.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress | undefined {
  if (!stream.isTTY) return undefined;
  return {
    start(task) {
      const started = Date.now();
      let last = 0;
      return {
        update(detail) {
          const now = Date.now();
          if (now - last < 250) return;
          last = now;
          stream.write(`\r\x1b[2K${task}: ${detail} (${((now - started) / 1000).toFixed(0)} s)`);
        },
        done() {
          if (last > 0) stream.write('\r\x1b[2K');
        },
      };
    },
  };
}
