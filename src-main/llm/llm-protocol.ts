/**
 * Messages between the host (main process) and the model child. Plain JSON-able objects, so the same
 * protocol runs over `child_process.fork` (process.send) and Electron's utilityProcess (parentPort /
 * postMessage): each side only needs a tiny adapter (see `connectToParent` and `ChildSpawner`).
 */
import { z } from 'zod';
import { ErrorCode } from '@shared/contract/errors';
import { GpuLayers } from '@shared/contract/models';
import { ChatMessage } from '@shared/contract/llm';

export const Sampling = z.object({
  maxTokens: z.number().int().min(1),
  temperature: z.number().min(0).optional(),
  topK: z.number().int().min(0).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().min(0).optional(),
});
export type Sampling = z.infer<typeof Sampling>;

export const LoadParams = z.object({
  path: z.string().min(1),
  contextSize: z.number().int().min(16),
  gpuLayers: GpuLayers,
  threads: z.number().int().min(1),
  sequences: z.number().int().min(2),
});
export type LoadParams = z.infer<typeof LoadParams>;

export const ChatParams = z.object({
  conversationId: z.string().min(1),
  systemPrompt: z.string().optional(),
  history: z.array(ChatMessage),
  message: z.string(),
  sampling: Sampling,
});
export type ChatParams = z.infer<typeof ChatParams>;

export const CompleteParams = z.object({ prompt: z.string(), sampling: Sampling });
export type CompleteParams = z.infer<typeof CompleteParams>;

export const JsonParams = z.object({
  prompt: z.string(),
  systemPrompt: z.string().optional(),
  /** Already reduced to the subset node-llama-cpp's grammar understands. */
  grammarSchema: z.record(z.string(), z.unknown()),
  sampling: Sampling,
});
export type JsonParams = z.infer<typeof JsonParams>;

export const EmbedParams = z.object({ texts: z.array(z.string()).min(1) });
export const FitParams = z.object({ path: z.string().min(1), contextSize: z.number().int().min(16), gpuLayers: GpuLayers, threads: z.number().int().min(1) });
export const DropParams = z.object({ conversationId: z.string().min(1) });
export const Nothing = z.object({});

export const opParams = {
  load: LoadParams,
  unload: Nothing,
  chat: ChatParams,
  complete: CompleteParams,
  json: JsonParams,
  embed: EmbedParams,
  fit: FitParams,
  dropConversation: DropParams,
} as const;
export type ChildOp = keyof typeof opParams;
export const ChildOpName = z.enum(Object.keys(opParams) as [ChildOp, ...ChildOp[]]);

export const HostToChild = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.string(), op: ChildOpName, params: z.unknown() }),
  z.object({ type: z.literal('cancel'), id: z.string() }),
]);
export type HostToChild = z.infer<typeof HostToChild>;

export const ChildToHost = z.union([
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('result'), id: z.string(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.string(), ok: z.literal(false), error: z.object({ code: ErrorCode, message: z.string() }) }),
  z.object({ type: z.literal('delta'), id: z.string(), text: z.string() }),
  /** How far a call has come (0..1); only a load reports it, for the status bar. */
  z.object({ type: z.literal('progress'), id: z.string(), fraction: z.number().min(0).max(1) }),
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
]);
export type ChildToHost = z.infer<typeof ChildToHost>;

/** The child's side of the channel: a forked Node process or an Electron utility process. */
export interface ParentChannel {
  send(message: ChildToHost): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent(): ParentChannel {
  // Electron's utilityProcess exposes process.parentPort (absent from Node's types).
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  const send = process.send?.bind(process);
  if (send) {
    return {
      send: (message) => {
        // After the parent went away there is nobody to tell; the disconnect handler exits.
        if (process.connected) send(message);
      },
      onMessage: (listener) => process.on('message', listener),
    };
  }
  throw new Error('The model child must run as a child process (child_process.fork or utilityProcess).');
}
