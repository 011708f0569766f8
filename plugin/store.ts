/** A tiny observable value for React's useSyncExternalStore: the controller writes, components read. */
export class Store<S> {
  private listeners = new Set<() => void>();

  constructor(private state: S) {}

  get = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (state: S) => S): void {
    this.state = change(this.state);
    for (const listener of this.listeners) listener();
  }
}
