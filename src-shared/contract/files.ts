import { z } from 'zod';
import { request } from './define';
import { FILE_LIMITS } from './limits';

/**
 * Moving files between the page and the main process in chunks, so that both transports (Electron IPC
 * and the headless WebSocket) carry big spreadsheets and exports the same way, with progress, and no
 * single message is huge. Uploads land in the data folder's `uploads/`; downloads read only files the
 * app itself wrote under `exports/`.
 */
const Base64Chunk = z.string().max(FILE_LIMITS.base64ChunkChars).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
export const UploadId = z.string().min(8).max(64).regex(/^[A-Za-z0-9-]{8,64}$/, 'invalid upload id');
export const FileName = z.string().min(1).max(FILE_LIMITS.fileNameChars);

export const filesRequests = {
  'files:uploadChunk': request(
    z.object({ uploadId: UploadId, fileName: FileName, index: z.number().int().min(0).max(100_000), total: z.number().int().min(1).max(100_000), data: Base64Chunk }).strict(),
    z.object({ received: z.number().int(), bytes: z.number().int(), complete: z.boolean() }),
    'Append one chunk (≤1.5 MB decoded, in order) of a file the user picked',
  ),
  'files:discardUpload': request(z.object({ uploadId: UploadId }).strict(), z.object({ ok: z.literal(true) }), 'Delete an upload that is no longer needed'),
  'files:downloadChunk': request(
    z.object({ downloadId: z.string().min(1).max(300), offset: z.number().int().min(0), length: z.number().int().min(1).max(FILE_LIMITS.chunkBytes) }).strict(),
    z.object({ data: z.string(), offset: z.number().int(), bytes: z.number().int(), size: z.number().int(), done: z.boolean() }),
    'Read a chunk of a file the app produced (an export) as base64',
  ),
} as const;


export const filesEvents = {} as const;
