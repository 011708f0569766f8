/** A width and height in pixels (or latent cells). Immutable. */
export class Extent {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    Object.freeze(this);
  }

  get area(): number {
    return this.width * this.height;
  }

  get longestSide(): number {
    return Math.max(this.width, this.height);
  }

  get isEmpty(): boolean {
    return this.width <= 0 || this.height <= 0;
  }

  equals(other: { width: number; height: number }): boolean {
    return this.width === other.width && this.height === other.height;
  }

  /** Divides by an integer factor that must divide both sides (pixels -> latent cells). */
  divideExactly(factor: number): Extent {
    if (this.width % factor !== 0 || this.height % factor !== 0) {
      throw new RangeError(`${this.width}x${this.height} is not a multiple of ${factor}.`);
    }
    return new Extent(this.width / factor, this.height / factor);
  }

  toString(): string {
    return `${this.width}x${this.height}`;
  }
}
