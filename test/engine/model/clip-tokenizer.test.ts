import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIP_SPECIAL_TOKENS, ClipTokenizer, clipTokenizerJson } from '../../../companion-server/engine/model/clip-tokenizer';
import { FIXTURE_IDS, FIXTURE_MERGES, FIXTURE_VOCAB } from '../../support/fixtures-clip-vocab';

const { bos, eos, bang, a, cat, dog, bangEnd, c, o, tEnd } = FIXTURE_IDS;

function tokenizerFolder(files: Record<string, unknown>): string {
  const directory = mkdtempSync(join(tmpdir(), 'clip-tokenizer-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(directory, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return directory;
}

const vocabFiles = { 'vocab.json': FIXTURE_VOCAB, 'merges.txt': `#version: 0.2\n${FIXTURE_MERGES.join('\n')}\n` };
const folders: string[] = [];
async function tokenizerWith(files: Record<string, unknown>): Promise<ClipTokenizer> {
  const directory = tokenizerFolder(files);
  folders.push(directory);
  return ClipTokenizer.fromFolder(directory);
}
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

describe('ClipTokenizer on a vocabulary with hand-derived ids', () => {
  test.each([
    ['merges a word into one word-final token', 'a cat', [a, cat]],
    ['lowercases, collapses spaces and splits punctuation', 'A  Dog!', [a, dog, bangEnd]],
    ['keeps characters when no merge applies', 'cot', [c, o, tEnd]],
    ['returns nothing for blank text', '   ', []],
  ])('%s', async (_name, text, ids) => {
    const tokenizer = await tokenizerWith({ ...vocabFiles, 'tokenizer_config.json': { pad_token: '<|endoftext|>' } });
    expect(tokenizer.tokenize(text)).toEqual(ids);
  });

  test('SD1.x convention: BOS, tokens, EOS, padded to 77 with <|endoftext|>', async () => {
    const tokenizer = await tokenizerWith({ ...vocabFiles, 'tokenizer_config.json': { pad_token: '<|endoftext|>', model_max_length: 77 } });
    const ids = tokenizer.encode('a cat');
    expect(ids).toHaveLength(77);
    expect(ids.slice(0, 4)).toEqual([bos, a, cat, eos]);
    expect(new Set(ids.slice(4))).toEqual(new Set([eos]));
  });

  test('SD2 convention: padded with "!" (id 0), named in special_tokens_map.json as an AddedToken object', async () => {
    const tokenizer = await tokenizerWith({
      ...vocabFiles,
      'tokenizer_config.json': { pad_token: '<|endoftext|>' },
      'special_tokens_map.json': { pad_token: { content: '!', lstrip: false } },
    });
    const ids = tokenizer.encode('a cat');
    expect(ids.slice(0, 4)).toEqual([bos, a, cat, eos]);
    expect(new Set(ids.slice(4))).toEqual(new Set([bang]));
  });

  test('truncates long prompts to 75 tokens between BOS and EOS', async () => {
    const tokenizer = await tokenizerWith(vocabFiles);
    const ids = tokenizer.encode(Array(100).fill('cat').join(' '));
    expect(ids).toEqual([bos, ...Array(75).fill(cat), eos]);
  });

  test('a tokenizer.json in the folder gives the same ids as vocab.json + merges.txt', async () => {
    const fromVocab = await tokenizerWith(vocabFiles);
    const fromJson = await tokenizerWith({ 'tokenizer.json': clipTokenizerJson(FIXTURE_VOCAB, FIXTURE_MERGES, CLIP_SPECIAL_TOKENS) });
    for (const text of ['a cat', 'A  Dog!', 'cot dog!']) expect(fromJson.encode(text)).toEqual(fromVocab.encode(text));
  });

  test('a pad token missing from the vocabulary is an error naming the folder and the token', async () => {
    const error = await tokenizerWith({ ...vocabFiles, 'tokenizer_config.json': { pad_token: '<pad>' } }).catch((e: Error) => e.message);
    expect(error).toContain('pad token "<pad>"');
    expect(error).toContain('clip-tokenizer-');
  });
});

describe('ClipTokenizer on models/tiny-sd', () => {
  // Expected ids checked with an independent Python port of OpenAI CLIP's simple_tokenizer BPE
  // run on models/tiny-sd/tokenizer/{vocab.json,merges.txt}.
  test.each([
    ['a photo of a cat', [320, 557, 526, 320, 706]],
    ['A red  Fox, sitting!', [320, 784, 553, 343, 267, 787, 256]],
    ['mountains at sunset 42', [621, 754, 578, 796, 275, 273]],
  ])('tokenizes "%s"', async (text, ids) => {
    const tokenizer = await ClipTokenizer.fromFolder(join(__dirname, '../../../models/tiny-sd/tokenizer'));
    expect(tokenizer.tokenize(text)).toEqual(ids);
    expect(tokenizer.encode(text).slice(0, ids.length + 2)).toEqual([tokenizer.bosId, ...ids, tokenizer.eosId]);
    expect(tokenizer.encode(text)).toHaveLength(77);
  });
});
