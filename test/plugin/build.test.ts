/**
 * `npm run build`: the production webpack config bundles the panel into one script with Photoshop's
 * modules left external, no eval source maps, and the manifest, page, styles and icons beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webpack from 'webpack';

const ROOT = path.join(__dirname, '..', '..');

let outputPath: string;
let bundle: string;

beforeAll(async () => {
  outputPath = mkdtempSync(path.join(tmpdir(), 'plugin-build-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const makeConfig = require(path.join(ROOT, 'webpack.config.js')) as (env: unknown, argv: { mode: string }) => webpack.Configuration;
  const base = makeConfig({}, { mode: 'production' });
  const config = { ...base, output: { ...base.output, path: outputPath } };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config, (error, result) => (error || !result ? reject(error ?? new Error('webpack gave no result')) : resolve(result))),
  );
  if (stats.hasErrors()) throw new Error(`The panel did not build:\n${stats.toString('errors-only')}`);
  bundle = readFileSync(path.join(outputPath, 'index.js'), 'utf8');
});

afterAll(() => rmSync(outputPath, { recursive: true, force: true }));

describe('the panel build', () => {
  it('is one script beside the manifest, page, styles and 1x/2x icons', () => {
    const files = readdirSync(outputPath, { recursive: true }).map(String).sort();
    expect(files.filter((file) => file.endsWith('.js'))).toEqual(['index.js']);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'index.html', 'styles.css', path.join('icons', 'panel@1x.png'), path.join('icons', 'panel@2x.png')]));
    expect(readFileSync(path.join(outputPath, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
  });

  it('leaves photoshop and uxp to Photoshop (required at run time, not bundled)', () => {
    expect(bundle).toContain('require("photoshop")');
    expect(bundle).toContain('require("uxp")');
  });

  it('has no eval source maps or source map references (the manifest forbids code generation from strings)', () => {
    expect(bundle).not.toMatch(/\beval\(/);
    expect(bundle).not.toContain('sourceMappingURL');
  });
});
