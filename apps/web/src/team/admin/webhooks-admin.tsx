import { FormEvent, useEffect, useState } from 'react';
import { TeamApi, whileWanted } from '../api';
import type { Channel } from '../types';
import { ConfirmButton } from './confirm-button';
import { useFeedback } from './feedback';
import { NewWebhookToken } from './webhook-token';

export interface Webhook {
  id: string;
  name: string;
  channelId: string;
  avatarUrl: string | null;
  createdAt: number;
}

export interface CreatedWebhook extends Webhook {
  token: string;
}

/**
 * Incoming webhooks: list (never with tokens), create (the token is shown once, in this
 * component's state only: leaving the section forgets it), revoke.
 */
export function WebhooksAdmin(props: { api: TeamApi; channels: Channel[] }) {
  const { api, channels } = props;
  const { busy, run, fail, feedback } = useFeedback();
  const [webhooks, setWebhooks] = useState<Webhook[] | undefined>();
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [chosenChannel, setChannelId] = useState('');
  const [created, setCreated] = useState<CreatedWebhook | undefined>();
  const channelId = chosenChannel || channels[0]?.id || '';

  useEffect(
    () => whileWanted(api.get<{ webhooks: Webhook[] }>('/webhooks'), (a) => setWebhooks(a.webhooks), fail),
    [api, fail, version],
  );

  const channelName = (id: string) => {
    const channel = channels.find((c) => c.id === id);
    return channel ? `#${channel.name}` : 'a deleted channel';
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted || !channelId) return;
    await run(async () => {
      const { webhook } = await api.post<{ webhook: CreatedWebhook }>('/webhooks', { name: wanted, channelId });
      setCreated(webhook);
      setName('');
      setVersion((v) => v + 1);
    });
  };

  const revoke = (webhook: Webhook) =>
    void run(async () => {
      await api.delete(`/webhooks/${encodeURIComponent(webhook.id)}`);
      if (created?.id === webhook.id) setCreated(undefined);
      setVersion((v) => v + 1);
      return `Revoked ${webhook.name}: its token no longer posts.`;
    });

  return (
    <>
      {channels.length === 0 ? (
        <p className="team-hint">Create a channel first: a webhook posts into one channel.</p>
      ) : (
        <form className="admin-form" onSubmit={(e) => void create(e)}>
          <label>
            Webhook name
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required />
          </label>
          <label>
            Channel
            <select value={channelId} onChange={(e) => setChannelId(e.target.value)}>
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  #{c.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            Create webhook
          </button>
        </form>
      )}
      {feedback}
      {created && (
        <NewWebhookToken
          webhook={created}
          channel={channelName(created.channelId)}
          onDone={() => setCreated(undefined)}
        />
      )}
      {webhooks === undefined ? (
        <p className="team-hint">Loading webhooks…</p>
      ) : webhooks.length === 0 ? (
        <p className="team-hint">No webhooks yet.</p>
      ) : (
        <ul className="admin-list" aria-label="All webhooks">
          {webhooks.map((webhook) => (
            <li key={webhook.id}>
              <span className="admin-item-name">
                <strong>{webhook.name}</strong>{' '}
                <span className="team-hint">
                  posts to {channelName(webhook.channelId)}, created{' '}
                  <time dateTime={new Date(webhook.createdAt).toISOString()}>
                    {new Date(webhook.createdAt).toLocaleDateString()}
                  </time>
                </span>
              </span>
              <span className="admin-actions">
                <ConfirmButton
                  label={`Revoke ${webhook.name}`}
                  question={`Revoke ${webhook.name}? Tools using its token will stop posting.`}
                  confirmLabel="Revoke webhook"
                  disabled={busy}
                  onConfirm={() => revoke(webhook)}
                >
                  Revoke
                </ConfirmButton>
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
