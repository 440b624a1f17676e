// ANSI colours of a log line as styled segments. anser does the parsing; the 16 standard
// colours become classes (the theme decides how they look on a light or dark log), the 256
// palette and true colours become an inline colour, as a terminal would show them.
import Anser from 'anser';
import type { CSSProperties } from 'react';

export interface AnsiSegment {
  text: string;
  className: string;
  style: CSSProperties | undefined;
}

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

/** The colour of entry n of the xterm 256-colour palette (16 and above; below are classes). */
export function paletteColour(n: number): string {
  if (n >= 232) {
    const grey = 8 + (n - 232) * 10;
    return `rgb(${grey}, ${grey}, ${grey})`;
  }
  const cube = n - 16;
  const r = CUBE_LEVELS[Math.floor(cube / 36) % 6];
  const g = CUBE_LEVELS[Math.floor(cube / 6) % 6];
  const b = CUBE_LEVELS[cube % 6];
  return `rgb(${r}, ${g}, ${b})`;
}

const STANDARD_PALETTE = [
  'ansi-black',
  'ansi-red',
  'ansi-green',
  'ansi-yellow',
  'ansi-blue',
  'ansi-magenta',
  'ansi-cyan',
  'ansi-white',
  'ansi-bright-black',
  'ansi-bright-red',
  'ansi-bright-green',
  'ansi-bright-yellow',
  'ansi-bright-blue',
  'ansi-bright-magenta',
  'ansi-bright-cyan',
  'ansi-bright-white',
];

function colour(
  name: string | null,
  truecolour: string | null,
  layer: 'fg' | 'bg',
): { className?: string; value?: string } {
  if (!name) return {};
  if (name === 'ansi-truecolor' && truecolour) return { value: `rgb(${truecolour})` };
  const palette = /^ansi-palette-(\d+)$/.exec(name);
  if (palette) {
    const n = Number(palette[1]);
    return n < 16 ? { className: `${STANDARD_PALETTE[n]}-${layer}` } : { value: paletteColour(n) };
  }
  return { className: `${name}-${layer}` };
}

export function ansiSegments(text: string): AnsiSegment[] {
  if (!text.includes('\u001b')) return [{ text, className: '', style: undefined }];
  return Anser.ansiToJson(text, { use_classes: true, remove_empty: true }).map((entry) => {
    const fg = colour(entry.fg, entry.fg_truecolor, 'fg');
    const bg = colour(entry.bg, entry.bg_truecolor, 'bg');
    const classes = [fg.className, bg.className, ...entry.decorations.map((d) => `ansi-${d}`)];
    const style: CSSProperties = {};
    if (fg.value) style.color = fg.value;
    if (bg.value) style.backgroundColor = bg.value;
    return {
      text: entry.content,
      className: classes.filter(Boolean).join(' '),
      style: fg.value || bg.value ? style : undefined,
    };
  });
}
