import { ConsentError, ConsentFlowError, CredentialStoreError, ProviderHttpError } from '../../extract/index.ts';
import { FileFormatError } from '../../formats/index.ts';
import { DeletionsHeldError, MappingFileError, WarehouseError } from '../../load/index.ts';
import { ConfigError, ImportRejectedError, printedIssues, RunInterruptedError, UsageError } from '../../pipeline/index.ts';

/**
 * One clear sentence per problem for a person on stderr, the stack only with --debug; returns
 * the exit code the error calls for.
 */
export function reportError(error: unknown, debug: boolean): number {
  if (error instanceof ImportRejectedError) {
    console.error(error.message);
    for (const line of printedIssues(error.errors, 50)) console.error(`  ${line}`);
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\nRun "ledgerhouse help" for usage.`);
    return 2;
  } else if (
    error instanceof FileFormatError || error instanceof WarehouseError || error instanceof ProviderHttpError ||
    error instanceof ConfigError || error instanceof CredentialStoreError || error instanceof ConsentError || error instanceof ConsentFlowError || error instanceof MappingFileError ||
    error instanceof DeletionsHeldError || error instanceof RunInterruptedError
  ) {
    console.error(error.message);
  } else {
    console.error(`Unexpected error: ${(error as Error)?.message ?? String(error)}${debug ? '' : ' (run again with --debug for details)'}`);
  }
  if (debug) console.error((error as Error)?.stack);
  return 1;
}
