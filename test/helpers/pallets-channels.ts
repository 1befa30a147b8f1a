import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { RequestChannel, RequestInput, RequestOutput } from '@shared/contract';
import type { Core } from '@main/composition/create-core';

/**
 * Calling the pallet channels from tests exactly as the renderer does (the dispatcher validates inputs
 * and outputs against the contract).
 */
export async function call<C extends RequestChannel>(core: Core, channel: C, input: RequestInput<C>): Promise<RequestOutput<C>> {
  const result = await core.call(channel, input);
  if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), { code: result.error.code });
  return result.value as RequestOutput<C>;
}

export async function callError(core: Core, channel: RequestChannel, input: unknown): Promise<{ code: string; message: string }> {
  const result = await core.call(channel, input);
  expect(result.ok, `${channel} should fail`).toBe(false);
  return result.ok ? { code: 'NONE', message: '' } : result.error;
}

let uploads = 0;

/** Uploads a file through files:uploadChunk in chunks of `chunkBytes`, as the import wizard does. */
export async function upload(core: Core, file: string, chunkBytes = 64 * 1024): Promise<{ uploadId: string; fileName: string }> {
  const bytes = fs.readFileSync(file);
  const uploadId = `test-upload-${process.pid}-${++uploads}`;
  const fileName = path.basename(file);
  const total = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  for (let index = 0; index < total; index++) {
    const data = bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString('base64');
    await call(core, 'files:uploadChunk', { uploadId, fileName, index, total, data });
  }
  return { uploadId, fileName };
}

let requests = 0;
export const rid = (label = 'req') => `${label}-${++requests}`;

/** Upload → open → preview → import with the previewed mapping. */
export async function importFile(core: Core, file: string, extra: Partial<RequestInput<'pallets:import'>> = {}) {
  const source = await upload(core, file);
  const opened = await call(core, 'pallets:open', { requestId: rid('open'), source });
  const preview = await call(core, 'pallets:preview', { requestId: rid('preview'), fileId: opened.fileId, ...(extra.sheet !== undefined ? { sheet: extra.sheet } : {}), ...(extra.supplier !== undefined ? { supplier: extra.supplier } : {}) });
  const imported = await call(core, 'pallets:import', { requestId: rid('import'), fileId: opened.fileId, name: path.basename(file), mapping: preview.mapping, ...extra });
  await call(core, 'pallets:close', { fileId: opened.fileId });
  return { source, opened, preview, imported };
}

/** Every line of an analysis in row order, through the windowed channel. */
export async function allLines(core: Core, analysisId: string, filter?: RequestInput<'pallets:lines'>['filter'], sort?: RequestInput<'pallets:lines'>['sort']) {
  const out: RequestOutput<'pallets:lines'>['lines'] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call(core, 'pallets:lines', { analysisId, offset, limit: 1000, ...(filter ? { filter } : {}), ...(sort ? { sort } : {}) });
    out.push(...page.lines);
    if (out.length >= page.total || page.lines.length === 0) return out;
  }
}
