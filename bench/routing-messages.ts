/** What the routing benchmark sends and what the fake model answers; shared by the parent and the server. */

export const MESSAGES_PATH = '/api/messages';

/** Any token of the right shape: the fake takes every one. */
export const BENCH_HF_TOKEN = 'hf_fake_token_for_tests_0123456789abcdef';

/** Free text with no keyword in it: the model answers it directly, the keyword rules hand it to help. */
export const QUESTION = 'What is the capital of France, and how many people live there?';

/** What the fake's summarize call answers. */
export const MODEL_SUMMARY = '- The council debated the budget.\n- The vote is next week.';

/** A streamed answer in a few pieces. */
export const STREAMED_PIECES = ['Paris ', 'is the ', 'capital; ', 'about two ', 'million people live there.'];
