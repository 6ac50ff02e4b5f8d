import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The DejaVu TrueType files that ship with the dejavu-fonts-ttf package. */
const BUNDLED_FONT_DIR = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A fontconfig file that finds the bundled fonts, and the machine's own after them when it has
 * any (CJK labels need them: DejaVu has no Chinese). `system: false` finds the bundled fonts alone.
 */
function fontsConf(cacheDir: string, options: { system: boolean }): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    ...(options.system ? ['  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'] : []),
    `  <dir>${escapeXml(BUNDLED_FONT_DIR)}</dir>`,
    `  <cachedir>${escapeXml(cacheDir)}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

/** Writes a fonts.conf into the OS temp folder (atomically: several processes may start at once) and returns its path. */
export function writeFontsConf(options: { system: boolean }): string {
  const key = createHash('sha256')
    .update(`${BUNDLED_FONT_DIR}\n${String(options.system)}`)
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `assistant-fonts-${key}`);
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const file = join(dir, 'fonts.conf');
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, fontsConf(join(dir, 'cache'), options));
  renameSync(partial, file);
  return file;
}

/**
 * librsvg (inside sharp) finds fonts through fontconfig, which reads FONTCONFIG_FILE once, at the
 * first text anything in the process draws. Without this a machine with no fonts installed draws
 * every label as an empty box. An operator's own FONTCONFIG_FILE is left alone, and so is the
 * machine's setup when the temp folder can't be written.
 */
export function useBundledFonts(): void {
  if (process.env['FONTCONFIG_FILE'] !== undefined) return;
  try {
    process.env['FONTCONFIG_FILE'] = writeFontsConf({ system: true });
  } catch {
    // Charts then use the machine's fonts; there is nothing better to do.
  }
}
