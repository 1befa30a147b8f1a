import fs from 'node:fs';
import path from 'node:path';

export function readAppVersion(appRoot: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
