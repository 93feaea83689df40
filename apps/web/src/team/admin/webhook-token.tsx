import { useRef, useState } from 'react';
import type { CreatedWebhook } from './webhooks-admin';

/** Single-quotes a value for a POSIX shell. */
const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The ready-to-run examples for a new webhook, on this page's own origin. */
export function webhookExamples(webhook: CreatedWebhook, origin: string) {
  const id = encodeURIComponent(webhook.id);
  const url = `${origin}/webhooks/${id}/messages`;
  const hookUrl = `${origin}/hooks/${id}/${encodeURIComponent(webhook.token)}/message`;
  const json = "-H 'Content-Type: application/json'";
  return {
    url,
    hookUrl,
    examples: [
      {
        id: 'bearer',
        title: 'Bearer token',
        text: [
          `curl -X POST ${shellQuote(url)} \\`,
          `  -H ${shellQuote(`Authorization: Bearer ${webhook.token}`)} \\`,
          `  ${json} \\`,
          `  -d '{"content": "Deploy finished"}'`,
        ].join('\n'),
      },
      {
        id: 'secret-url',
        title: 'Secret URL (the token is in the address)',
        text: [`curl -X POST ${shellQuote(hookUrl)} \\`, `  ${json} \\`, `  -d '{"message": "Deploy finished"}'`].join(
          '\n',
        ),
      },
      {
        id: 'slack',
        title: 'Slack-compatible body',
        text: [
          `curl -X POST ${shellQuote(hookUrl)} \\`,
          `  ${json} \\`,
          `  -d '{"text": "Deploy *done*", "username": "CI"}'`,
        ].join('\n'),
      },
    ],
  };
}

/** Puts `text` on the clipboard; without the Clipboard API, selects `element` for Ctrl+C. */
async function copyText(text: string, element: HTMLElement | null): Promise<'copied' | 'selected'> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    if (element) {
      const range = document.createRange();
      range.selectNodeContents(element);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return 'selected';
  }
}

function CopyBlock(props: { id: string; title: string; text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const titleId = `webhook-example-${props.id}`;
  return (
    <figure className="admin-example" aria-labelledby={titleId}>
      <figcaption id={titleId}>{props.title}</figcaption>
      <pre ref={ref} tabIndex={0} aria-labelledby={titleId}>
        <code>{props.text}</code>
      </pre>
      <span className="admin-actions">
        <button
          type="button"
          className="secondary"
          aria-label={`Copy ${props.title}`}
          onClick={() => void copyText(props.text, ref.current).then(setState)}
        >
          Copy
        </button>
        <span role="status" className="team-hint">
          {state === 'copied' ? 'Copied.' : state === 'selected' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
        </span>
      </span>
    </figure>
  );
}

/**
 * The token of a webhook just created, shown this once (it lives only in the parent's state), with
 * its full URLs and `curl` examples for the Bearer route, the secret URL and a Slack-style body.
 */
export function NewWebhookToken(props: { webhook: CreatedWebhook; channel: string; onDone: () => void }) {
  const { webhook } = props;
  const { url, hookUrl, examples } = webhookExamples(webhook, window.location.origin);
  return (
    <section className="admin-token" aria-labelledby="admin-token-title">
      <h4 id="admin-token-title">Webhook “{webhook.name}” created</h4>
      <p>
        It posts to {props.channel}. <strong>Copy the token now: it is shown only this once.</strong> The secret URL
        contains the token, so keep it as secret.
      </p>
      <label>
        Token
        <input readOnly value={webhook.token} onFocus={(e) => e.target.select()} />
      </label>
      <label>
        Webhook URL
        <input readOnly value={url} onFocus={(e) => e.target.select()} />
      </label>
      <label>
        Secret URL
        <input readOnly value={hookUrl} onFocus={(e) => e.target.select()} />
      </label>
      {examples.map((example) => (
        <CopyBlock key={example.id} {...example} />
      ))}
      <button type="button" onClick={props.onDone}>
        Done
      </button>
    </section>
  );
}
