import { Bounds, planEdit, type EditPlanInput } from '../../../companion-server/engine/geometry';

const sd15 = { nativeSize: 512, vaeScaleFactor: 8 };
const tiny = { nativeSize: 256, vaeScaleFactor: 8 };

interface Case {
  name: string;
  input: EditPlanInput;
  context: [left: number, top: number, width: number, height: number];
  processing: [width: number, height: number];
}

const cases: Case[] = [
  {
    name: 'a small selection in the middle of an 8000x6000 canvas gets canvas-relative padding (8000/16 = 500)',
    input: { canvas: { width: 8000, height: 6000 }, selection: { left: 4000, top: 3000, width: 200, height: 100 }, context: { kind: 'auto' }, model: sd15 },
    context: [3500, 2500, 1200, 1100],
    processing: [512, 512],
  },
  {
    name: 'a large selection on an 8000x6000 canvas is padded by half its mean side',
    input: { canvas: { width: 8000, height: 6000 }, selection: { left: 2000, top: 1000, width: 3000, height: 2000 }, context: { kind: 'auto' }, model: sd15 },
    context: [750, 0, 5500, 4250],
    processing: [576, 448],
  },
  {
    name: 'a selection at the canvas corner is clamped to the canvas',
    input: { canvas: { width: 8000, height: 6000 }, selection: { left: 0, top: 0, width: 100, height: 100 }, context: { kind: 'auto' }, model: sd15 },
    context: [0, 0, 600, 600],
    processing: [512, 512],
  },
  {
    name: 'a tiny selection on a 1024x1024 canvas grows to the native size around its centre',
    input: { canvas: { width: 1024, height: 1024 }, selection: { left: 500, top: 500, width: 20, height: 20 }, context: { kind: 'auto' }, model: sd15 },
    context: [254, 254, 512, 512],
    processing: [512, 512],
  },
  {
    name: 'the native-size window shifts to stay inside the canvas near an edge',
    input: { canvas: { width: 1024, height: 1024 }, selection: { left: 1000, top: 10, width: 20, height: 20 }, context: { kind: 'auto' }, model: sd15 },
    context: [512, 0, 512, 512],
    processing: [512, 512],
  },
  {
    name: 'a canvas smaller than the native size is used whole and scaled up to the native area',
    input: { canvas: { width: 64, height: 64 }, selection: { left: 10, top: 10, width: 8, height: 8 }, context: { kind: 'auto' }, model: tiny },
    context: [0, 0, 64, 64],
    processing: [256, 256],
  },
  {
    name: 'whole-image on 8000x6000 is scaled down to the native area with the aspect ratio kept',
    input: { canvas: { width: 8000, height: 6000 }, selection: { left: 10, top: 10, width: 8, height: 8 }, context: { kind: 'whole-image' }, model: sd15 },
    context: [0, 0, 8000, 6000],
    processing: [576, 448],
  },
  {
    name: 'a model that takes any multiple of 8 gets the closest multiple of 8',
    input: { canvas: { width: 8000, height: 6000 }, selection: { left: 10, top: 10, width: 8, height: 8 }, context: { kind: 'whole-image' }, model: sd15, sizeMultiple: 8 },
    context: [0, 0, 8000, 6000],
    processing: [592, 440],
  },
  {
    name: 'bounding-box uses the tight selection',
    input: { canvas: { width: 8000, height: 6000 }, selection: { left: 100, top: 200, width: 300, height: 300 }, context: { kind: 'bounding-box' }, model: sd15 },
    context: [100, 200, 300, 300],
    processing: [512, 512],
  },
  {
    name: 'explicit padding in pixels is applied and clamped',
    input: { canvas: { width: 1000, height: 1000 }, selection: { left: 20, top: 400, width: 100, height: 100 }, context: { kind: 'padding', pixels: 50 }, model: sd15 },
    context: [0, 350, 170, 200],
    processing: [448, 576],
  },
  {
    name: 'the mask margin (grow + feather) widens the selection before padding',
    input: { canvas: { width: 1000, height: 1000 }, selection: { left: 400, top: 400, width: 100, height: 100 }, maskMargin: 10, context: { kind: 'bounding-box' }, model: sd15 },
    context: [390, 390, 120, 120],
    processing: [512, 512],
  },
  {
    name: 'only the available pixels are used when the caller holds a part of the canvas',
    input: {
      canvas: { width: 8000, height: 6000 },
      available: { left: 3000, top: 2000, width: 1000, height: 1000 },
      selection: { left: 3400, top: 2400, width: 200, height: 200 },
      context: { kind: 'auto' },
      model: sd15,
    },
    context: [3000, 2000, 1000, 1000],
    processing: [512, 512],
  },
  {
    name: 'a generated trajectory fixes the context to the available pixels and the processing size',
    input: {
      canvas: { width: 2000, height: 2000 },
      available: { left: 100, top: 100, width: 512, height: 768 },
      selection: { left: 200, top: 200, width: 50, height: 50 },
      context: { kind: 'auto' },
      model: sd15,
      fixedProcessingSize: { width: 512, height: 768 },
    },
    context: [100, 100, 512, 768],
    processing: [512, 768],
  },
];

describe('planEdit', () => {
  it.each(cases)('$name', ({ input, context, processing }) => {
    const plan = planEdit(input);
    expect([plan.context.left, plan.context.top, plan.context.width, plan.context.height]).toEqual(context);
    expect([plan.processing.width, plan.processing.height]).toEqual(processing);
    expect(plan.processing.width % (input.sizeMultiple ?? 64)).toBe(0);
    expect(plan.processing.height % (input.sizeMultiple ?? 64)).toBe(0);
    expect(plan.latent.width * 8).toBe(plan.processing.width);
    expect(plan.latent.height * 8).toBe(plan.processing.height);
    expect(plan.scale.x).toBeCloseTo(plan.processing.width / plan.context.width);
  });

  it.each(cases.filter((c) => !c.input.available && !c.input.fixedProcessingSize))(
    'planning again on the crop it chose gives the same crop: $name',
    ({ input }) => {
      const first = planEdit(input);
      expect(planEdit({ ...input, available: first.context }).context.equals(first.context)).toBe(true);
    },
  );

  describe('keeping the previous context crop (its trajectory is cached)', () => {
    const base: EditPlanInput = {
      canvas: { width: 8000, height: 6000 },
      selection: { left: 4000, top: 3000, width: 200, height: 100 },
      context: { kind: 'auto' },
      model: sd15,
    };
    const previous = planEdit(base).context;

    it.each([
      ['a new selection inside the previous crop keeps it', { selection: { left: 3600, top: 2600, width: 50, height: 50 } }, true],
      ['a selection reaching outside the previous crop gets a new one', { selection: { left: 4600, top: 3000, width: 200, height: 100 } }, false],
      ['a selection whose margin reaches outside gets a new one', { selection: { left: 3510, top: 2600, width: 50, height: 50 }, maskMargin: 20 }, false],
      ['an explicit context option ignores the previous crop', { selection: { left: 3600, top: 2600, width: 50, height: 50 }, context: { kind: 'bounding-box' } }, false],
      ['a previous crop beyond the available pixels is dropped', { selection: { left: 3600, top: 2600, width: 50, height: 50 }, available: { left: 3550, top: 2550, width: 500, height: 500 } }, false],
    ] as const)('%s', (_name, change, kept) => {
      const plan = planEdit({ ...base, ...change, previousContext: previous } as EditPlanInput);
      expect(plan.context.equals(previous)).toBe(kept);
      expect(plan.context.contains(Bounds.from(change.selection))).toBe(true);
    });
  });

  it('places the selection inside the context crop and the latent grid', () => {
    const plan = planEdit({
      canvas: { width: 8000, height: 6000 },
      selection: { left: 4000, top: 3000, width: 200, height: 100 },
      context: { kind: 'auto' },
      model: sd15,
    });
    expect(plan.selectionInContext.equals(new Bounds(500, 500, 200, 100))).toBe(true);
    const latent = plan.selectionInLatent;
    expect(latent.left).toBe(Math.floor((500 * plan.scale.x) / 8));
    expect(latent.right).toBe(Math.ceil((700 * plan.scale.x) / 8));
    expect(Bounds.ofExtent(plan.latent).contains(latent)).toBe(true);
  });

  it.each([
    ['an empty selection', { selection: { left: 0, top: 0, width: 0, height: 0 } }, /mask is empty/],
    ['a selection outside the canvas', { selection: { left: 5000, top: 0, width: 10, height: 10 } }, /mask is empty/],
    ['available pixels outside the canvas', { available: { left: 2000, top: 0, width: 10, height: 10 } }, /outside the 1000x1000 canvas/],
    ['a negative padding', { context: { kind: 'padding', pixels: -3 } }, /padding must be/],
    ['a processing size off the VAE grid', { fixedProcessingSize: { width: 100, height: 64 } }, /multiple of 8/],
  ] as const)('refuses %s with a sentence naming it', (_name, override, message) => {
    const base: EditPlanInput = {
      canvas: { width: 1000, height: 1000 },
      selection: { left: 10, top: 10, width: 10, height: 10 },
      context: { kind: 'auto' },
      model: sd15,
    };
    expect(() => planEdit({ ...base, ...override } as EditPlanInput)).toThrow(message);
  });
});

describe('Bounds', () => {
  it('relativeTo and offsetBy are inverses', () => {
    const b = new Bounds(30, 40, 5, 6);
    const origin = new Bounds(10, 10, 100, 100);
    expect(b.relativeTo(origin).offsetBy(origin).equals(b)).toBe(true);
  });

  it('is immutable', () => {
    const b = new Bounds(1, 2, 3, 4);
    expect(() => {
      (b as { left: number }).left = 5;
    }).toThrow();
  });
});
