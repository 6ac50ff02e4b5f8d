/** Code blocks (an unclosed fence runs to the end, as chat clients render it) and inline code. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
/** Discord and Slack tokens: <@123>, <#C1|general>, <:name:123>, <t:1700000000:R>, <!here>, <https://…|label>. */
const PLATFORM_TOKEN = /<(?:[@#!]|a?:|t:|https?:|mailto:)[^<>]*>/gi;
const MENTION = /(^|\s)@[\w.-]+/g;
const EMOJI_SHORTCODE = /:[a-z][\w+-]*:/gi;
/** Pictographs with their skin tones, variation selectors, joiners and flag letters. */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u{FE0F}\u{200D}]/gu;

/** The prose of a chat message: what names, links, code and emoji would skew in a guess of its language. */
export function proseOnly(text: string): string {
  return text
    .replace(CODE, ' ')
    .replace(PLATFORM_TOKEN, ' ')
    .replace(URL, ' ')
    .replace(MENTION, '$1')
    .replace(EMOJI_SHORTCODE, ' ')
    .replace(EMOJI, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
