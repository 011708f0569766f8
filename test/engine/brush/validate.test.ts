import { validateBrushRequest } from '../../../companion-server/engine/brush/validate';
import { InvalidRequestError } from '../../../companion-server/engine/errors';
import type { BrushRequest } from '../../../companion-server/engine/jobs';
import { GENERATION, brushRequest, rectMask } from './tiny-brush';

const source = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) };
const mask = rectMask(64, 64, { left: 8, top: 8, width: 8, height: 8 });
const valid = (): BrushRequest => brushRequest(source, [{ mask, step: 2, strength: 0.8, seed: 1 }]);
const withMask = (change: Partial<BrushRequest['masks'][number]>) => (r: BrushRequest) => ({ ...r, masks: [{ ...r.masks[0], ...change }] });

const cases: [name: string, change: (r: BrushRequest) => BrushRequest, field: string, message: RegExp][] = [
  ['a mask of another size', withMask({ mask: rectMask(32, 64, { left: 0, top: 0, width: 4, height: 4 }) }), 'masks[0].mask', /32x64 but the source is 64x64/],
  ['a step below 0', withMask({ step: -1 }), 'masks[0].step', /from 0 to 4/],
  ['a step after the merge', withMask({ step: 5 }), 'masks[0].step', /from 0 to 4/],
  ['a fractional step', withMask({ step: 1.5 }), 'masks[0].step', /whole number/],
  ['a NaN strength', withMask({ strength: NaN }), 'masks[0].strength', /got NaN/],
  ['a negative strength', withMask({ strength: -0.1 }), 'masks[0].strength', /from 0 to/],
  ['an empty mask', withMask({ mask: rectMask(64, 64, { left: 0, top: 0, width: 0, height: 0 }) }), 'masks[0].mask', /empty/],
  ['a negative seed', withMask({ seed: -3 }), 'masks[0].seed', /whole number/],
  ['no masks', (r) => ({ ...r, masks: [] }), 'masks', /at least one mask/],
  ['too many variations', (r) => ({ ...r, variations: 99 }), 'variations', /from 1 to 8/],
  ['smoothing steps that leave nothing to regenerate', (r) => ({ ...r, smoothingSteps: 6 }), 'smoothingSteps', /from 0 to 5/],
  ['an unknown noise mode', (r) => ({ ...r, noiseMode: 'loud' as never }), 'noiseMode', /additive, variance-preserving/],
  ['an unknown scheduler', (r) => ({ ...r, scheduler: 'pndm' as never }), 'scheduler', /one of/],
  ['a source whose bytes do not match its size', (r) => ({ ...r, source: { width: 64, height: 64, data: new Uint8Array(10) } }), 'source', /RGBA image/],
  ['a source outside the canvas', (r) => ({ ...r, sourceOrigin: { left: 10, top: 0 }, canvasSize: { width: 64, height: 64 } }), 'canvasSize', /inside the canvas/],
  ['a negative feather', (r) => ({ ...r, featherPixels: -1 }), 'featherPixels', /from 0 to/],
  ['a negative context padding', (r) => ({ ...r, context: { kind: 'padding', pixels: -4 } }), 'context.pixels', />= 0/],
  [
    'a generated source of another size',
    (r) => ({ ...r, trajectory: { kind: 'generated', generation: { ...GENERATION, width: 128 } } }),
    'trajectory.generation',
    /was 128x64/,
  ],
  [
    'a negative generation seed',
    (r) => ({ ...r, trajectory: { kind: 'generated', generation: { ...GENERATION, seed: -1 } } }),
    'trajectory.generation.seed',
    /whole number/,
  ],
  ['a negative noise seed', (r) => ({ ...r, trajectory: { kind: 'noise', seed: -1 } }), 'trajectory.seed', /whole number/],
  ['steps that differ from the generation', (r) => ({ ...r, steps: 8 }), 'steps', /generated with 6/],
];

describe('validateBrushRequest', () => {
  it('accepts a valid request and returns each mask\'s bounding box', () => {
    expect(validateBrushRequest(valid(), 8).maskBounds.map(String)).toEqual(['8x8 at (8, 8)']);
  });

  it.each(cases)('refuses %s, naming the field and the fix', (_name, change, field, message) => {
    let error: unknown;
    try {
      validateBrushRequest(change(valid()), 8);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
  });
});
