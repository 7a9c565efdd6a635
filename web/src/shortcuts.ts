import { useEffect, useRef } from 'preact/hooks';

/** Keys typed into a field are text, not commands. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
}

/**
 * Gmail's single-key shortcuts (j/k, e, #, s, c, /, ...), by `KeyboardEvent.key`. Ignored while
 * typing in a field or with Ctrl/Alt/Meta held, so browser and screen-reader keys stay intact.
 */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const f = ref.current[e.key];
      if (!f) return;
      e.preventDefault();
      f(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export const SHORTCUT_HELP: Array<[string, string]> = [
  ['j / k', 'Next / previous conversation or message'],
  ['Enter', 'Open the conversation'],
  ['u', 'Back to the list'],
  ['e', 'Archive'],
  ['#', 'Delete (move to Trash)'],
  ['!', 'Report spam'],
  ['s', 'Star / unstar'],
  ['Shift+i / Shift+u', 'Mark read / unread'],
  ['r / a / f', 'Reply / reply all / forward'],
  ['c', 'Compose'],
  ['/', 'Search'],
  ['g then i', 'Go to the inbox'],
  ['?', 'This list'],
];
