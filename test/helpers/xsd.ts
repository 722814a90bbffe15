import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { memoryPages, validateXML } from 'xmllint-wasm';

/**
 * libxml2's verdict on an XML file against an XSD, from the npm build of xmllint (the same
 * libxml2 as Debian's `xmllint --schema`), so the tests need nothing beyond `npm ci`. The
 * SAF-T XSDs' identity constraints are inert in libxml2: this checks structure and facets.
 */
export async function validateAgainstXsd(xmlPath: string, xsdPath: string): Promise<{ ok: boolean; output: string }> {
  const [xml, xsd] = await Promise.all([readFile(xmlPath), readFile(xsdPath)]);
  const result = await validateXML({
    xml: { fileName: basename(xmlPath), contents: xml },
    schema: { fileName: basename(xsdPath), contents: xsd },
    maxMemoryPages: memoryPages.GiB,
  });
  return { ok: result.valid, output: result.rawOutput };
}
