import { ClipboardEvent, FormEvent, KeyboardEvent, useRef, useState } from 'react';

export interface Attachment {
  id: number;
  name: string;
  status: 'uploading' | 'ready' | 'failed';
  /** The server's name once uploaded. */
  filename?: string;
}

export interface Attachments {
  items: Attachment[];
  add: (files: FileList | File[]) => void;
  remove: (id: number) => void;
  clear: () => void;
}

let nextAttachment = 1;

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('Unreadable file'));
    reader.readAsDataURL(file);
  });

/**
 * Images waiting to go with the next message: each is uploaded as soon as it is added (button,
 * paste or drop); `upload` answers the server's file name.
 */
export function useAttachments(upload: (filename: string, image: string) => Promise<string>): Attachments {
  const [items, setItems] = useState<Attachment[]>([]);
  const set = (id: number, patch: Partial<Attachment>) =>
    setItems((list) => list.map((a) => (a.id === id ? { ...a, ...patch } : a)));
  return {
    items,
    add: (files) => {
      for (const file of Array.from(files)) {
        if (!file.type.startsWith('image/')) continue;
        const id = nextAttachment++;
        setItems((list) => [...list, { id, name: file.name || 'pasted image', status: 'uploading' }]);
        readAsDataUrl(file)
          .then((data) => upload(file.name || 'image', data))
          .then(
            (filename) => set(id, { status: 'ready', filename }),
            () => set(id, { status: 'failed' }),
          );
      }
    },
    remove: (id) => setItems((list) => list.filter((a) => a.id !== id)),
    clear: () => setItems([]),
  };
}

/**
 * A textbox (default "Message") and its send button (default "Send"): Enter sends, Shift+Enter
 * breaks the line. With `attachments`, an "Attach image" button; pasted images are attached too.
 */
export function Composer(props: {
  onSend: (content: string, images: string[]) => Promise<void>;
  label: string;
  textboxName?: string;
  sendName?: string;
  attachments?: Attachments;
  /** Takes the focus when shown (the thread's "Reply"). */
  autoFocus?: boolean;
}) {
  const [text, setText] = useState('');
  const textbox = useRef<HTMLTextAreaElement>(null);
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const attachments = props.attachments;
  const items = attachments?.items ?? [];
  const uploading = items.some((a) => a.status === 'uploading');
  const images = items.flatMap((a) => (a.status === 'ready' && a.filename ? [a.filename] : []));
  const empty = text.trim() === '' && images.length === 0;

  const send = async () => {
    const content = text.trim();
    if (empty || sending || uploading) return;
    setSending(true);
    setError(undefined);
    try {
      await props.onSend(content, images);
      setText('');
      attachments?.clear();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not sent');
    } finally {
      setSending(false);
      textbox.current?.focus(); // the next message, even after a click on "Send"
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    if (!attachments || event.clipboardData.files.length === 0) return;
    event.preventDefault();
    attachments.add(event.clipboardData.files);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const textboxName = props.textboxName ?? 'Message';
  return (
    <form className="team-composer" onSubmit={onSubmit} aria-label={`Write to ${props.label}`}>
      {error && (
        <p role="alert" className="team-error">
          {error}
        </p>
      )}
      {items.length > 0 && (
        <ul className="team-attachments" aria-label="Attached images">
          {items.map((a) => (
            <li key={a.id} className={a.status}>
              <span>
                {a.name}
                {a.status === 'uploading' ? ' (uploading…)' : a.status === 'failed' ? ' (upload failed)' : ''}
              </span>
              <button type="button" className="team-icon-button" onClick={() => attachments?.remove(a.id)}>
                Remove {a.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <textarea
        ref={textbox}
        autoFocus={props.autoFocus}
        aria-label={textboxName}
        placeholder={textboxName === 'Message' ? `Message ${props.label}` : textboxName}
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {attachments && (
        <>
          <input
            ref={fileInput}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/svg+xml"
            multiple
            hidden
            onChange={(e) => {
              if (e.target.files) attachments.add(e.target.files);
              e.target.value = '';
            }}
          />
          <button type="button" className="secondary" onClick={() => fileInput.current?.click()}>
            Attach image
          </button>
        </>
      )}
      <button type="submit" disabled={sending || uploading || empty}>
        {props.sendName ?? 'Send'}
      </button>
    </form>
  );
}
