#!/usr/bin/env node
// Runs the TypeScript sources through tsx so there is no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/formwork.ts');
process.exitCode = await runCli(process.argv.slice(2));
