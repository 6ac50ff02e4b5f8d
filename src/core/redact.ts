/** Token shapes that must never be stored or shown, whoever typed or generated them. */
const TOKEN_PATTERNS: RegExp[] = [
  /\bhf_[A-Za-z0-9]{30,}\b/g,
  /\bxox[abposre]-[A-Za-z0-9-]{10,}/g,
  /\bxapp-[A-Za-z0-9-]{10,}/g,
  /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
];
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi;

export type Redactor = (text: string) => string;

/** Replaces the configured secret values and anything shaped like a known token with [redacted]. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const exact = secrets.filter((secret) => secret.length >= 8);
  return (text) => {
    let out = text;
    for (const secret of exact) out = out.split(secret).join('[redacted]');
    for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, '[redacted]');
    return out.replace(URL_PASSWORD, '$1:[redacted]@');
  };
}
