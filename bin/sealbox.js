#!/usr/bin/env node
// The `sealbox` command: runs the compiled CLI (npm ci builds it through the "prepare" script).
await import('../dist/cli/bin.js');
