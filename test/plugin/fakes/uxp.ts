/**
 * A fake of the 'uxp' module: secure storage as an in-memory map (values come back as bytes, as in
 * UXP), and entrypoints.setup that records the panels so a harness can create them.
 */
type PanelHooks = { create?(root: HTMLElement): void; destroy?(): void };

const secrets = new Map<string, Uint8Array>();

const secureStorage = {
  async setItem(key: string, value: string | ArrayBuffer | ArrayBufferView): Promise<void> {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(ArrayBuffer.isView(value) ? value.buffer.slice(0) : value);
    secrets.set(key, bytes);
  },
  async getItem(key: string): Promise<Uint8Array> {
    // UXP resolves with an empty value for a missing key rather than rejecting (unverified: the host handles both).
    return secrets.get(key)?.slice() ?? new Uint8Array();
  },
  async removeItem(key: string): Promise<void> {
    secrets.delete(key);
  },
};

export const storage = { secureStorage };

let panels: Record<string, PanelHooks> | null = null;

export const entrypoints = {
  setup(setup: { panels?: Record<string, PanelHooks> }): void {
    if (panels) throw new Error('entrypoints.setup may be called only once.');
    panels = setup.panels ?? {};
  },
};

export const fakeUxp = {
  secrets,
  panel(id: string): PanelHooks {
    const hooks = panels?.[id];
    if (!hooks) throw new Error(`No panel "${id}" was set up: did the plugin call entrypoints.setup?`);
    return hooks;
  },
};
