import { TorchGenerator } from './torch-randn';

describe('the torch.randn reimplementation', () => {
  it('reproduces torch.manual_seed(0); torch.randn(4, 4)', () => {
    const values = Array.from(new TorchGenerator(0).randn([4, 4]).data);
    const torch = [-1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081, 0.1198, 1.2377, 1.1168, -0.2473];
    values.forEach((x, i) => expect(x).toBeCloseTo(torch[i], 4));
  });

  it('reproduces torch.manual_seed(0); torch.rand(1) through its uniforms', () => {
    expect(new TorchGenerator(0).rand()).toBeCloseTo(0.4963, 4);
  });

  it('continues the stream across calls, as one generator does', () => {
    const generator = new TorchGenerator(0);
    generator.randn([16]);
    const second = generator.randn([16]).data;
    const together = new TorchGenerator(0).randn([32]).data;
    expect(Array.from(second)).toEqual(Array.from(together.slice(16)));
  });

  it('redraws the last 16 values when the size is not a multiple of 16', () => {
    const whole = new TorchGenerator(0).randn([20]).data;
    const firstBlock = new TorchGenerator(0).randn([16]).data;
    expect(Array.from(whole.slice(0, 4))).toEqual(Array.from(firstBlock.slice(0, 4)));
    expect(whole[4]).not.toBe(firstBlock[4]);
  });

  it('refuses the small sizes torch draws with another algorithm', () => {
    expect(() => new TorchGenerator(0).randn([2, 3])).toThrow(/under 16 elements/);
  });
});
