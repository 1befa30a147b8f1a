#!/usr/bin/env node
// `fieldmate` bin entry: runs the CLI from its TypeScript sources through tsx (shipped as a
// dependency of the development checkout), forwarding arguments, stdio and the exit code.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli/main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.cwd(),
  // tsx looks for tsconfig.json (the @shared/@main aliases) in the working folder unless told where it
  // is; the env reaches the model child and the worker threads too.
  env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
});
process.exit(result.status ?? 1);
