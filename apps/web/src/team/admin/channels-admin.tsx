import { FormEvent, useState } from 'react';
import type { TeamApi } from '../api';
import { conversationHref } from '../hash-route';
import type { Channel } from '../types';
import { ConfirmButton } from './confirm-button';
import { useFeedback } from './feedback';

/**
 * Channels: create, rename, delete. The list is the workspace view's own (kept live by the event
 * stream), so what changes here shows in the "Channels" navigation and here alike.
 */
export function ChannelsAdmin(props: { api: TeamApi; channels: Channel[] }) {
  const { api } = props;
  const { busy, run, feedback } = useFeedback();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | undefined>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return;
    const ok = await run(async () => {
      const { channel } = await api.post<{ channel: Channel }>('/channels', { name: wanted });
      return `Created #${channel.name}.`;
    });
    if (ok) setName('');
  };

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    const target = renaming;
    const ok = await run(async () => {
      const { channel } = await api.put<{ channel: Channel }>(`/channels/${encodeURIComponent(target.id)}`, {
        name: target.name.trim(),
      });
      return `Renamed to #${channel.name}.`;
    });
    if (ok) setRenaming(undefined);
  };

  const remove = (channel: Channel) =>
    void run(async () => {
      await api.delete(`/channels/${encodeURIComponent(channel.id)}`);
      return `Deleted #${channel.name}.`;
    });

  return (
    <>
      <form className="admin-form" onSubmit={(e) => void create(e)}>
        <label>
          Channel name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required />
        </label>
        <button type="submit" disabled={busy}>
          Create channel
        </button>
      </form>
      {feedback}
      {props.channels.length === 0 ? (
        <p className="team-hint">No channels yet.</p>
      ) : (
        <ul className="admin-list" aria-label="All channels">
          {props.channels.map((channel) =>
            renaming?.id === channel.id ? (
              <li key={channel.id}>
                <form className="admin-inline-form" onSubmit={(e) => void rename(e)}>
                  <label>
                    New name for #{channel.name}
                    <input
                      value={renaming.name}
                      onChange={(e) => setRenaming({ id: channel.id, name: e.target.value })}
                      maxLength={80}
                      required
                      autoFocus
                    />
                  </label>
                  <span className="admin-actions">
                    <button type="submit" disabled={busy}>
                      Save
                    </button>
                    <button type="button" className="secondary" onClick={() => setRenaming(undefined)}>
                      Cancel
                    </button>
                  </span>
                </form>
              </li>
            ) : (
              <li key={channel.id}>
                <a className="admin-item-name" href={conversationHref(channel.id)}>
                  # {channel.name}
                </a>
                <span className="admin-actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Rename #${channel.name}`}
                    onClick={() => setRenaming({ id: channel.id, name: channel.name })}
                  >
                    Rename
                  </button>
                  <ConfirmButton
                    label={`Delete #${channel.name}`}
                    question={`Delete #${channel.name} with all its messages and webhooks?`}
                    confirmLabel="Delete channel"
                    disabled={busy}
                    onConfirm={() => remove(channel)}
                  >
                    Delete
                  </ConfirmButton>
                </span>
              </li>
            ),
          )}
        </ul>
      )}
    </>
  );
}
