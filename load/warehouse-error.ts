/** Something about the warehouse file itself: locked, unreadable, or from a newer version. */
export class WarehouseError extends Error {
  override readonly name = 'WarehouseError';
}

/**
 * DuckDB's out-of-memory error as a sentence a user can act on; any other error as it is.
 * DuckDB's own text ends in advice for SQL users (`SET threads`, `SET memory_limit`) that
 * means nothing at the command line. It stays on the error's cause for --debug.
 */
export function explainDuckDbError(error: unknown, doing: string, spillDirectory: string): unknown {
  const text = (error as Error | null)?.message;
  // The appender reports it without the "Out of Memory Error" prefix, but every one of
  // DuckDB's out-of-memory errors ends in the same advice.
  if (typeof text !== 'string' || !(text.startsWith('Out of Memory Error:') || text.includes('\nPossible solutions:\n* Reducing the number of threads'))) return error;
  const detail = text.split('\n')[0]!.replace(/^(Failed to append: )?(Out of Memory Error: )?/, '').replace(/\.$/, '');
  const message = /max_temp_directory_size/.test(text)
    ? `${doing} needed more room than is left on the disk of ${spillDirectory}, where DuckDB puts what does not fit in memory (${detail}); nothing was written. Free disk space there and run it again.`
    : `${doing} ran out of the memory DuckDB may use (${detail}); nothing was written. Run it again with --debug and report the output.`;
  return new WarehouseError(message, { cause: error });
}
