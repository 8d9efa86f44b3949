import { randomInt } from 'node:crypto';

/** A seeded pseudo-random sequence (mulberry32), so a failing chaos run can be replayed. */
export interface SeededRandom {
  seed: number;
  /** The next number in [0, 1). */
  next(): number;
}

/** Starts a sequence from `seed`, or a fresh random seed. */
export function createRandom(seed: number = randomInt(2 ** 31)): SeededRandom {
  let state = seed >>> 0;
  return {
    seed,
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}
