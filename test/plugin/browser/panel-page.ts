/**
 * Opens the panel harness in Debian's Chromium, headless, through playwright-core (never a
 * downloaded browser). The harness bundle is built once per test run with the test webpack config.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import webpack from 'webpack';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.join(__dirname, '..', '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Builds the harness into dist/panel-harness/<name>/ and returns the page's path. Each test file
 * builds its own copy: jest runs test files in parallel, and one build's clean step would delete
 * another's files.
 */
export async function buildHarness(name: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const base = require('./webpack.config.js') as webpack.Configuration;
  const outputPath = path.join(ROOT, 'dist', 'panel-harness', name);
  const config = { ...base, output: { ...base.output, path: outputPath } };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config, (error, result) => (error || !result ? reject(error ?? new Error('webpack gave no result')) : resolve(result))),
  );
  if (stats.hasErrors()) throw new Error(`The panel harness did not build:\n${stats.toString('errors-only')}`);
  return path.join(outputPath, 'harness.html');
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The panel tests need Debian's Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/**
 * The page is a file:// URL on purpose: the companion refuses http(s) Origins (web pages), and the
 * Photoshop panel is not a web page either.
 */
export async function openPanel(browser: Browser, harnessPage: string, companionUrl: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const url = `${pathToFileURL(harnessPage).href}?companion=${encodeURIComponent(companionUrl)}`;
  await page.goto(url);
  await page.waitForSelector('[data-testid="connection-status"]');
  if (errors.length > 0) throw new Error(`The panel threw while loading: ${errors.join('; ')}`);
  return page;
}

/** Moves an sp-slider the way a user's drag ends: the value changes and input + change fire. */
export async function setSlider(page: Page, testId: string, value: number, nth = 0): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`).nth(nth).evaluate((slider, next) => {
    const input = slider.shadowRoot!.querySelector('input')!;
    input.value = String(next);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

export async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`).first().locator('input, textarea').fill(text);
}

/** The value an sp-slider shows beside its label. */
export function sliderValue(page: Page, testId: string): Promise<string | null> {
  return page.locator(`[data-testid="${testId}"]`).first().evaluate((slider) => slider.shadowRoot!.querySelector('.value')!.textContent);
}

/** Picks an option of an sp-picker by its label, as a user choosing from the menu. */
export async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`).first().evaluate((picker, wanted) => {
    const select = picker.shadowRoot!.querySelector('select')!;
    const index = [...select.options].findIndex((option) => option.textContent === wanted);
    if (index < 0) throw new Error(`No option "${wanted}" in the picker.`);
    select.selectedIndex = index;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, label);
}
