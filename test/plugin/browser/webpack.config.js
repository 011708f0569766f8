// Bundles the panel test harness for Chromium: the plugin's own webpack rules, with 'photoshop' and
// 'uxp' resolved to the in-repo fakes instead of being left to Photoshop.
const path = require('node:path');
const CopyPlugin = require('copy-webpack-plugin');
const { pluginRules } = require('../../../webpack.config.js');

const ROOT = path.join(__dirname, '..', '..', '..');

module.exports = {
  mode: 'development',
  devtool: false,
  target: 'web',
  entry: path.join(__dirname, 'harness.tsx'),
  output: { path: path.join(ROOT, 'dist', 'panel-harness'), filename: 'harness.js', clean: true },
  resolve: {
    extensions: ['.tsx', '.ts', '.js'],
    alias: {
      photoshop$: path.join(__dirname, '..', 'fakes', 'photoshop', 'index.ts'),
      uxp$: path.join(__dirname, '..', 'fakes', 'uxp.ts'),
    },
  },
  module: { rules: pluginRules() },
  plugins: [
    new CopyPlugin({
      patterns: [
        { from: path.join(ROOT, 'plugin', 'styles.css') },
        { from: path.join(__dirname, 'harness.html') },
      ],
    }),
  ],
  performance: { hints: false },
};
