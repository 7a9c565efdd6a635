import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../components/icon.js';
import { ApiError, del, describeError, get, post, put, upload } from '../api/client.js';
import type { Contact, Draft, Group } from '../api/types.js';
import { ErrorText } from '../components/page.js';
import { useToast } from '../components/toast.js';
import { formatSize } from '../format.js';
import { useApp, type ComposeInit } from '../state.js';
import { RecipientInput } from './recipient-input.js';
import { signatureBlock } from './reply.js';
import type { DraftFields } from './undo-send.js';

const AUTOSAVE_MS = 1500;

interface Upload {
  key: number;
  name: string;
  size: number;
  progress: number;
  error: string | null;
  abort: () => void;
}

/**
 * The composer. Everything typed is saved to Drafts (debounced) as a draft message on the server;
 * attachments are uploaded into that draft with progress shown; Send hands the draft to the
 * undo-send timer. Draft operations run one after another, since every save gives the draft a
 * new id.
 */
export function Compose({ init, onClose, onSend }: { init: ComposeInit; onClose: () => void; onSend: (draftId: string, fields: DraftFields) => void }) {
  const app = useApp();
  const toast = useToast();
  const [fields, setFields] = useState<DraftFields>({
    to: init.to ?? [],
    cc: init.cc ?? [],
    bcc: init.bcc ?? [],
    subject: init.subject ?? '',
    text: init.text ?? (init.draftId ? '' : signatureBlock(app.prefs?.signature ?? '')),
  });
  const [showCc, setShowCc] = useState(!!(init.cc?.length || init.bcc?.length));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [minimized, setMinimized] = useState(false);
  const draftRef = useRef<Draft | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const version = useRef(0);
  const savedVersion = useRef(0);
  const fieldsRef = useRef(fields);
  fieldsRef.current = fields;
  const body = useRef<HTMLTextAreaElement>(null);
  const uploadSeq = useRef(0);

  /** Runs draft operations strictly one after another. */
  const enqueue = <T,>(op: () => Promise<T>): Promise<T> => {
    const p = queue.current.then(op, op);
    queue.current = p.catch(() => undefined);
    return p;
  };
  const adopt = (d: Draft) => {
    draftRef.current = d;
    setDraft(d);
  };

  const save = () =>
    enqueue(async () => {
      const v = version.current;
      if (v === savedVersion.current && draftRef.current) return draftRef.current;
      const f = fieldsRef.current;
      setStatus('Saving…');
      try {
        const d = draftRef.current
          ? await put<Draft>(`/v1/drafts/${encodeURIComponent(draftRef.current.id)}`, f)
          : await post<Draft>('/v1/drafts', { ...f, ...(init.inReplyTo ? { inReplyTo: init.inReplyTo } : {}), ...(init.forwardOf ? { forwardOf: init.forwardOf } : {}) });
        adopt(d);
        savedVersion.current = v;
        setStatus('Draft saved');
        return d;
      } catch (err) {
        setStatus('');
        setError(`Draft not saved: ${describeError(err)}`);
        throw err;
      }
    });

  useEffect(() => {
    void get<Contact[]>('/v1/contacts?limit=1000').then(setContacts, () => undefined);
    void get<Group[]>('/v1/groups').then(setGroups, () => undefined);
    if (init.draftId) {
      void get<Draft>(`/v1/drafts/${encodeURIComponent(init.draftId)}`).then(
        (d) => {
          adopt(d);
          setFields({ to: d.to, cc: d.cc, bcc: d.bcc, subject: d.subject, text: d.text });
          setShowCc(d.cc.length > 0 || d.bcc.length > 0);
        },
        (err) => setError(describeError(err)),
      );
    } else if (init.forwardOf) {
      // A forward carries the original's attachments: make the draft now so they show.
      version.current++;
      void save().catch(() => undefined);
    }
    if (init.inReplyTo) body.current?.focus();
    if (body.current) body.current.setSelectionRange(0, 0);
  }, []);

  // Save while typing, a moment after the last change.
  useEffect(() => {
    if (version.current === 0) return;
    const t = setTimeout(() => void save().catch(() => undefined), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [fields]);

  const change = (patch: Partial<DraftFields>) => {
    version.current++;
    setFields({ ...fieldsRef.current, ...patch });
  };

  const attach = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = ++uploadSeq.current;
      const set = (patch: Partial<Upload>) => setUploads((cur) => cur.map((u) => (u.key === key ? { ...u, ...patch } : u)));
      let abort = () => undefined as void;
      setUploads((cur) => [...cur, { key, name: file.name, size: file.size, progress: 0, error: null, abort: () => abort() }]);
      void save()
        .then(() =>
          enqueue(async () => {
            const job = upload<Draft>(`/v1/drafts/${encodeURIComponent(draftRef.current!.id)}/attachments?filename=${encodeURIComponent(file.name)}`, file, (p) => set({ progress: p }));
            abort = job.abort;
            adopt(await job.promise);
          }),
        )
        .then(
          () => setUploads((cur) => cur.filter((u) => u.key !== key)),
          (err) => set({ error: err instanceof ApiError && err.code === 'payload_too_large' ? 'Too large' : describeError(err) }),
        );
    }
  };

  const removeAttachment = (index: number) =>
    void enqueue(async () => {
      if (!draftRef.current) return;
      adopt(await put<Draft>(`/v1/drafts/${encodeURIComponent(draftRef.current.id)}`, { ...fieldsRef.current, removeAttachments: [index] }));
    }).catch((err) => setError(describeError(err)));

  const send = async () => {
    const f = fieldsRef.current;
    if (f.to.length + f.cc.length + f.bcc.length === 0) {
      setError('Add at least one recipient.');
      document.getElementById('compose-to')?.focus();
      return;
    }
    if (uploads.some((u) => !u.error)) {
      setError('Wait for the attachments to finish uploading.');
      return;
    }
    try {
      version.current++;
      const d = await save();
      onSend(d.id, f);
      onClose();
    } catch {
      /* the error is shown */
    }
  };

  const close = async () => {
    if (version.current !== savedVersion.current || !draftRef.current) {
      const empty = !fields.to.length && !fields.cc.length && !fields.subject.trim() && fields.text.trim() === signatureBlock(app.prefs?.signature ?? '').trim();
      if (!empty || draftRef.current) await save().catch(() => undefined);
    }
    if (draftRef.current) toast('Draft saved.');
    onClose();
  };

  const discard = async () => {
    await enqueue(async () => {
      if (draftRef.current) await del(`/v1/drafts/${encodeURIComponent(draftRef.current.id)}`);
    }).catch(() => undefined);
    toast('Draft discarded.');
    onClose();
  };

  const title = fields.subject.trim() || (init.inReplyTo ? 'Reply' : 'New message');
  return (
    <section
      class={`compose${minimized ? ' minimized' : ''}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby="compose-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          void close();
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void send();
        }
      }}
    >
      <header class="compose-head">
        <h2 id="compose-title">{title}</h2>
        <span class="muted compose-status" role="status">
          {status}
        </span>
        <button type="button" class="icon-button" aria-label={minimized ? 'Expand' : 'Minimize'} aria-expanded={!minimized} onClick={() => setMinimized(!minimized)}>
          <Icon name={minimized ? 'up' : 'down'} />
        </button>
        <button type="button" class="icon-button" aria-label="Save and close" onClick={() => void close()}>
          <Icon name="close" />
        </button>
      </header>
      {!minimized && (
        <form
          class="compose-form"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <RecipientInput id="compose-to" label="To" value={fields.to} onChange={(to) => change({ to })} contacts={contacts} groups={groups} autoFocus={!init.inReplyTo && !init.draftId} />
          {showCc ? (
            <>
              <RecipientInput id="compose-cc" label="Cc" value={fields.cc} onChange={(cc) => change({ cc })} contacts={contacts} groups={groups} />
              <RecipientInput id="compose-bcc" label="Bcc" value={fields.bcc} onChange={(bcc) => change({ bcc })} contacts={contacts} groups={groups} />
            </>
          ) : (
            <button type="button" class="link-button" onClick={() => setShowCc(true)}>
              Add Cc / Bcc
            </button>
          )}
          <label for="compose-subject">Subject</label>
          <input id="compose-subject" type="text" value={fields.subject} onInput={(e) => change({ subject: e.currentTarget.value })} />
          <label for="compose-body">Message</label>
          <textarea id="compose-body" ref={body} rows={12} value={fields.text} onInput={(e) => change({ text: e.currentTarget.value })} />
          {(draft?.attachments.length || uploads.length) > 0 && (
            <ul class="compose-attachments" aria-label="Attachments">
              {draft?.attachments.map((a) => (
                <li key={`a${a.index}`}>
                  <span>
                    {a.filename} <span class="muted">({formatSize(a.size)})</span>
                  </span>
                  <button type="button" class="icon-button" aria-label={`Remove ${a.filename}`} onClick={() => removeAttachment(a.index)}>
                    ×
                  </button>
                </li>
              ))}
              {uploads.map((u) => (
                <li key={`u${u.key}`}>
                  <span id={`upload-${u.key}`}>
                    {u.name} <span class="muted">({formatSize(u.size)})</span>
                  </span>
                  {u.error ? (
                    <span class="error">{u.error}</span>
                  ) : (
                    <progress max={1} value={u.progress} aria-labelledby={`upload-${u.key}`}>
                      {Math.round(u.progress * 100)}%
                    </progress>
                  )}
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={u.error ? `Dismiss ${u.name}` : `Cancel upload of ${u.name}`}
                    onClick={() => {
                      u.abort();
                      setUploads((cur) => cur.filter((x) => x.key !== u.key));
                    }}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <ErrorText error={error} />
          <div class="compose-actions">
            <button type="submit" class="primary">
              Send
            </button>
            <label class="file-button">
              <span>Attach files</span>
              <input
                type="file"
                multiple
                class="visually-hidden"
                onChange={(e) => {
                  attach(e.currentTarget.files);
                  e.currentTarget.value = '';
                }}
              />
            </label>
            <button type="button" class="secondary" onClick={() => void discard()}>
              Discard
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
