// Process entry point of the CLI (bin/sealbox.js runs the compiled copy of this file).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
