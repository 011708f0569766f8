import {
  END_OF_TEXT,
  END_OF_WORD,
  MERGES_HEADER,
  START_OF_TEXT,
  byteSymbols,
  mergesText,
  preTokenize,
  trainClipBpe,
  vocabJson,
} from '../../../models/scripts/bpe-trainer';

const CORPUS = 'a photo of a cat, a photo of a dog. a painting of a cat in 4k';

describe('byteSymbols', () => {
  test("is GPT-2's bytes_to_unicode table: printable bytes first, the rest shifted past 255", () => {
    const table = byteSymbols();
    expect(table).toHaveLength(256);
    expect(table[0]).toEqual({ byte: 33, symbol: '!' });
    expect(table.find((entry) => entry.byte === 32)?.symbol).toBe('\u0120');
    expect(new Set(table.map((entry) => entry.symbol)).size).toBe(256);
  });
});

describe('preTokenize', () => {
  test("lowercases and splits like CLIPTokenizer: letter runs, single digits, punctuation runs, contractions", () => {
    expect(preTokenize("A  Dog's 4k photo,  WOW!!")).toEqual(['a', 'dog', "'s", '4', 'k', 'photo', ',', 'wow', '!!']);
  });
});

describe('trainClipBpe', () => {
  const vocabulary = trainClipBpe(CORPUS, 30);
  const tokens = [...vocabulary.vocab.keys()];

  test("lays ids out as CLIP does: bytes, bytes with </w>, one token per merge, then the two specials", () => {
    expect(tokens.slice(0, 256)).toEqual(byteSymbols().map((entry) => entry.symbol));
    expect(tokens.slice(256, 512)).toEqual(byteSymbols().map((entry) => entry.symbol + END_OF_WORD));
    expect(tokens.slice(512, -2)).toEqual(vocabulary.merges.map(([left, right]) => left + right));
    expect(tokens.slice(-2)).toEqual([START_OF_TEXT, END_OF_TEXT]);
    expect([...vocabulary.vocab.values()]).toEqual(tokens.map((_, id) => id));
  });

  test('merges the most frequent pair first and only merges tokens that exist by then', () => {
    // "of" occurs three times; no other pair does.
    expect(vocabulary.merges[0]).toEqual(['o', `f${END_OF_WORD}`]);
    const seen = new Set(tokens.slice(0, 512));
    for (const [left, right] of vocabulary.merges) {
      expect(seen.has(left) && seen.has(right)).toBe(true);
      seen.add(left + right);
    }
  });

  test('learns whole frequent words, ending in </w>', () => {
    expect(vocabulary.vocab.has(`photo${END_OF_WORD}`)).toBe(true);
  });

  test('is deterministic and stops when no pair is left', () => {
    expect(trainClipBpe(CORPUS, 30)).toEqual(vocabulary);
    expect(trainClipBpe('ab ab', 100).merges).toEqual([['a', `b${END_OF_WORD}`]]);
  });

  test('writes vocab.json in id order and merges.txt with the version header', () => {
    const parsed = JSON.parse(vocabJson(vocabulary)) as Record<string, number>;
    expect(Object.keys(parsed)).toHaveLength(vocabulary.vocab.size);
    expect(parsed['0']).toBe(vocabulary.vocab.get('0'));
    expect(vocabJson(vocabulary).startsWith('{"!":0,"\\"":1,')).toBe(true);
    const lines = mergesText(vocabulary).trimEnd().split('\n');
    expect(lines[0]).toBe(MERGES_HEADER);
    expect(lines.slice(1)).toEqual(vocabulary.merges.map((pair) => pair.join(' ')));
  });
});
