import { FormEvent, KeyboardEvent, useRef, useState } from 'react';
import { commandOf, messageOf } from './command-result';

const MAX_ROWS = 6;

interface ComposerProps {
  connected: boolean;
  send: (content: string) => Promise<void>;
  command: (line: string) => Promise<void>;
  upload: (file: File) => Promise<void>;
}

/**
 * The textbox "Message" with "Send" (Enter sends, Shift+Enter breaks the line) and "Attach file".
 * A line starting with `/` runs as a slash command over the socket; `//…` posts a message that
 * starts with `/`.
 */
export function Composer({ connected, send, command, upload }: ComposerProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);

  const submit = async () => {
    if (busy || text.trim() === '') return;
    setBusy(true);
    setError('');
    try {
      const line = commandOf(text);
      if (line !== undefined) await command(line);
      else await send(messageOf(text));
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not sent');
    } finally {
      setBusy(false);
      box.current?.focus();
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setUploading(true);
    setError('');
    try {
      await upload(file);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not uploaded');
    } finally {
      setUploading(false);
    }
  };

  const rows = Math.min(MAX_ROWS, text.split('\n').length);
  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor="composer-message" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-message"
        ref={box}
        rows={rows}
        value={text}
        placeholder="Message — / for commands"
        enterKeyHint="send"
        autoComplete="off"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={error ? 'composer-error' : undefined}
      />
      <label className={`button secondary attach${uploading ? ' busy' : ''}`}>
        {uploading ? 'Uploading…' : 'Attach file'}
        <input
          type="file"
          className="visually-hidden"
          aria-label="Attach file"
          disabled={uploading}
          onChange={(e) => void onFile(e.currentTarget)}
        />
      </label>
      <button type="submit" disabled={busy || !connected}>
        Send
      </button>
      {error ? (
        <p id="composer-error" className="composer-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
