import type { Core } from '../core/create-core';
import type { HandlerTable } from '../core/dispatch';
import { appendUploadChunk, discardUpload, readDownloadChunk, transferDirs } from './file-transfer';

export function filesHandlers(core: Core): Pick<HandlerTable, 'files:uploadChunk' | 'files:discardUpload' | 'files:downloadChunk'> {
  const dirs = transferDirs(core.paths.dataDir);
  return {
    'files:uploadChunk': (input) => appendUploadChunk(dirs, input),
    'files:discardUpload': ({ uploadId }) => {
      discardUpload(dirs, uploadId);
      return { ok: true as const };
    },
    'files:downloadChunk': (input) => readDownloadChunk(dirs, input),
  };
}
