import { useRef, useState } from 'react';

/** The room's invite link (this page's URL, without any fragment) and a button to copy it. */
export function InviteLink({ code }: { code: string }) {
  const url = `${window.location.origin}/chat/${encodeURIComponent(code)}`;
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied');
    } catch {
      // No clipboard access (an insecure origin, a refused permission): select it for Ctrl+C.
      field.current?.select();
      setCopied('Selected: press Ctrl+C (⌘C) to copy');
    }
  };

  return (
    <section className="invite" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite</h2>
      <div className="invite-row">
        <label htmlFor="invite-link" className="visually-hidden">
          Invite link
        </label>
        <input id="invite-link" ref={field} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p className="hint" role="status">
        {copied}
      </p>
    </section>
  );
}
