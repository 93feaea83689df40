import { FormEvent, useState } from 'react';
import { ApiError, TeamApi } from './api';
import type { DirectConversation, User } from './types';

/**
 * "New direct message": pick a member of the workspace ("Person") and "Start" — the DM is created
 * or, if it exists, found (`POST /conversations` is create-or-get).
 */
export function NewDirectMessage(props: {
  api: TeamApi;
  me: string;
  onStarted: (conversation: DirectConversation) => void;
}) {
  const [open, setOpen] = useState(false);
  const [users, setUsers] = useState<User[]>([]);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | undefined>();

  const show = () => {
    setOpen(true);
    setError(undefined);
    props.api
      .get<{ users: User[] }>('/users')
      .then(({ users: members }) => {
        setUsers(members);
        setTarget(members.find((u) => u.id !== props.me)?.id ?? props.me);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the members'));
  };

  const start = (event: FormEvent) => {
    event.preventDefault();
    props.api
      .post<{ conversation: DirectConversation }>('/conversations', { targetUserId: target })
      .then(({ conversation }) => {
        setOpen(false);
        props.onStarted(conversation);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not start the conversation'));
  };

  if (!open) {
    return (
      <button type="button" className="secondary team-new-dm" onClick={show}>
        New direct message
      </button>
    );
  }
  return (
    <form className="team-new-dm" onSubmit={start} aria-label="New direct message">
      {error && (
        <p role="alert" className="team-error">
          {error}
        </p>
      )}
      <label>
        Person
        <select value={target} onChange={(e) => setTarget(e.target.value)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.id === props.me ? `${u.userName} (you: notes)` : u.userName}
            </option>
          ))}
        </select>
      </label>
      <div className="team-login-actions">
        <button type="submit" disabled={target === ''}>
          Start
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
