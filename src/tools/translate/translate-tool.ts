import { z } from 'zod';
import { inBatches } from '../../core/batches.js';
import { UserError } from '../../core/errors.js';
import type { StoredMessage } from '../../core/history.js';
import { addUsage, type Served, type Usage } from '../../core/models.js';
import { defineTool, type KeywordText, type ToolContext } from '../../core/tool.js';
import { detectLanguage } from '../../models/local/language.js';
import { chunkText } from './chunks.js';
import { findLanguage, languageName, targetInText, type Language } from './languages.js';
import { hasWords, mask, splitCode, unmask } from './protect.js';

/** Small enough for any translation model's context, large enough that a page is a few calls. */
const CHUNK_CHARS = 1500;
/** Chunks translated at once: a long text finishes sooner without flooding the provider. */
const PARALLEL = 3;
const ENGLISH: Language = { code: 'en', name: 'English' };
/** "translate this to French": the words that point back at an earlier message. */
const POINTS_BACK = /^(?:this|that|it|these|the above|above|the last message|the message above|这个|这句话?|这段话?|上面的?(?:话|消息)?|它)?[.!?。！？]?$/iu;
/** How far back "the last message" is looked for. */
const LOOK_BACK = 10;

export const translate = defineTool({
  name: 'translate',
  description: 'Translate text, or the message replied to, into another language (source detected)',
  input: z.object({
    text: z.string().optional().describe('The text; leave it out to translate the message replied to, or the last one'),
    to: z.string().trim().min(1).max(40).optional().describe('Target language, a name or code (French, fr, 法语); default: your usual one, or English'),
    from: z.string().trim().min(1).max(40).optional().describe('Source language; detected when left out'),
    remember: z.boolean().optional().describe('Make the target language your default'),
  }),
  textField: 'text',
  keywords: ['translate', 'translation', '翻译', '翻譯', '译成', 'traduire', 'traduce', 'übersetze'],
  fromText: ({ head, body }: KeywordText) => {
    const text = [head, body].filter(Boolean).join(': ');
    return text ? { text } : {};
  },
  run: async (input, ctx) => {
    const request = readRequest(input.text ?? '', input.to);
    const source = input.from === undefined ? undefined : requireLanguage(input.from);
    const notes: string[] = [];
    if (input.remember) {
      if (!request.target) throw new UserError('invalid_input', 'Say which language to remember, e.g. `/translate --to French --remember`.');
      await ctx.history.setPreferences(ctx.inbound.user.id, { translateTo: request.target.code });
      notes.push(`From now on I'll translate into ${request.target.name} for you unless you say otherwise.`);
      if (!request.text) return { replies: [{ type: 'text', text: notes.join('\n') }] };
    }
    const target = request.target ?? (await preferredTarget(ctx));
    const original = request.text || (await earlierText(ctx));
    const from = source ?? detected(original);
    if (from && sameLanguage(from.code, target.code)) {
      return { replies: [{ type: 'text', text: [`That is already in ${target.name}.`, ...notes].join('\n') }] };
    }
    const result = await translateText(original, { target, from }, ctx);
    const header = `_${from ? from.name : 'Detected language'} → ${target.name}_`;
    return {
      replies: [{ type: 'text', text: [header, result.text, ...notes].join('\n') }],
      provider: result.provider,
      model: result.model,
      ...(result.usage ? { usage: result.usage } : {}),
    };
  },
});

function readRequest(text: string, to: string | undefined): { text: string; target: Language | undefined } {
  if (to !== undefined) return { text: pointsBack(text.trim()), target: requireLanguage(to) };
  const found = targetInText(text);
  if (found) {
    const language = findLanguage(found.named, found.explicit);
    if (language) return { text: pointsBack(found.rest), target: language };
    if (found.explicit) throw unknownLanguage(found.named);
  }
  return { text: pointsBack(text.trim()), target: undefined };
}

function pointsBack(text: string): string {
  return POINTS_BACK.test(text) ? '' : text;
}

function requireLanguage(name: string): Language {
  const language = findLanguage(name);
  if (!language) throw unknownLanguage(name);
  return language;
}

function unknownLanguage(name: string): UserError {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return new UserError('unknown_language', `I don't know a language called "${shown}". Name it in English or by its code, e.g. French or fr.`);
}

async function preferredTarget(ctx: ToolContext): Promise<Language> {
  const { translateTo } = await ctx.history.preferences(ctx.inbound.user.id);
  return (translateTo && findLanguage(translateTo)) || ENGLISH;
}

/** The message replied to (or the thread's first one), else the newest earlier message someone wrote. */
async function earlierText(ctx: ToolContext): Promise<string> {
  const reference = ctx.inbound.reference?.text.trim();
  if (reference) return reference;
  const earlier = await ctx.history.recent(ctx.inbound.conversation.key, { maxChars: 100_000, before: ctx.messageId, limit: LOOK_BACK });
  const last = earlier.reverse().find(isTranslatable);
  if (!last) {
    throw new UserError(
      'nothing_to_translate',
      'Give me something to translate, e.g. `/translate to French Good morning`, or reply to a message with "translate".',
    );
  }
  return last.text;
}

function isTranslatable(message: StoredMessage): boolean {
  const text = message.text.trim();
  return message.direction === 'in' && hasWords(text) && !text.startsWith('/');
}

/** Trusted only when the text says clearly; otherwise the model finds the language itself. */
function detected(text: string): Language | undefined {
  const found = detectLanguage(text);
  return found.code === 'unknown' ? undefined : { code: found.code, name: languageName(found.code) };
}

function sameLanguage(a: string, b: string): boolean {
  // zh and zh-Hant differ in script; en and en-GB do not need translating.
  if (a.startsWith('zh') || b.startsWith('zh')) return a === b || (a === 'zh' && b === 'zh-Hans');
  return a.split('-')[0] === b.split('-')[0];
}

interface Translated extends Served {
  text: string;
}

async function translateText(text: string, languages: { target: Language; from: Language | undefined }, ctx: ToolContext): Promise<Translated> {
  const jobs: Array<() => Promise<string>> = [];
  const parts: Array<string | number> = [];
  let served: Served | undefined;
  let usage: Usage | undefined;
  const call = async (chunk: string) => {
    const answer = await ctx.models.translate(
      { text: chunk, target: languages.target.code, ...(languages.from ? { source: languages.from.code } : {}) },
      { signal: ctx.signal },
    );
    served = answer;
    usage = addUsage(usage, answer.usage);
    return answer.text;
  };
  for (const piece of splitCode(text)) {
    if (piece.kind === 'kept') {
      parts.push(piece.text);
      continue;
    }
    for (const chunk of chunkText(piece.text, CHUNK_CHARS)) {
      const [lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(chunk)?.slice(1) ?? [];
      const masked = mask(core);
      if (!hasWords(masked.text)) {
        parts.push(chunk);
        continue;
      }
      parts.push(lead, jobs.length, trail);
      // A model that drops or repeats a placeholder gets the text as it is, told to keep those parts.
      jobs.push(async () => unmask(await call(masked.text), masked.kept) ?? (await call(core)));
    }
  }
  const done = await inBatches(jobs, PARALLEL);
  const joined = parts.map((part) => (typeof part === 'number' ? (done[part] ?? '') : part)).join('');
  if (!served) throw new UserError('nothing_to_translate', 'There are no words to translate in that, only code, links or emoji.');
  const { provider, model } = served;
  return { provider, model, text: joined.trim(), ...(usage ? { usage } : {}) };
}
