import { commands } from './commands';
import { runCli } from './run-cli';

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());

const code = await runCli(process.argv.slice(2), commands, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}, controller.signal);
process.exitCode = code;
