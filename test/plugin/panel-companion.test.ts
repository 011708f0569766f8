/**
 * The panel end to end against the REAL companion, started as a user starts it (npm start) with
 * models/tiny-sd. Its screenshot, test/artifacts/panel.png, is for people to look at.
 */
import { startCompanion } from './browser/companion-process';
import { describePanelScenario } from './browser/panel-scenario';

describe('the panel with the real companion and tiny-sd', () => {
  describePanelScenario({ name: 'companion', modelId: 'tiny-sd', screenshot: 'panel.png', startCompanion });
});
