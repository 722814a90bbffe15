#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step between a clone and a working CLI.
import { register } from 'tsx/esm/api';

// Output piped into a reader that stops early (`| head`) must not kill an import half-way:
// the run goes on unwatched and still ends in its summary and exit code.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});

register();
const { main } = await import('../cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
