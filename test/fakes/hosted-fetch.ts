/** The hosts the client talks to on the hosted path: the Hub (model mappings) and the router (inference). */
const HOSTED_ORIGINS = new Set(['https://huggingface.co', 'https://router.huggingface.co']);

/**
 * A `fetch` for `new InferenceClient(token, { fetch })` that sends the hosted path to a fake: the
 * origin of a Hub or router URL becomes `baseUrl`, path and query stay. Their paths do not overlap
 * (`/api/...` on the Hub, `/v1/...` and `/<provider>/...` on the router), so one fake serves both.
 * Every other URL goes to the real `fetch` unchanged.
 */
export function rewritingFetch(baseUrl: string): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (!HOSTED_ORIGINS.has(url.origin)) return fetch(input, init);
    const target = `${baseUrl}${url.pathname}${url.search}`;
    return input instanceof Request ? fetch(new Request(target, input), init) : fetch(target, init);
  };
}
