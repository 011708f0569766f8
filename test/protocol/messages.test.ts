import {
  MAX_JSON_TEXT_BYTES,
  MAX_MASKS,
  negotiateProtocolVersion,
  parseClientMessage,
  parseServerMessage,
  PROTOCOL_VERSION,
  utf8ByteLength,
  type ClientMessageInput,
} from '../../companion-server/protocol';

const brush: ClientMessageInput = {
  type: 'brush',
  id: 12,
  source: { imageId: 0 },
  masks: [{ mask: { imageId: 1 }, step: 3, strength: 0.8, seed: 42 }],
  prompt: 'a red apple',
  steps: 10,
  guidance: 7.5,
  scheduler: 'ddim',
  trajectory: { kind: 'invert' },
};

describe('client messages', () => {
  it('accept a minimal brush request and fill in the defaults', () => {
    const parsed = parseClientMessage(JSON.stringify(brush));
    expect(parsed).toMatchObject({
      ok: true,
      message: { negativePrompt: '', smoothingSteps: 2, noiseMode: 'additive', variations: 1, context: { kind: 'auto' }, previewEvery: 0 },
    });
  });

  it.each([
    ['a mask step at or past the last step', { masks: [{ mask: { imageId: 1 }, step: 10, strength: 1, seed: 1 }] }, /masks\.0\.step/],
    ['two images with one id', { masks: [{ mask: { imageId: 0 }, step: 1, strength: 1, seed: 1 }] }, /own imageId/],
    ['too many masks', { masks: Array.from({ length: MAX_MASKS + 1 }, (_, i) => ({ mask: { imageId: i + 1 }, step: 1, strength: 1, seed: 1 })) }, /masks/],
    ['an unknown scheduler', { scheduler: 'pndm' }, /scheduler/],
    ['a NaN-like strength', { masks: [{ mask: { imageId: 1 }, step: 1, strength: 'NaN', seed: 1 }] }, /strength/],
    ['a negative seed', { masks: [{ mask: { imageId: 1 }, step: 1, strength: 1, seed: -1 }] }, /seed/],
    ['an unknown trajectory source', { trajectory: { kind: 'guess' } }, /trajectory/],
  ])('refuse a brush with %s, naming the field and the request', (_name, change, field) => {
    const parsed = parseClientMessage(JSON.stringify({ ...brush, ...change }));
    expect(parsed).toMatchObject({ ok: false, code: 'MESSAGE_INVALID', requestId: 12 });
    if (!parsed.ok) expect(parsed.detail).toMatch(field);
  });

  it('refuse a client name with a line break (names are logged), and accept one with accents', () => {
    const pair = (clientName: string) => parseClientMessage(JSON.stringify({ type: 'pair', id: 3, code: '123-456-789', clientName }));
    expect(pair('Photoshop\n[error] forged line')).toMatchObject({ ok: false, code: 'MESSAGE_INVALID', requestId: 3 });
    expect(pair('a\u0007b')).toMatchObject({ ok: false, detail: expect.stringMatching(/control characters/) });
    expect(pair('Photoshop — Zoë')).toMatchObject({ ok: true });
  });

  it('refuse text that is not JSON without a request id', () => {
    expect(parseClientMessage('{"type":')).toMatchObject({ ok: false, code: 'MESSAGE_MALFORMED', requestId: null });
  });

  it('refuse an unknown message type', () => {
    expect(parseClientMessage('{"type":"format-disk","id":1}')).toMatchObject({ ok: false, code: 'MESSAGE_INVALID', requestId: 1 });
  });

  it('refuse text over the size limit before parsing it', () => {
    const text = JSON.stringify({ ...brush, prompt: 'x'.repeat(MAX_JSON_TEXT_BYTES) });
    expect(parseClientMessage(text)).toMatchObject({ ok: false, code: 'MESSAGE_TOO_LARGE' });
  });

  it('count UTF-8 bytes like an encoder', () => {
    for (const text of ['abc', 'é', '€', '😀', '\ud800x', 'a😀b€']) {
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});

describe('server messages', () => {
  it('validate an error answer with a stable code', () => {
    const text = JSON.stringify({ type: 'error', replyTo: 3, code: 'QUEUE_FULL', message: 'wait' });
    expect(parseServerMessage(text)).toMatchObject({ ok: true, message: { code: 'QUEUE_FULL' } });
    expect(parseServerMessage(text.replace('QUEUE_FULL', 'NOPE')).ok).toBe(false);
  });
});

describe('version negotiation', () => {
  it('picks the highest common version, or none', () => {
    expect(negotiateProtocolVersion(1, 99)).toBe(PROTOCOL_VERSION);
    expect(negotiateProtocolVersion(PROTOCOL_VERSION + 1, PROTOCOL_VERSION + 5)).toBeNull();
    expect(negotiateProtocolVersion(0, 0)).toBeNull();
  });
});
