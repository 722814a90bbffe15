// Compiles every page the way `evidence build` does up to Svelte (Evidence's Markdown
// preprocessor, then the Svelte compiler), without running any query: the real build needs
// the internet (DuckDB-WASM fetches its parquet extension), this check does not. It catches
// Markdown, Svelte and template mistakes; the queries themselves are tested from the root
// project (test/reports/evidence-queries.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compile, preprocess } from 'svelte/compiler';
import evidencePreprocess from '@evidence-dev/preprocess';

// Components Evidence injects into every page at build time: core-components' .svelte files.
const injected = new Set(['QueryViewer']);
const collect = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path);
    else if (name.endsWith('.svelte')) injected.add(name.slice(0, -'.svelte'.length));
  }
};
collect('node_modules/@evidence-dev/core-components/dist');

const pages = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.md')) pages.push(path);
  }
};
walk('pages');

let failed = 0;
for (const page of pages.sort()) {
  // Evidence's route: pages/a/b.md and pages/a/b/index.md are .evidence/template/src/pages/a/b/+page.md.
  const route = relative('pages', page).replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '/');
  const filename = join(process.cwd(), '.evidence/template/src/pages', route, '+page.md');
  try {
    const { code } = await preprocess(readFileSync(page, 'utf8'), evidencePreprocess(true), { filename });
    const { warnings } = compile(code, { generate: 'ssr', filename: page });
    const undefinedNames = warnings
      .map((w) => /^'(\w+)' is not defined/.exec(w.message)?.[1])
      .filter((name) => name !== undefined && !injected.has(name));
    if (undefinedNames.length > 0) throw new Error(`not defined: ${[...new Set(undefinedNames)].join(', ')}`);
    console.log(`ok   ${page}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${page}: ${error.message}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
