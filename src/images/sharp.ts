import sharp from 'sharp';
import { useBundledFonts } from './fonts.js';

// Before anything in the process draws text with librsvg (charts, SVG images): fontconfig reads
// its configuration once, at the first text drawn.
useBundledFonts();

/** sharp, with the bundled fonts set up for the SVG text it draws. */
export default sharp;
