/**
 * The panel end to end, shared by the test against the real companion (tiny-sd) and the one against
 * an in-process companion with an echo engine: headless Chromium, the fake Photoshop drawn on a
 * canvas, a companion reached over a real WebSocket. Pair once, add a mask from a selection, move
 * sliders, press Brush, watch progress and previews, then find the new layers in the document;
 * Generate, then brush the generated layer and see its trajectory regenerated.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, buildHarness, launchChromium, openPanel, setSlider, sliderValue, typeInto } from './panel-page';

export interface CompanionUnderTest {
  url: string;
  pairingCode: string;
  stop(): Promise<void>;
}

export interface PanelScenario {
  /** Names the harness build and the screenshot. */
  name: string;
  /** The model id the companion reports. */
  modelId: string;
  screenshot: string;
  startCompanion(): Promise<CompanionUnderTest>;
}

export function describePanelScenario(scenario: PanelScenario): void {
  let companion: CompanionUnderTest | undefined;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const [started, built] = await Promise.allSettled([scenario.startCompanion(), buildHarness(scenario.name)]);
    if (started.status === 'fulfilled') companion = started.value;
    if (started.status === 'rejected') throw started.reason;
    if (built.status === 'rejected') throw built.reason;
    browser = await launchChromium();
    page = await openPanel(browser, built.value, started.value.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await companion?.stop();
  });

  const text = (testId: string) => page.locator(`[data-testid="${testId}"]`).first().textContent();

  /** Counts every preview picture the panel shows, however briefly. */
  async function countPreviews(): Promise<void> {
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { previewCount: () => number }).previewCount = () => seen.size;
      new MutationObserver(() => {
        const preview = document.querySelector<HTMLImageElement>('[data-testid="preview"]');
        if (preview?.src) seen.add(preview.src);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    });
  }

  it('pairs with the code the companion printed, then shows its model and provider', async () => {
    await typeInto(page, 'pairing-code', companion!.pairingCode);
    await page.locator('[data-testid="pair"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.textContent?.startsWith('Connected'), undefined, { timeout: 30_000 });
    await expect(text('connection-status')).resolves.toMatch(new RegExp(`^Connected · ${scenario.modelId} · \\w+`));
  });

  it('brushes a feathered selection: progress, previews, then a group of masked variation layers above the source', async () => {
    await page.evaluate(() => window.harness.selectEllipse(250, 60, 140, 110, 10));
    await page.waitForFunction(() => document.querySelector('[data-testid="add-mask"]')?.textContent === 'Add from selection');
    await page.locator('[data-testid="add-mask"]').click();
    await page.waitForSelector('[data-testid="mask-item"]');

    await typeInto(page, 'prompt', 'a red balloon');
    await setSlider(page, 'steps', 8);
    await setSlider(page, 'variations', 2);
    await setSlider(page, 'mask-step', 3);
    await setSlider(page, 'mask-strength', 1);
    await expect(sliderValue(page, 'mask-step')).resolves.toBe('3');

    await countPreviews();
    await page.locator('[data-testid="brush"]').click();
    await page.waitForSelector('[data-testid="progress"]');
    await page.waitForSelector('[data-testid="results"]', { timeout: 120_000 });
    await expect(page.locator('[data-testid="notice"]').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as unknown as { previewCount: () => number }).previewCount())).toBeGreaterThan(0);

    const layers = await page.evaluate(() => window.harness.layers());
    expect(layers).toEqual([
      { name: 'Brush "a red balloon"', depth: 0, visible: true, isGroup: true, hasMask: false },
      { name: expect.stringMatching(/^v1 · seed \d+ · step 3 · strength 1$/), depth: 1, visible: true, isGroup: false, hasMask: true },
      { name: expect.stringMatching(/^v2 · seed \d+ · step 3 · strength 1$/), depth: 1, visible: false, isGroup: false, hasMask: true },
      { name: 'Landscape', depth: 0, visible: true, isGroup: false, hasMask: false },
    ]);
    await expect(page.evaluate(() => window.harness.history())).resolves.toEqual(['Open', 'Brush "a red balloon"']);
    await expect(page.locator('[data-testid="results"] img').count()).resolves.toBe(2);
    await page.evaluate(() => window.harness.redraw());
    await page.screenshot({ path: path.join(ARTIFACTS, scenario.screenshot), fullPage: true });
  });

  it('cancels a running brush: the job stops, the panel says so, and nothing is written', async () => {
    // The edit selected its source again, so this brush starts from Landscape too.
    const before = await page.evaluate(() => window.harness.layers());
    await setSlider(page, 'steps', 60);
    await page.locator('[data-testid="brush"]').click();
    await page.waitForSelector('[data-testid="preview"]', { timeout: 60_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, scenario.screenshot.replace('.png', '-running.png')), fullPage: true });
    await page.locator('[data-testid="cancel"]').click();
    await page.waitForSelector('[data-testid="notice"]', { timeout: 60_000 });
    await expect(text('notice')).resolves.toMatch(/Cancelled: nothing was written/);
    await expect(page.evaluate(() => window.harness.layers())).resolves.toEqual(before);
    await expect(page.locator('[data-testid="progress"]').count()).resolves.toBe(0);
    await page.locator('[data-testid="notice"] sp-button').click();
  });

  it('writes nothing, and says why, when the source layer is deleted while the job runs', async () => {
    const before = await page.evaluate(() => window.harness.layers().filter((layer) => layer.name !== 'Landscape'));
    await page.locator('[data-testid="brush"]').click();
    await page.waitForSelector('[data-testid="preview"]', { timeout: 60_000 });
    await page.evaluate(() => window.harness.deleteLayer('Landscape'));
    await page.waitForSelector('[data-testid="notice"]', { timeout: 120_000 });
    await expect(text('notice')).resolves.toMatch(/"Landscape" was deleted while the edit ran\. Nothing was written/);
    await expect(page.evaluate(() => window.harness.layers())).resolves.toEqual(before);
    await page.locator('[data-testid="notice"] sp-button').click();
    await setSlider(page, 'steps', 8);
  });

  it('generates a layer that stores its parameters, and a brush on it regenerates its trajectory', async () => {
    await page.locator('[data-testid="generate"]').click();
    await page.waitForFunction(() => window.harness.layers()[0]?.name.startsWith('Generated "a red balloon"'), undefined, { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="results"]')?.textContent?.includes('parameters stored with the layer'));

    await page.locator('[data-testid="brush"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="results"]')?.textContent?.includes('regenerated from the layer'), undefined, { timeout: 120_000 });
    const top = await page.evaluate(() => window.harness.layers().slice(0, 2).map((layer) => layer.name));
    expect(top[0]).toBe('Brush "a red balloon"');
    expect(top[1]).toMatch(/^v1 /);
  });
}
