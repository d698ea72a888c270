#!/usr/bin/env node
// The `sealbox` command: runs the compiled CLI (npm ci builds it through the "prepare" script).
import { main } from '../dist/server/cli.js';

const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
