// Child process: the SAF-T parse floor. A bare saxes parse of the file (1 MiB reads,
// xmlns:true, handlers that do nothing but count elements) is the least any streaming SAF-T
// import must spend; bench/run.ts divides the import's time by this one.
//   node --import tsx bench/saft-parse-floor.ts <file.xml>

import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { argument, report, timed } from './child.ts';

async function bareParse(path: string): Promise<number> {
  const parser = new SaxesParser({ xmlns: true });
  let elements = 0;
  parser.on('opentag', () => void elements++);
  parser.on('closetag', () => undefined);
  parser.on('text', () => undefined);
  parser.on('error', (error) => {
    throw error;
  });
  const stream = createReadStream(path, { highWaterMark: 1 << 20, encoding: 'utf8' });
  for await (const chunk of stream) parser.write(chunk as string);
  parser.close();
  return elements;
}

const path = argument(0, 'saft-parse-floor.ts <file.xml>');
const { ms, value: elements } = await timed(() => bareParse(path));
report({ ms, elements });
