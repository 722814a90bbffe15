/**
 * The configuration file cannot be used. Carries the file, the syntax error's place when it
 * is not JSON, and one sentence per problem naming the field, so a person fixes all at once.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly location?: { line: number; column: number },
  ) {
    super(
      problems.length === 1
        ? `${file}: ${problems[0]}`
        : `${file} is not a valid ledgerhouse configuration (${problems.length} problems):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}
