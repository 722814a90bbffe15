/** Set by `--debug`: request logs (secrets already redacted by the HTTP client) go to stderr. */
export const DEBUG_ENV = 'LEDGERHOUSE_DEBUG';

export function debugLog(env: NodeJS.ProcessEnv = process.env): ((line: string) => void) | undefined {
  return env[DEBUG_ENV] === '1' ? (line) => process.stderr.write(`${line}\n`) : undefined;
}
