import type { Inbound } from './message.js';
import type { ToolRegistry } from './registry.js';
import { validateInput, type FreeTextRouter, type Routed } from './router.js';
import type { Tool } from './tool.js';

/** How far into a message a keyword still counts as the request rather than its content. */
const HEAD_CHARS = 80;
const HEAD_END = /[:：\n]/;

interface KeywordMatcher {
  tool: Tool;
  pattern: RegExp;
}

/**
 * Routes free text by the keywords each tool declares (English, Chinese, any language). Only the
 * head of the message is read, up to the first colon or line break, so that a pasted text which
 * happens to contain "summary" is not taken for a request.
 */
export class RulesRouter implements FreeTextRouter {
  readonly #matchers: KeywordMatcher[];

  constructor(registry: ToolRegistry) {
    this.#matchers = registry.list().flatMap((tool) => tool.keywords.map((keyword) => ({ tool, pattern: keywordPattern(keyword) })));
  }

  route(inbound: Inbound): Promise<Routed | undefined> {
    const text = inbound.text.trim();
    const delimiter = HEAD_END.exec(text.slice(0, HEAD_CHARS + 1));
    const head = delimiter ? text.slice(0, delimiter.index) : text.slice(0, HEAD_CHARS);
    let best: { tool: Tool; end: number; start: number } | undefined;
    for (const { tool, pattern } of this.#matchers) {
      const match = pattern.exec(head);
      if (match && (!best || match.index < best.start)) best = { tool, start: match.index, end: match.index + match[0].length };
    }
    if (!best) return Promise.resolve(undefined);
    const keywordText = delimiter
      ? { head: head.slice(best.end).trim(), body: text.slice(delimiter.index + 1).trim() }
      : { head: text.slice(best.end).trim(), body: '' };
    return Promise.resolve({ kind: 'intent', tool: best.tool, input: validateInput(best.tool, best.tool.fromText(keywordText)), via: 'rules' });
  }
}

/** Latin words match whole words; scripts written without spaces (Chinese, Japanese) match anywhere. */
function keywordPattern(keyword: string): RegExp {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return /^[\p{Script=Latin}\d\s;'-]+$/u.test(keyword) ? new RegExp(`(?<![\\p{L}\\d])${escaped}(?![\\p{L}\\d])`, 'iu') : new RegExp(escaped, 'iu');
}
