/**
 * Turns what the user typed into a download URL: https URLs as they are (http only on loopback, for
 * local mirrors and tests), and Hugging Face URIs the way node-llama-cpp resolves them (its parser is
 * not exported): `hf:user/repo/path/file.gguf[#branch]` maps to a URL offline; `hf:user/repo[:quant]`
 * needs the Hugging Face manifest API, so it fails with a clear message when offline.
 */
import os from 'node:os';
import { posix } from 'node:path';
import { AppError } from '@shared/contract/errors';
import { type HttpRequest, type HttpResponse, isAllowedDownloadUrl, nodeHttpRequest, readText } from './downloader-http';

export interface ResolvedDownload {
  url: string;
  /** The name the file gets in the models folder. */
  fileName: string;
  /** The URI the user gave (kept in the sidecar so a resume after restart uses the same source). */
  source: string;
}

const HF_PREFIXES = ['hf://', 'huggingface://', 'hf:', 'huggingface:', 'hf.co/', 'huggingface.co/'];

/** The error's system code (node:http puts it on the error, wrapped errors on their cause), if any. */
function errorCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

export function isOfflineError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && ['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNREFUSED', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'].includes(code);
}

/** A machine with no non-loopback interface is offline (the same test as the status bar's in plain Node). */
export function machineHasNetwork(): boolean {
  return Object.values(os.networkInterfaces()).some((list) => list?.some((a) => !a.internal));
}

/**
 * Why a host cannot be reached, blaming this computer's network only when it really is offline: a name
 * that does not resolve or a server that does not answer is that host's problem, not "you are offline".
 */
export function unreachableReason(host: string, error: unknown, online: boolean): string {
  const code = networkErrorCode(error);
  if (!online) return `${host} cannot be reached (${code}): this computer is offline`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host} cannot be found (${code}): its name does not resolve from this network`;
  return `${host} cannot be reached (${code}): it does not answer from this network`;
}

export function networkErrorCode(error: unknown): string {
  const code = errorCode(error);
  if (code !== null) return code;
  return error instanceof Error ? error.message : String(error);
}

export function fileNameFromUrl(url: string): string | null {
  const last = posix.basename(new URL(url).pathname);
  const decoded = (() => {
    try {
      return decodeURIComponent(last);
    } catch {
      return last;
    }
  })();
  return /\.gguf$/i.test(decoded) && !/[/\\]/.test(decoded) ? decoded : null;
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION', `"${raw}" is not a URL (use https://… or hf:user/repo/file.gguf).`);
  }
  if (isAllowedDownloadUrl(url)) return url;
  throw new AppError('VALIDATION', 'Only https:// URLs (and hf: URIs) can be downloaded.');
}

async function resolveHfTag(user: string, model: string, tag: string, endpoint: string, request: HttpRequest, signal: AbortSignal | undefined, online: () => boolean): Promise<string> {
  const uri = `hf:${user}/${model}${tag ? `:${tag}` : ''}`;
  const manifestUrl = `${endpoint}v2/${encodeURIComponent(user)}/${encodeURIComponent(model)}/manifests/${encodeURIComponent(tag || 'latest')}`;
  let response: HttpResponse;
  try {
    // The "llama-cpp" user agent makes Hugging Face include the ggufFile field (as node-llama-cpp does).
    response = await request(manifestUrl, { headers: { 'User-Agent': 'llama-cpp', Accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'The download was cancelled.');
    if (error instanceof AppError) throw error;
    throw new AppError('UNAVAILABLE', `Resolving ${uri} needs the Hugging Face API: ${unreachableReason(new URL(endpoint).host, error, online())}. Try again later, or use a full file URI such as hf:${user}/${model}/<file>.gguf.`);
  }
  if (response.status < 200 || response.status > 299) {
    response.body.destroy();
    if (response.status === 404 || response.status === 400) throw new AppError('NOT_FOUND', `Hugging Face has no GGUF "${tag || 'latest'}" for ${user}/${model}.`);
    throw new AppError('UNAVAILABLE', `Hugging Face answered HTTP ${response.status} when resolving ${uri}.`);
  }
  const text = await readText(response.body).catch(() => null);
  if (text === null && signal?.aborted) throw new AppError('CANCELLED', 'The download was cancelled.');
  const body = (() => {
    try {
      return JSON.parse(text ?? '') as { ggufFile?: { rfilename?: unknown } } | null;
    } catch {
      return null;
    }
  })();
  const file = body?.ggufFile?.rfilename;
  if (typeof file !== 'string' || file === '') throw new AppError('UNAVAILABLE', `Hugging Face returned no GGUF file for ${uri}.`);
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}${encodeURIComponent(user)}/${encodeURIComponent(model)}/resolve/main/${path}?download=true`;
}

export async function resolveDownload(
  input: string,
  options: { fileName?: string; hfEndpoint?: string; request?: HttpRequest; signal?: AbortSignal; isOnline?: () => boolean } = {},
): Promise<ResolvedDownload> {
  const endpoint = (options.hfEndpoint ?? 'https://huggingface.co/').replace(/\/?$/, '/');
  const request = options.request ?? nodeHttpRequest;
  const prefix = HF_PREFIXES.find((p) => input.startsWith(p));
  let url: string;
  if (prefix) {
    const [user = '', model = '', ...rest] = input.slice(prefix.length).split('/');
    let path = rest.join('/');
    if (user === '' || model === '') throw new AppError('VALIDATION', `"${input}" is not a Hugging Face URI (hf:user/repo/file.gguf or hf:user/repo:Q4_K_M).`);
    if (path === '' || model.includes(':')) {
      const [repo = '', ...tagParts] = model.split(':');
      url = await resolveHfTag(user, repo, tagParts.join(':').trim(), endpoint, request, options.signal, options.isOnline ?? machineHasNetwork);
    } else {
      let branch = 'main';
      const hash = path.indexOf('#');
      if (hash >= 0) {
        branch = path.slice(hash + 1) || 'main';
        path = path.slice(0, hash);
      }
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      url = `${endpoint}${encodeURIComponent(user)}/${encodeURIComponent(model)}/resolve/${encodeURIComponent(branch)}/${encoded}?download=true`;
    }
  } else {
    url = checkUrl(input).href;
  }
  checkUrl(url);
  const fileName = options.fileName ?? fileNameFromUrl(url);
  if (!fileName || !/\.gguf$/i.test(fileName) || /[/\\]/.test(fileName) || fileName.startsWith('.')) {
    throw new AppError('VALIDATION', 'Give the download a file name ending in .gguf (the URL does not end in one).');
  }
  return { url, fileName, source: input };
}
