// src-shared compiles without DOM and Node types (tsconfig.shared.json), so that neither `localStorage`
// nor `setImmediate` slips in. This declares the few globals every runtime it runs in has (the main
// process, worker threads, the renderer): Web Crypto's random bytes. Only the shared layer's own check
// reads this file; the other configs get the same global from their DOM or Node types.
declare var crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
};
