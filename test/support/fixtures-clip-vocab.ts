/**
 * A CLIP-style BPE vocabulary small enough to derive token ids by hand. As in CLIP's vocab.json,
 * "!" is id 0, word-final pieces end in "</w>", and the special tokens come last.
 *   "a cat"    -> a</w> (7), cat</w> (12)       merges: c+a -> ca, ca+t</w> -> cat</w>
 *   "A  Dog!"  -> a</w> (7), dog</w> (14), !</w> (10)   (lowercased; spaces collapse)
 *   "cot"      -> c (2), o (4), t</w> (8)          (no merge applies)
 */
export const FIXTURE_VOCAB: Record<string, number> = {
  '!': 0,
  a: 1,
  c: 2,
  t: 3,
  o: 4,
  g: 5,
  d: 6,
  'a</w>': 7,
  't</w>': 8,
  'g</w>': 9,
  '!</w>': 10,
  ca: 11,
  'cat</w>': 12,
  do: 13,
  'dog</w>': 14,
  '<|startoftext|>': 15,
  '<|endoftext|>': 16,
};

export const FIXTURE_MERGES = ['c a', 'ca t</w>', 'd o', 'do g</w>'];

export const FIXTURE_IDS = { bos: 15, eos: 16, bang: 0, a: 7, cat: 12, dog: 14, bangEnd: 10, c: 2, o: 4, tEnd: 8 } as const;
