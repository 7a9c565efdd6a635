import { useRef } from 'preact/hooks';
import { describeError, post } from '../api/client.js';
import { useToast } from '../components/toast.js';
import type { ComposeInit } from '../state.js';

/** How long Undo is offered before a message really leaves. */
export const UNDO_SEND_MS = 5000;

export interface DraftFields {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
}

/**
 * Undo send: the saved draft is sent only after a few seconds; Undo reopens it instead. Nothing
 * is lost if the tab closes meanwhile: the draft stays in Drafts.
 */
export function useUndoSend(reopen: (init: ComposeInit) => void, onSent: () => void) {
  const toast = useToast();
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  return (draftId: string, fields: DraftFields) => {
    const t = setTimeout(() => {
      timers.current.delete(draftId);
      post(`/v1/drafts/${encodeURIComponent(draftId)}/send`, fields).then(
        () => {
          toast('Message sent.');
          onSent();
        },
        (err) => {
          toast(`Not sent: ${describeError(err)}`);
          reopen({ draftId });
        },
      );
    }, UNDO_SEND_MS);
    timers.current.set(draftId, t);
    toast('Sending…', {
      timeoutMs: UNDO_SEND_MS,
      action: {
        label: 'Undo',
        run: () => {
          clearTimeout(t);
          timers.current.delete(draftId);
          reopen({ draftId });
        },
      },
    });
  };
}
