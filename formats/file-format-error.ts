import type { SourceLocation } from '../model/index.ts';

/**
 * A file that cannot be read at all (truncated XML, binary data, no SIE records). The
 * message is one sentence a person can act on; `location` says where it went wrong.
 */
export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';
  constructor(
    message: string,
    readonly location: SourceLocation,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

