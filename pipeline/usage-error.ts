/** The command line itself is wrong: a missing or bad option. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
