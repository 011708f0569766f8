/**
 * Stand-ins for the Spectrum UXP widgets that Photoshop provides natively, so the panel renders in
 * Chromium. They keep what the panel relies on: a `value` property, `input`/`change` events fired
 * from the element itself, `selectedIndex` on pickers, `disabled` blocking clicks, and the label
 * and value slots. Their looks only approximate Photoshop's dark theme.
 */

const BASE_STYLE = `
  :host { font: 12px/1.4 'Adobe Clean', system-ui, sans-serif; color: var(--uxp-host-text-color); }
  :host([disabled]) { opacity: .45; pointer-events: none; }
  input, select, textarea, button { font: inherit; color: inherit; }
`;

function shadow(host: HTMLElement, html: string): ShadowRoot {
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${BASE_STYLE}</style>${html}`;
  return root;
}

/** Re-fires an inner control's event from the custom element, as the native widgets do. */
function forward(host: HTMLElement, inner: HTMLElement, ...types: string[]): void {
  for (const type of types) {
    inner.addEventListener(type, (event) => {
      event.stopPropagation();
      host.dispatchEvent(new Event(type, { bubbles: true }));
    });
  }
}

class SpButton extends HTMLElement {
  constructor() {
    super();
    shadow(
      this,
      `<style>
        :host { display: inline-block; }
        button { border-radius: 14px; padding: 3px 14px; min-height: 26px; cursor: pointer; font-weight: 600;
                 border: 2px solid #b3b3b3; background: transparent; }
        :host([variant=cta]) button { background: #1473e6; border-color: #1473e6; color: #fff; }
        :host([variant=warning]) button { border-color: #e34850; color: #ff6a70; }
      </style><button part="button"><slot></slot></button>`,
    );
  }
}

class SpActionButton extends HTMLElement {
  constructor() {
    super();
    shadow(this, `<style>:host { display: inline-block; } button { background: transparent; border: 1px solid transparent; border-radius: 4px; padding: 1px 6px; cursor: pointer; } button:hover { border-color: #666; }</style><button><slot></slot></button>`);
  }
}

class SpSlider extends HTMLElement {
  static observedAttributes = ['min', 'max', 'step', 'value'];
  private readonly input: HTMLInputElement;
  private readonly shown: HTMLElement;
  constructor() {
    super();
    const root = shadow(
      this,
      `<style>
        :host { display: block; }
        .top { display: flex; justify-content: space-between; color: #b8b8b8; }
        input { width: 100%; accent-color: #d0d0d0; margin: 2px 0; }
      </style><div class="top"><slot name="label"></slot><span class="value"></span></div><input type="range">`,
    );
    this.input = root.querySelector('input')!;
    this.shown = root.querySelector('.value')!;
    forward(this, this.input, 'input', 'change');
    this.input.addEventListener('input', () => this.showValue());
  }
  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (value !== null) this.input.setAttribute(name, value);
    if (name === 'value' && value !== null) this.input.value = value;
    this.showValue();
  }
  /** Like UXP's sp-slider, the element shows its own value. */
  private showValue(): void {
    this.shown.textContent = this.input.value;
  }
  get value(): number {
    return Number(this.input.value);
  }
  set value(value: number) {
    this.input.value = String(value);
    this.showValue();
  }
}

class SpTextField extends HTMLElement {
  static observedAttributes = ['placeholder', 'value'];
  protected readonly field: HTMLInputElement | HTMLTextAreaElement;
  constructor(multiline = false) {
    super();
    const control = multiline ? '<textarea rows="2"></textarea>' : '<input type="text">';
    const root = shadow(
      this,
      `<style>
        :host { display: block; }
        input, textarea { box-sizing: border-box; width: 100%; background: #1e1e1e; border: 1px solid #5a5a5a;
                          border-radius: 4px; padding: 3px 6px; resize: vertical; }
      </style>${control}`,
    );
    this.field = root.querySelector('input, textarea')!;
    forward(this, this.field, 'input', 'change');
  }
  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name === 'placeholder') this.field.placeholder = value ?? '';
    if (name === 'value' && value !== null && this.field.value !== value) this.field.value = value;
  }
  get value(): string {
    return this.field.value;
  }
  set value(value: string) {
    this.field.value = value;
  }
}

class SpTextArea extends SpTextField {
  constructor() {
    super(true);
  }
}

class SpPicker extends HTMLElement {
  private readonly select: HTMLSelectElement;
  private readonly observer: MutationObserver;
  constructor() {
    super();
    const root = shadow(
      this,
      `<style>:host { display: block; } select { width: 100%; background: #1e1e1e; border: 1px solid #5a5a5a; border-radius: 4px; padding: 2px 4px; }</style><select></select>`,
    );
    this.select = root.querySelector('select')!;
    forward(this, this.select, 'change');
    this.observer = new MutationObserver(() => this.syncOptions());
  }
  connectedCallback(): void {
    this.observer.observe(this, { childList: true, subtree: true, attributes: true, characterData: true });
    this.syncOptions();
  }
  disconnectedCallback(): void {
    this.observer.disconnect();
  }
  /** The options are the light-DOM sp-menu-items, as in UXP. */
  private syncOptions(): void {
    const items = [...this.querySelectorAll('sp-menu-item')];
    this.select.innerHTML = '';
    items.forEach((item, index) => {
      const option = document.createElement('option');
      option.textContent = item.textContent;
      option.value = item.getAttribute('value') ?? String(index);
      this.select.appendChild(option);
      if (item.hasAttribute('selected')) this.select.selectedIndex = index;
    });
  }
  get selectedIndex(): number {
    return this.select.selectedIndex;
  }
  get value(): string {
    return this.select.value;
  }
}

class SpProgressBar extends HTMLElement {
  static observedAttributes = ['value', 'max'];
  private readonly fill: HTMLElement;
  constructor() {
    super();
    const root = shadow(
      this,
      `<style>
        :host { display: block; }
        .track { height: 4px; background: #4a4a4a; border-radius: 2px; overflow: hidden; margin-top: 3px; }
        .fill { height: 100%; background: #e0e0e0; width: 0; }
      </style><slot name="label"></slot><div class="track"><div class="fill"></div></div>`,
    );
    this.fill = root.querySelector('.fill')!;
  }
  attributeChangedCallback(): void {
    const max = Number(this.getAttribute('max') ?? 100);
    const value = Number(this.getAttribute('value') ?? 0);
    this.fill.style.width = `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
  }
}

export function defineSpectrumShim(): void {
  customElements.define('sp-button', SpButton);
  customElements.define('sp-action-button', SpActionButton);
  customElements.define('sp-slider', SpSlider);
  customElements.define('sp-textfield', SpTextField);
  customElements.define('sp-textarea', SpTextArea);
  customElements.define('sp-picker', SpPicker);
  customElements.define('sp-progressbar', SpProgressBar);
}

/** Text widgets need no behaviour, only Photoshop-like looks. */
export const SPECTRUM_TEXT_STYLE = `
  sp-heading { display: block; font-weight: 700; font-size: 13px; margin: 2px 0 4px; }
  sp-body { display: block; }
  sp-detail { display: block; font-size: 11px; color: #a8a8a8; }
  sp-label { font-size: 11px; }
  sp-divider { display: block; height: 1px; background: var(--uxp-host-border-color); margin: 4px 0; }
  sp-menu { display: none; }
`;
