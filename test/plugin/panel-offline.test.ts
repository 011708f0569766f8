/**
 * The panel rendered in headless Chromium with the fake Photoshop and no companion running: it must
 * still render, say what is wrong and what to do, and turn a selection into a mask.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, buildHarness, choose, launchChromium, openPanel, setSlider, sliderValue, typeInto } from './browser/panel-page';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const harness = await buildHarness('offline');
  browser = await launchChromium();
  // Port 9 (discard) has nothing listening on loopback: the companion is "not running".
  page = await openPanel(browser, harness, 'ws://127.0.0.1:9');
});

afterAll(async () => {
  await browser?.close();
});

const status = () => page.locator('[data-testid="connection-status"]').textContent();

describe('the panel without a companion', () => {
  it('asks for the pairing code when it has no token yet', async () => {
    await expect(status()).resolves.toBe('Not paired with the companion');
    await expect(page.locator('[data-testid="connection"]').textContent()).resolves.toMatch(/pairing code the companion printed/);
  });

  it('says the companion is unreachable and how to start it when pairing cannot connect', async () => {
    await typeInto(page, 'pairing-code', '123-456-789');
    await page.locator('[data-testid="pair"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="connection"]')?.textContent?.includes('not reachable'));
    await expect(page.locator('[data-testid="connection"]').textContent()).resolves.toMatch(/Start it with "npm start", then press Pair again/);
  });

  it('asks for a selection before a mask can be added', async () => {
    await expect(page.locator('[data-testid="add-mask"]').textContent()).resolves.toBe('Select an area first');
    await expect(page.locator('[data-testid="mask-hint"]').textContent()).resolves.toMatch(/Select the area to repaint/);
  });

  it('adds a mask from a feathered selection, with a thumbnail, and lets its sliders move', async () => {
    await page.evaluate(() => window.harness.selectEllipse(60, 150, 120, 80, 8));
    await page.waitForFunction(() => document.querySelector('[data-testid="add-mask"]')?.textContent === 'Add from selection');
    await page.locator('[data-testid="add-mask"]').click();
    await page.waitForSelector('[data-testid="mask-item"] img.thumbnail');
    const thumbnail = await page.locator('[data-testid="mask-item"] img.thumbnail').getAttribute('src');
    expect(thumbnail).toMatch(/^data:image\/jpeg;base64,/);

    await setSlider(page, 'mask-step', 9);
    await setSlider(page, 'mask-strength', 1.25);
    await expect(sliderValue(page, 'mask-step')).resolves.toBe('9');
    await expect(sliderValue(page, 'mask-strength')).resolves.toBe('1.25');

    const seed = await page.locator('[data-testid="mask-seed"]').textContent();
    await page.locator('[data-testid="new-seed"]').click();
    await expect(page.locator('[data-testid="mask-seed"]').textContent()).resolves.not.toBe(seed);
  });

  it('shows the padding slider only when the context is "Selection + padding"', async () => {
    await expect(page.locator('[data-testid="padding"]').count()).resolves.toBe(0);
    await choose(page, 'context', 'Selection + padding');
    await page.waitForSelector('[data-testid="padding"]');
    await setSlider(page, 'padding', 96);
    await expect(sliderValue(page, 'padding')).resolves.toBe('96');
    await choose(page, 'context', 'Automatic');
    await expect(page.locator('[data-testid="padding"]').count()).resolves.toBe(0);
  });

  it('keeps Brush disabled while the companion is unreachable', async () => {
    await expect(page.locator('[data-testid="brush"]').getAttribute('disabled')).resolves.not.toBeNull();
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-offline.png'), fullPage: true });
  });
});
