/**
 * A deterministic trainer for CLIP-format byte-level BPE vocabularies (the files of
 * openai/clip-vit-large-patch14's tokenizer: vocab.json and merges.txt).
 *
 * CLIP's layout, which tokenizers loading these files rely on:
 * - ids 0..255: the 256 byte symbols of GPT-2's bytes_to_unicode table, in its order ("!" is 0);
 * - ids 256..511: the same symbols with the end-of-word suffix "</w>";
 * - then one token per merge, in merge order;
 * - then <|startoftext|> and <|endoftext|> as the last two ids.
 * Words are pre-tokenized like CLIPTokenizer (lowercased, its regex), and the last symbol of each
 * word carries "</w>", so merges never cross word ends.
 */

export const END_OF_WORD = '</w>';
export const START_OF_TEXT = '<|startoftext|>';
export const END_OF_TEXT = '<|endoftext|>';
/** The first line of CLIP's merges.txt; CLIPTokenizer skips it. */
export const MERGES_HEADER = '#version: 0.2';

/** CLIPTokenizer's pre-tokenization pattern (contractions, letter runs, single digits, other runs). */
const WORD_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu;

export interface BpeVocabulary {
  /** token -> id, dense from 0. */
  vocab: Map<string, number>;
  /** Merges in priority order, each a pair of existing tokens. */
  merges: [string, string][];
}

/** GPT-2's reversible byte -> printable character table, in its canonical order. */
export function byteSymbols(): { byte: number; symbol: string }[] {
  const printable = (from: string, to: string) => Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i);
  const direct = [...printable('!', '~'), ...printable('\u00a1', '\u00ac'), ...printable('\u00ae', '\u00ff')];
  const table = direct.map((byte) => ({ byte, symbol: String.fromCharCode(byte) }));
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) {
    if (!direct.includes(byte)) table.push({ byte, symbol: String.fromCharCode(256 + shifted++) });
  }
  return table;
}

/** Splits text into words as CLIPTokenizer does (after its whitespace cleanup and lowercasing). */
export function preTokenize(text: string): string[] {
  return text.replace(/\s+/g, ' ').trim().toLowerCase().match(WORD_PATTERN) ?? [];
}

/**
 * Learns up to `mergeCount` merges from `corpus`: repeatedly merges the most frequent adjacent pair
 * (ties broken by the pair's text, so the result never depends on map iteration order), skipping
 * pairs whose merged token already exists so every id maps to exactly one token.
 */
export function trainClipBpe(corpus: string, mergeCount: number): BpeVocabulary {
  const symbolOf = new Map(byteSymbols().map(({ byte, symbol }) => [byte, symbol]));
  const wordCounts = new Map<string, number>();
  for (const word of preTokenize(corpus)) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  const words = [...wordCounts.entries()].map(([word, count]) => {
    const symbols = [...new TextEncoder().encode(word)].map((byte) => symbolOf.get(byte) as string);
    symbols[symbols.length - 1] += END_OF_WORD;
    return { symbols, count };
  });

  const tokens: string[] = byteSymbols().map(({ symbol }) => symbol);
  tokens.push(...tokens.map((symbol) => symbol + END_OF_WORD));
  const known = new Set(tokens);
  const merges: [string, string][] = [];
  while (merges.length < mergeCount) {
    const best = mostFrequentPair(words, known);
    if (!best) break;
    const [left, right] = best;
    const merged = left + right;
    merges.push([left, right]);
    tokens.push(merged);
    known.add(merged);
    for (const word of words) word.symbols = applyMerge(word.symbols, left, right);
  }
  tokens.push(START_OF_TEXT, END_OF_TEXT);
  return { vocab: new Map(tokens.map((token, id) => [token, id])), merges };
}

function mostFrequentPair(words: readonly { symbols: string[]; count: number }[], known: ReadonlySet<string>): [string, string] | undefined {
  const counts = new Map<string, number>();
  for (const { symbols, count } of words) {
    for (let i = 0; i + 1 < symbols.length; i++) {
      if (known.has(symbols[i] + symbols[i + 1])) continue;
      const key = `${symbols[i]} ${symbols[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  }
  let bestKey: string | undefined;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && bestKey !== undefined && key < bestKey)) {
      bestKey = key;
      bestCount = count;
    }
  }
  return bestKey?.split(' ') as [string, string] | undefined;
}

function applyMerge(symbols: readonly string[], left: string, right: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      out.push(left + right);
      i++;
    } else {
      out.push(symbols[i]);
    }
  }
  return out;
}

/**
 * vocab.json as CLIP ships it: one object, tokens in id order. Written entry by entry because a JS
 * object would move integer-like keys ("0".."9") to the front.
 */
export function vocabJson(vocabulary: BpeVocabulary): string {
  const entries = [...vocabulary.vocab].map(([token, id]) => `${JSON.stringify(token)}:${id}`);
  return `{${entries.join(',')}}\n`;
}

/** merges.txt: the version header, then "left right" per line. */
export function mergesText(vocabulary: BpeVocabulary): string {
  return `${[MERGES_HEADER, ...vocabulary.merges.map(([left, right]) => `${left} ${right}`)].join('\n')}\n`;
}
