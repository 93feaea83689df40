import { FormEvent, KeyboardEvent, useState } from 'react';

/** The textbox "Message" and the button "Send": Enter sends, Shift+Enter breaks the line. */
export function Composer(props: { onSend: (content: string) => Promise<void>; label: string }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);

  const send = async () => {
    const content = text.trim();
    if (content === '' || sending) return;
    setSending(true);
    setError(undefined);
    try {
      await props.onSend(content);
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not sent');
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  return (
    <form className="team-composer" onSubmit={onSubmit} aria-label={`Write to ${props.label}`}>
      {error && (
        <p role="alert" className="team-error">
          {error}
        </p>
      )}
      <textarea
        aria-label="Message"
        placeholder={`Message ${props.label}`}
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" disabled={sending || text.trim() === ''}>
        Send
      </button>
    </form>
  );
}
