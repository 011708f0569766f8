// Bundles the Photoshop panel (plugin/) into dist/plugin/, the folder UXP Developer Tool loads and
// `npm run package` zips into a .ccx. UXP provides photoshop/uxp/fs/os through require(), so they stay
// external; everything else goes into ONE bundle because UXP loads a single script from index.html.
const path = require('node:path');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');

const swcOptions = {
  jsc: {
    target: 'es2020',
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic' } },
  },
};

/** Shared by the browser test harness (test/plugin/browser/webpack.config.js), which swaps the externals for fakes. */
function pluginRules() {
  return [{ test: /\.[jt]sx?$/, exclude: /node_modules/, use: { loader: 'swc-loader', options: swcOptions } }];
}

module.exports = (env, argv) => ({
  mode: argv.mode ?? 'production',
  entry: path.join(__dirname, 'plugin', 'index.tsx'),
  output: { path: path.join(__dirname, 'dist', 'plugin'), filename: 'index.js', clean: true },
  // No eval source maps: the manifest forbids code generation from strings.
  devtool: false,
  target: 'web',
  resolve: { extensions: ['.tsx', '.ts', '.js'] },
  module: { rules: pluginRules() },
  externals: { photoshop: 'commonjs2 photoshop', uxp: 'commonjs2 uxp', fs: 'commonjs2 fs', os: 'commonjs2 os' },
  externalsType: 'commonjs2',
  plugins: [
    new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
    new CopyPlugin({
      patterns: [
        { from: 'manifest.json' },
        { from: 'plugin/index.html' },
        { from: 'plugin/styles.css' },
        { from: 'plugin/icons', to: 'icons' },
      ],
    }),
  ],
  performance: { hints: false },
});

module.exports.pluginRules = pluginRules;
