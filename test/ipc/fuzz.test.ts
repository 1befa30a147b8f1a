import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestChannels, requests } from '@shared/contract';
import { createTempCore } from '../helpers/temp-core';

/** Unwraps optional / nullable / default wrappers to reach the field's own type. */
function baseType(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else break;
  }
  return current;
}

const HUGE = 'x'.repeat(3_000_000);
const logs: string[] = [];
const core = createTempCore({ logs });
afterAll(() => core.close());

describe('IPC fuzz: every channel answers invalid payloads with a validation error', () => {
  it.each(requestChannels)('%s', async (channel) => {
    const notObjects: unknown[] = [null, 42, 'text', true, [], [1, 2], HUGE];
    for (const payload of notObjects) {
      const result = await core.call(channel, payload);
      expect(result, `payload ${JSON.stringify(payload).slice(0, 20)}`).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }

    const input = requests[channel].input;
    if (input instanceof z.ZodObject) {
      const shape = input.shape as Record<string, z.ZodType>;
      for (const [key, field] of Object.entries(shape)) {
        const type = baseType(field);
        // Every string in the contract must be bounded: a multi-megabyte paste is refused at the door.
        if (type instanceof z.ZodString) {
          expect(type.maxLength, `${channel}.${key} has no maximum length`).not.toBeNull();
          const result = await core.call(channel, { [key]: HUGE });
          expect(result, `${key} accepted a 3 MB string`).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
        }
        if (type instanceof z.ZodNumber || type instanceof z.ZodString || type instanceof z.ZodEnum || type instanceof z.ZodBoolean) {
          const result = await core.call(channel, { [key]: { nested: [1, 2, 3] } });
          expect(result, `${key} accepted an object`).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
        }
      }
    }

    // Prototype pollution keys are inert: never INTERNAL, never polluting Object.prototype.
    const polluted = [
      JSON.parse('{"__proto__": {"polluted": "yes"}}'),
      JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
      JSON.parse('{"prototype": {"polluted": "yes"}, "__proto__": null}'),
    ] as unknown[];
    for (const payload of polluted) {
      const result = await core.call(channel, payload);
      if (!result.ok) expect(result.error.code).not.toBe('INTERNAL');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }

    // Still alive and answering.
    await expect(core.call('system:status', {})).resolves.toMatchObject({ ok: true });
  });

  it('refuses unknown channels, including prototype names', async () => {
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 42, null, { channel: 'settings:get' }]) {
      await expect(core.call(channel, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('never leaks a stack trace in an error message', async () => {
    const result = await core.call('settings:update', { language: 'xx' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).not.toMatch(/\n\s+at /);
      expect(result.error.message).toMatch(/language/);
    }
  });
});
