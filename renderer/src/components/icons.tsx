// The few icons the app uses, drawn inline so nothing is fetched and the CSP stays strict.
// They are decoration: the button that holds one carries the words (aria-label and title).
import type { ReactElement } from 'react';

const PATHS = {
  play: 'M8 5v14l11-7z',
  history:
    'M13 3a9 9 0 0 0-9 9H1l3.9 3.9L9 12H6a7 7 0 1 1 2.05 4.95l-1.42 1.42A9 9 0 1 0 13 3zm-1 5v5l4.25 ' +
    '2.52.77-1.28-3.52-2.09V8z',
  edit:
    'M3 17.25V21h3.75L17.81 9.94l-3.75-3.75zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 ' +
    '0l-1.83 1.83 3.75 3.75z',
  stop: 'M6 6h12v12H6z',
  close:
    'M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 ' +
    '17.59 13.41 12z',
  download: 'M5 20h14v-2H5zM19 9h-4V3H9v6H5l7 7z',
  folder: 'M10 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-8z',
  refresh:
    'M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.73 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 ' +
    '1.78L13 11h7V4z',
  add: 'M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6z',
  actions: 'M4 6h16v2H4zm0 5h16v2H4zm0 5h10v2H4z',
  missions:
    'M20 6h-8l-2-2H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2zm-6 10H6v-2h8zm4-4H6v-2h12z',
  arrowDown: 'M20 12l-1.41-1.41L13 16.17V4h-2v12.17l-5.58-5.59L4 12l8 8z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }): ReactElement {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
