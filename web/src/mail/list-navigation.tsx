import { useRef, useState } from 'preact/hooks';
import { Icon } from '../components/icon.js';
import { focusRow } from './conversation-row.js';

/** Newer/Older paging over the API's opaque cursors: the stack of cursors walked so far, the top one shown. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    onFirstPage: cursors.length === 1,
    newer: () => setCursors(cursors.slice(0, -1)),
    older: (next: string) => setCursors([...cursors, next]),
    reset: () => setCursors([null]),
  };
}

export function Pager({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined }) {
  return (
    <div class="pager" role="group" aria-label="Pages">
      <button type="button" class="icon-button" disabled={pages.onFirstPage} onClick={pages.newer} aria-label="Newer">
        <Icon name="left" />
      </button>
      <button type="button" class="icon-button" disabled={!nextCursor} onClick={() => nextCursor && pages.older(nextCursor)} aria-label="Older">
        <Icon name="right" />
      </button>
    </div>
  );
}

/** The row the keyboard acts on (Gmail's j/k) in a list of `count` rows, kept in view and focused. */
export function useActiveRow(count: number) {
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const moveTo = (i: number) => {
    const n = Math.max(0, Math.min(count - 1, i));
    setActive(n);
    focusRow(list.current, n);
  };
  return {
    active,
    setActive,
    list,
    // The first j lands on the current row; later ones move down.
    next: () => moveTo(document.activeElement?.classList.contains('row-link') ? active + 1 : active),
    previous: () => moveTo(active - 1),
  };
}
