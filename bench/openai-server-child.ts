/**
 * The benchmark's OpenAI-compatible server in its own process (the loopback test server), so its
 * pacing does not share an event loop with the clients being measured. Started by llm-endpoint.bench-lib.ts.
 */
import { startOpenAiServer, type ServerMode } from '../test/helpers/openai-server';

const server = await startOpenAiServer();
process.on('message', (message) => {
  const request = message as { cmd: 'mode'; mode: ServerMode } | { cmd: 'exit' };
  if (request.cmd === 'mode') {
    server.setMode(request.mode);
    process.send?.({ ok: true });
  } else {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ baseUrl: server.baseUrl });
