import { useEffect } from 'react';
import { forgetAdminToken } from './local-store';

/** The final screen of a destroyed or expired room (or a code that never was): no composer, no way back in. */
export function GoneScreen({ code }: { code: string }) {
  useEffect(() => {
    forgetAdminToken(code);
    document.title = 'Room gone · Parley';
  }, [code]);
  return (
    <main className="gone">
      <h1>This room is gone</h1>
      <p>
        Room <code>{code}</code> is not here: it was destroyed, or it expired after an hour of silence, and its messages
        and files are deleted for good. (Or the link has a typo.)
      </p>
      <p>
        <a className="button" href="/chat">
          Start a new room
        </a>
      </p>
    </main>
  );
}
