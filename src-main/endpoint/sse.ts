/**
 * Server-sent events, just enough for OpenAI-style streams: `data:` lines joined per event, events
 * ended by a blank line; comments (`:`), `event:`, `id:` and `retry:` fields are ignored. Chunks may
 * split a line (or a UTF-8 sequence, which the caller's decoder handles) anywhere.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];

  /** Feeds text; returns the data of every event completed by it. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let newline = this.buffer.search(/\r\n|\r|\n/);
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (this.buffer[newline] === '\r' && width === 1 && newline === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(newline + width);
      if (line === '') {
        if (this.data.length > 0) events.push(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      newline = this.buffer.search(/\r\n|\r|\n/);
    }
    return events;
  }
}
