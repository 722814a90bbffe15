import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { FileFormatError } from './file-format-error.ts';

export type FileFormat = 'saft' | 'sie';

/** Tells SAF-T (XML or a zip of it) from SIE by the first bytes, whatever the file is named. */
export async function detectFileFormat(path: string): Promise<FileFormat> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(cause)})`;
    throw new FileFormatError(`${path} ${why}.`, { file: basename(path) }, { cause });
  }
  if (head.length === 0) throw new FileFormatError(`${basename(path)} is empty (0 bytes); export the file again.`, { file: basename(path) });
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'saft';
  let text = head.toString('latin1');
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
  if (text.startsWith('\u00fe\u00ff') || text.startsWith('\u00ff\u00fe')) {
    throw new FileFormatError(`${basename(path)} is UTF-16 encoded; save it as UTF-8 and import it again.`, { file: basename(path) });
  }
  const first = text.trimStart()[0];
  if (first === '<') return 'saft';
  if (first === '#') return 'sie';
  throw new FileFormatError(`${basename(path)} is neither SAF-T Financial XML nor an SIE file; check that the right file was given.`, { file: basename(path) });
}

/** `SAF-T Financial_999999999_20160401235911_3_12.xml` → part 3 of 12 of that export. */
export function splitSetPart(path: string): { set: string; part: number; total: number } | null {
  const m = /^(.*)_(\d+)_(\d+)\.xml$/i.exec(basename(path));
  if (!m) return null;
  const part = Number(m[2]);
  const total = Number(m[3]);
  if (part < 1 || part > total || total < 2) return null;
  return { set: `${m[1]}_${total}`, part, total };
}
