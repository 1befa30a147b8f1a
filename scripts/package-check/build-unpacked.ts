import fs from 'node:fs';
import path from 'node:path';
import { Arch, Platform, build } from 'electron-builder';
import { standInExecutable } from './fuses';

/**
 * Builds the unpacked Linux app folder (`electron-builder --dir`) from the already built out/ folder,
 * with electron-builder.yml as it is, except that the Electron runtime comes from a stand-in folder
 * made here: the real one cannot be downloaded on these machines. The stand-in executable carries
 * Electron's fuse wire with Electron's defaults, so the fuses electron-builder flips can be read back.
 */
export function makeStandInElectron(dir: string, version: string): string {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'electron'), standInExecutable(), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'version'), version);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'Stand-in for the Electron runtime (package check only).\n');
  return dir;
}

export function installedElectronVersion(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Returns the app folder (…/linux-unpacked). */
export async function buildUnpackedApp(root: string, electronDist: string, outputDir: string): Promise<string> {
  if (process.platform !== 'linux') throw new Error('The package check builds the Linux app folder and runs on Linux only.');
  const arch = process.arch === 'arm64' ? Arch.arm64 : Arch.x64;
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', arch),
    publish: 'never',
    config: {
      electronDist,
      electronVersion: installedElectronVersion(root),
      // better-sqlite3 13 is N-API and node-llama-cpp ships prebuilt binaries: nothing to rebuild.
      npmRebuild: false,
      directories: { output: outputDir },
    },
  });
  const appOutDir = path.join(outputDir, arch === Arch.arm64 ? 'linux-arm64-unpacked' : 'linux-unpacked');
  if (!fs.existsSync(appOutDir)) throw new Error(`electron-builder did not produce ${appOutDir}.`);
  return appOutDir;
}
