import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The heading of a view: sets the document title and takes focus when the view changes, so a
 * screen reader announces where a navigation landed (there is no page load to do it).
 */
export function PageHeading({ title, children, visuallyHidden = false }: { title: string; children?: ComponentChildren; visuallyHidden?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Heron Mail`;
    // Only move focus if it is not already in a field the user is typing in.
    const active = document.activeElement;
    if (!active || active === document.body || !active.closest('input, textarea, select, [role="dialog"]')) ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} class={visuallyHidden ? 'visually-hidden' : undefined}>
      {children ?? title}
    </h1>
  );
}

export function ErrorText({ error, id }: { error: string | null; id?: string }) {
  return error ? (
    <p class="error" role="alert" id={id}>
      {error}
    </p>
  ) : null;
}

/** A live region that is always in the page, so screen readers announce its changes. */
export function StatusText({ text }: { text: string | null }) {
  return (
    <p role="status" class="status-text">
      {text ?? ''}
    </p>
  );
}
