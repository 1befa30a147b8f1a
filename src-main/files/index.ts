import { filesRequests } from '@shared/contract/files';
import type { HandlersOf } from '../core/dispatch';
import { appendUploadChunk, discardUpload, readDownloadChunk, transferDirs } from './file-transfer';
import { cleanTransferDirs } from './transfer-cleanup';

export interface FilesContext {
  /** Uploads and exports live in folders under the data folder. */
  dataDir: string;
}

export interface FilesFeature {
  handlers: HandlersOf<typeof filesRequests>;
}

/** Chunked file transfer between the renderer and the data folder (uploads in, exports out). */
export function createFilesFeature(ctx: FilesContext): FilesFeature {
  const dirs = transferDirs(ctx.dataDir);
  // Start-up sweep of old uploads and exports (bounded by age and size; see transfer-cleanup.ts).
  cleanTransferDirs(dirs);
  return {
    handlers: {
      'files:uploadChunk': (input) => appendUploadChunk(dirs, input),
      'files:discardUpload': ({ uploadId }) => {
        discardUpload(dirs, uploadId);
        return { ok: true as const };
      },
      'files:downloadChunk': (input) => readDownloadChunk(dirs, input),
    },
  };
}

// The pallets feature reads completed uploads and writes exports into the same folders.
export { completedUpload, safeFileName, transferDirs, type TransferDirs } from './file-transfer';
