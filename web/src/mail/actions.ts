import { describeError, post } from '../api/client.js';
import type { MessageSummary } from '../api/types.js';
import type { ToastAction } from '../components/toast.js';
import { mailboxBySpecial, mailboxName, type AppState } from '../state.js';

type Toast = (message: string, opts?: { action?: ToastAction; timeoutMs?: number }) => void;

export interface Target {
  id: string;
  mailboxId: string;
}

/** The ids after a batch action, grouped back by where each message was before (for Undo). */
const batch = (body: Record<string, unknown>) =>
  post<{ items: MessageSummary[]; moves: Array<{ from: string; fromMailboxId: string; to: string }> }>('/v1/messages/batch', body);

/**
 * Conversation and message actions with Undo: moves (archive, delete to Trash, spam, labels)
 * answer the moved copies' new ids, and Undo moves those back where each one came from.
 */
export function mailActions(app: AppState, toast: Toast, after: () => void) {
  const done = () => {
    void app.refreshMailboxes().catch(() => undefined);
    after();
  };
  const fail = (err: unknown) => toast(describeError(err));
  // Not `after`: the view may have changed since the action; lists refresh from the change events.
  const undone = () => {
    void app.refreshMailboxes().catch(() => undefined);
    toast('Undone.');
  };

  async function move(targets: Target[], toBoxId: string, verb: string) {
    const ids = targets.filter((t) => t.mailboxId !== toBoxId).map((t) => t.id);
    if (!ids.length) return;
    try {
      const r = await batch({ ids, mailboxId: toBoxId });
      const back = new Map<string, string[]>();
      for (const m of r.moves) back.set(m.fromMailboxId, [...(back.get(m.fromMailboxId) ?? []), m.to]);
      done();
      toast(`${verb}.`, {
        action: {
          label: 'Undo',
          run: () =>
            void (async () => {
              for (const [boxId, movedIds] of back) await batch({ ids: movedIds, mailboxId: boxId });
              undone();
            })().catch(fail),
        },
      });
    } catch (err) {
      fail(err);
    }
  }

  const special = (s: string) => mailboxBySpecial(app.mailboxes, s);
  const count = (n: number, one: string) => (n === 1 ? `${one}` : `${n} ${one}s`);

  return {
    archive: (t: Target[]) => {
      const box = special('\\Archive');
      if (box) void move(t, box.id, 'Archived');
    },
    trash: (t: Target[]) => {
      const box = special('\\Trash');
      if (box) void move(t, box.id, 'Moved to Trash');
    },
    spam: (t: Target[]) => {
      const box = special('\\Junk');
      if (box) void move(t, box.id, 'Reported as spam');
    },
    notSpam: (t: Target[]) => {
      const box = special('\\Inbox');
      if (box) void move(t, box.id, 'Moved to Inbox (not spam)');
    },
    moveTo: (t: Target[], boxId: string) => {
      const box = app.mailboxes.find((b) => b.id === boxId);
      if (box) void move(t, box.id, `Moved to ${mailboxName(box)}`);
    },
    async star(ids: string[], on: boolean) {
      try {
        await batch({ ids, flagged: on });
        done();
        toast(on ? 'Starred.' : 'Star removed.', { action: { label: 'Undo', run: () => void batch({ ids, flagged: !on }).then(undone, fail) } });
      } catch (err) {
        fail(err);
      }
    },
    async markRead(ids: string[], on: boolean, quiet = false) {
      try {
        await batch({ ids, seen: on });
        done();
        if (!quiet) toast(on ? 'Marked as read.' : 'Marked as unread.', { action: { label: 'Undo', run: () => void batch({ ids, seen: !on }).then(undone, fail) } });
      } catch (err) {
        fail(err);
      }
    },
    async deleteForever(ids: string[]) {
      if (!window.confirm(`Delete ${count(ids.length, 'message')} forever? This cannot be undone.`)) return;
      try {
        await post('/v1/messages/delete', { ids });
        done();
        toast('Deleted forever.');
      } catch (err) {
        fail(err);
      }
    },
  };
}
