import yauzl from 'yauzl';

function readEntries(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!/^xl\/(sharedStrings|workbook|worksheets\/sheet\d+)\.xml$|^xl\/_rels\/workbook\.xml\.rels$/.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * The cell texts of one sheet of an .xlsx workbook, by sheet name: enough of the format to
 * read the official example views as an independent oracle (no styles, no formulas).
 */
export async function readSheet(path: string, sheetName: string): Promise<Record<string, string>[]> {
  const files = await readEntries(path);
  const strings = [...(files.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => unescape(m[1]!.replace(/<[^>]+>/g, '')));
  const sheet = new RegExp(`<sheet [^>]*name="${sheetName}"[^>]*r:id="([^"]+)"`).exec(files.get('xl/workbook.xml')!);
  if (!sheet) throw new Error(`No sheet ${sheetName} in ${path}`);
  const target = new RegExp(`Id="${sheet[1]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${sheet[1]}"`).exec(files.get('xl/_rels/workbook.xml.rels')!)!;
  const xml = files.get(`xl/${(target[1] ?? target[2])!.replace(/^\/?xl\//, '')}`)!;
  const rows = [...xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
    const cells: Record<string, string> = {};
    for (const c of row[1]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const value = /<v>([\s\S]*?)<\/v>/.exec(c[3] ?? '')?.[1];
      if (value === undefined) continue;
      cells[c[1]!] = /t="s"/.test(c[2]!) ? strings[Number(value)]! : unescape(value);
    }
    return cells;
  });
  const [header, ...body] = rows;
  // Rows without a value in the first column are notes and spacing, not records.
  const firstColumn = Object.keys(header!)[0]!;
  return body.filter((cells) => (cells[firstColumn] ?? '').trim() !== '').map((cells) => Object.fromEntries(Object.entries(header!).map(([col, name]) => [name, cells[col] ?? ''])));
}
