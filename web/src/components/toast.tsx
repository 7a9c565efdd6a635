import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';

export interface ToastAction {
  label: string;
  run(): void;
}

interface Toast {
  id: number;
  message: string;
  action?: ToastAction;
  timeoutMs: number;
}

type ShowToast = (message: string, opts?: { action?: ToastAction; timeoutMs?: number }) => void;
const ToastContext = createContext<ShowToast>(() => undefined);

export const useToast = () => useContext(ToastContext);

/**
 * One message at a time in a polite live region, with an optional action (Undo). The action's
 * button is reachable by keyboard and the region is announced by screen readers.
 */
export function ToastProvider({ children }: { children: ComponentChildren }) {
  const [toast, setToast] = useState<Toast | null>(null);
  const seq = useRef(0);
  const show = useCallback<ShowToast>((message, opts = {}) => {
    seq.current += 1;
    setToast({ id: seq.current, message, ...(opts.action ? { action: opts.action } : {}), timeoutMs: opts.timeoutMs ?? 6000 });
  }, []);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast((cur) => (cur?.id === toast.id ? null : cur)), toast.timeoutMs);
    return () => clearTimeout(t);
  }, [toast]);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div class="toast-region" role="status" aria-live="polite">
        {toast && (
          <div class="toast" key={toast.id}>
            <span>{toast.message}</span>
            {toast.action && (
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  toast.action!.run();
                  setToast(null);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => setToast(null)}>
              ×
            </button>
          </div>
        )}
      </div>
    </ToastContext.Provider>
  );
}
