// Bodies other than JSON, so a simulator can serve what a provider serves besides its API
// objects: file exports (SIE in CP437, SAF-T XML), attachments, and answers too large to hold.
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';

/** A body held in full, written with its length and its own content type. */
export class BytesBody {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType = 'application/octet-stream',
  ) {}
}

/**
 * A body written as it is produced, with backpressure and chunked transfer encoding (no
 * length): `open` is called once per answer, so a retried request gets a fresh stream.
 */
export class StreamBody {
  constructor(
    readonly open: () => Readable | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
    readonly contentType = 'application/octet-stream',
  ) {}

  readable(): Readable {
    const source = this.open();
    return source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  }
}

export interface TextBodyOptions {
  /** Default `text/plain`. */
  mediaType?: string;
  /** Any iconv-lite name (`cp437`, `windows-1252`); default UTF-8. */
  encoding?: string;
  /** Exports often come without a charset (a SIE file states its own inside); default true. */
  stateCharset?: boolean;
}

/** Text encoded as a provider sends it. */
export function textBody(text: string, options: TextBodyOptions = {}): BytesBody {
  const encoding = options.encoding ?? 'utf-8';
  if (!iconv.encodingExists(encoding)) throw new RangeError(`textBody: unknown encoding "${encoding}"`);
  const mediaType = options.mediaType ?? 'text/plain';
  return new BytesBody(iconv.encode(text, encoding), options.stateCharset === false ? mediaType : `${mediaType}; charset=${encoding}`);
}
