/**
 * A device's sync in its own process, so a test can SIGKILL it mid-sync. Protocol (IPC messages):
 * parent → { file, target, stopAt?, skewMs, limits? }; child → { at: step } when it reaches `stopAt`
 * (then it waits to be killed), or { done: result } / { error: message } at the end.
 */
import { closeDatabase, openDatabase } from '@main/db/open';
import { connectServer, type ServerTarget } from '@main/sync/connection';
import type { SyncLimits, SyncStep } from '@main/sync/engine-context';
import { runSync } from '@main/sync/engine';

interface Job {
  file: string;
  target: ServerTarget;
  stopAt?: SyncStep;
  stopAfter?: number;
  skewMs: number;
  limits?: Partial<SyncLimits>;
}

process.once('message', (job: Job) => {
  void (async () => {
    const db = openDatabase(job.file);
    let seen = 0;
    try {
      const conn = await connectServer(job.target);
      const result = await runSync(db, conn, {
        now: () => Date.now() + job.skewMs,
        limits: job.limits,
        hooks: {
          step: async (step) => {
            if ((job.stopAt === undefined || step === job.stopAt) && ++seen === (job.stopAfter ?? 1)) {
              process.send?.({ at: step });
              await new Promise(() => undefined); // wait here to be killed
            }
          },
        },
      });
      await conn.close();
      process.send?.({ done: result });
    } catch (error) {
      process.send?.({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      closeDatabase(db);
      process.disconnect?.();
    }
  })();
});
