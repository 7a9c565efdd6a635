import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../components/icon.js';
import type { MessageDetail } from '../api/types.js';
import { formatSize } from '../format.js';

/**
 * A message body. HTML is never put into this page: the server sanitises it and serves it as a
 * document of its own with a policy that allows no script and no remote loads, shown here in a
 * sandboxed frame (no scripts, forms or top navigation). Remote images stay blocked until the
 * reader asks for them. Plain text is shown as text.
 */
export function MessageBody({ message }: { message: MessageDetail }) {
  const [images, setImages] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  const mayHaveRemote = (message.remoteImages ?? 1) > 0;

  const fit = () => {
    const f = frame.current;
    const doc = f?.contentDocument;
    if (!f || !doc?.documentElement) return;
    f.style.height = `${Math.min(Math.max(doc.documentElement.scrollHeight, 60), 20000)}px`;
  };
  useEffect(() => {
    const f = frame.current;
    if (!f) return;
    let observer: ResizeObserver | null = null;
    const onLoad = () => {
      fit();
      observer?.disconnect();
      const body = f.contentDocument?.body;
      if (body) {
        observer = new ResizeObserver(fit);
        observer.observe(body);
      }
    };
    f.addEventListener('load', onLoad);
    return () => {
      f.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, [message.id]);

  return (
    <div class="message-body">
      {message.html ? (
        <>
          {mayHaveRemote && !images && (
            <p class="images-bar">
              Images from the web are hidden: loading them can tell the sender you opened this.{' '}
              <button type="button" class="link-button" onClick={() => setImages(true)}>
                Show images
              </button>
            </p>
          )}
          <iframe
            ref={frame}
            class="message-frame"
            title={`Message: ${message.subject || '(no subject)'}`}
            sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
            referrerpolicy="no-referrer"
            src={`/v1/messages/${encodeURIComponent(message.id)}/frame${images ? '?images=allow' : ''}`}
          />
        </>
      ) : (
        <div class="plain-text">{message.text}</div>
      )}
      {message.attachments.length > 0 && (
        <section class="attachments" aria-label="Attachments">
          <h3 class="visually-hidden">Attachments</h3>
          <ul>
            {message.attachments.map((a, i) => (
              <li key={a.id}>
                <a href={`/v1/messages/${encodeURIComponent(message.id)}/attachments/${i}`} download={a.filename}>
                  <Icon name="clip" /> 
                  {a.filename || 'attachment'}
                </a>{' '}
                <span class="muted">({formatSize(a.size)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
