/**
 * CLIP's byte-level BPE tokenizer, read from the model folder's own tokenizer files and run by
 * @huggingface/tokenizers. The library does not pad or truncate, so this module adds what
 * diffusers' pipelines ask of CLIPTokenizer: BOS + at most maxLength-2 tokens + EOS, padded with
 * the folder's pad token (SD1.x pads with <|endoftext|>, SD2 with "!").
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { TextTokenizer } from './components';
import { EngineError } from '../engine-error';

/** CLIP's text encoder has 77 positions. */
export const CLIP_MAX_LENGTH = 77;
const BOS_TOKEN = '<|startoftext|>';
const EOS_TOKEN = '<|endoftext|>';

/** The special tokens, as tokenizer_config.json and special_tokens_map.json name them. */
export interface ClipSpecialTokens {
  bos: string;
  eos: string;
  pad: string;
  unk: string;
}

export const CLIP_SPECIAL_TOKENS: ClipSpecialTokens = { bos: BOS_TOKEN, eos: EOS_TOKEN, pad: EOS_TOKEN, unk: EOS_TOKEN };

/**
 * The tokenizer.json that transformers' CLIPConverter writes for vocab.json + merges.txt:
 * NFC, whitespace runs to one space, lowercase; CLIP's split pattern; byte-level alphabet; BPE
 * whose word-final pieces end in "</w>".
 */
export function clipTokenizerJson(vocab: Record<string, number>, merges: readonly string[], special: ClipSpecialTokens): object {
  const addedTokens = [...new Set([special.bos, special.eos])].map((content) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: special.unk,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/** merges.txt: a "#version" header, then one "left right" pair a line. */
export function parseMerges(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#version'));
}

export class ClipTokenizer implements TextTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly bosId: number,
    readonly eosId: number,
    readonly padId: number,
    readonly maxLength: number,
  ) {}

  /**
   * Reads tokenizer/ from a model folder: tokenizer.json when present, else vocab.json + merges.txt;
   * special tokens and model_max_length from special_tokens_map.json and tokenizer_config.json.
   */
  static async fromFolder(tokenizerDir: string): Promise<ClipTokenizer> {
    const config = await readOptionalJson(join(tokenizerDir, 'tokenizer_config.json'));
    const specialMap = await readOptionalJson(join(tokenizerDir, 'special_tokens_map.json'));
    const special: ClipSpecialTokens = {
      bos: tokenName(specialMap.bos_token ?? config.bos_token) ?? CLIP_SPECIAL_TOKENS.bos,
      eos: tokenName(specialMap.eos_token ?? config.eos_token) ?? CLIP_SPECIAL_TOKENS.eos,
      pad: tokenName(specialMap.pad_token ?? config.pad_token) ?? CLIP_SPECIAL_TOKENS.pad,
      unk: tokenName(specialMap.unk_token ?? config.unk_token) ?? CLIP_SPECIAL_TOKENS.unk,
    };
    const tokenizerJsonPath = join(tokenizerDir, 'tokenizer.json');
    const json = existsSync(tokenizerJsonPath)
      ? ((await readJson(tokenizerJsonPath)) as object)
      : clipTokenizerJson(
          (await readJson(join(tokenizerDir, 'vocab.json'))) as Record<string, number>,
          parseMerges(await readFile(join(tokenizerDir, 'merges.txt'), 'utf8')),
          special,
        );
    const tokenizer = new Tokenizer(json, config);
    const idOf = (role: keyof ClipSpecialTokens): number => {
      const id = tokenizer.token_to_id(special[role]);
      if (id === undefined) {
        throw new EngineError(
          'MODEL_INVALID',
          `${tokenizerDir}: the ${role} token "${special[role]}" named by tokenizer_config.json/special_tokens_map.json is not in the vocabulary. ` +
            'Fix: copy the tokenizer folder of the model this export came from.',
        );
      }
      return id;
    };
    const maxLength = typeof config.model_max_length === 'number' && config.model_max_length <= CLIP_MAX_LENGTH ? config.model_max_length : CLIP_MAX_LENGTH;
    return new ClipTokenizer(tokenizer, idOf('bos'), idOf('eos'), idOf('pad'), maxLength);
  }

  /** The BPE tokens of `text`, without special tokens or padding (for tests and prompt-length hints). */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  encode(text: string): number[] {
    const body = this.tokenize(text).slice(0, this.maxLength - 2);
    const ids = [this.bosId, ...body, this.eosId];
    while (ids.length < this.maxLength) ids.push(this.padId);
    return ids;
  }
}

type JsonObject = Record<string, unknown>;

async function readOptionalJson(path: string): Promise<JsonObject> {
  return existsSync(path) ? ((await readJson(path)) as JsonObject) : {};
}

/** A JSON file of the tokenizer folder; a parse error names the file and the fix. */
async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EngineError('MODEL_INVALID', `${path} is not valid JSON (${(error as Error).message}). Restore it from the original export.`);
  }
}

/** Token fields are either a string or an AddedToken object {content, ...}. */
function tokenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}
