/**
 * Line icons drawn inline (no icon font, no emoji: headless and minimal systems lack those
 * glyphs). Always decorative: the control around them carries the accessible name.
 */
const PATHS = {
  search: 'M10 4a6 6 0 1 1 0 12a6 6 0 0 1 0-12zM15 15l5 5',
  archive: 'M3 4h18v4H3zM5 8v12h14V8M12 11v6M9 14l3 3l3-3',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  mail: 'M3 6h18v12H3zM3 6l9 7l9-7',
  mailOpen: 'M3 10l9-6l9 6v10H3zM3 10l9 6l9-6',
  clip: 'M16 7l-7 7a2 2 0 0 0 3 3l7-7a4 4 0 0 0-6-6l-7 7a6 6 0 0 0 8 8l6-6',
  star: 'M12 3l2.8 5.8l6.2.9l-4.5 4.4l1.1 6.2L12 17.4l-5.6 2.9l1.1-6.2L3 9.7l6.2-.9z',
  left: 'M15 5l-7 7l7 7',
  right: 'M9 5l7 7l-7 7',
  back: 'M20 12H5M11 5l-7 7l7 7',
  menu: 'M4 6h16M4 12h16M4 18h16',
  close: 'M6 6l12 12M18 6L6 18',
  down: 'M6 9l6 6l6-6',
  up: 'M6 15l6-6l6 6',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, filled = false }: { name: IconName; filled?: boolean }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill={filled ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
