import { FormEvent, useEffect, useState } from 'react';
import { TeamApi, whileWanted } from '../api';
import type { User } from '../types';
import { ConfirmButton } from './confirm-button';
import { useFeedback } from './feedback';

type Role = 'user' | 'admin';

/**
 * Members: add by e-mail (an invite is mailed to a new address, a notice to an existing account),
 * change a role, set a password, remove. The API enforces its rules (the last admin stays); a
 * refusal is shown as an alert with the API's words.
 */
export function UsersAdmin(props: { api: TeamApi; me: User }) {
  const { api } = props;
  const { busy, run, fail, feedback } = useFeedback();
  const [users, setUsers] = useState<User[] | undefined>();
  const [version, setVersion] = useState(0);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [resetting, setResetting] = useState<{ id: string; password: string } | undefined>();

  useEffect(
    () => whileWanted(api.get<{ users: User[] }>('/users'), (a) => setUsers(a.users), fail),
    [api, fail, version],
  );

  const reload = () => setVersion((v) => v + 1);

  const invite = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!address) return;
    const ok = await run(async () => {
      await api.post('/users/add', { email: address, role });
      return (
        `${address} is now a member (${role}). A new address was mailed an invite link to set a password; ` +
        'an existing account was mailed a notice and can log in as before.'
      );
    });
    if (ok) {
      setEmail('');
      reload();
    }
  };

  const setRoleOf = (user: User, next: Role) =>
    void run(async () => {
      await api.put(`/users/${encodeURIComponent(user.id)}/role`, { role: next });
      reload();
      return `${user.userName} is now ${next === 'admin' ? 'an admin' : 'a user'}.`;
    });

  const resetPassword = async (event: FormEvent, user: User) => {
    event.preventDefault();
    if (!resetting) return;
    const { password } = resetting;
    const ok = await run(async () => {
      await api.post(`/users/${encodeURIComponent(user.id)}/reset-password`, { password });
      return (
        `Password set for ${user.userName}: their other sessions have ended, and it logs in to this ` +
        'workspace only. Tell them the password through a safe channel.'
      );
    });
    if (ok) setResetting(undefined);
  };

  const remove = (user: User) =>
    void run(async () => {
      await api.delete(`/users/${encodeURIComponent(user.id)}`);
      reload();
      return `${user.userName} was removed from this workspace.`;
    });

  return (
    <>
      <form className="admin-form" onSubmit={(e) => void invite(e)}>
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <button type="submit" disabled={busy}>
          Invite
        </button>
      </form>
      {feedback}
      {users === undefined ? (
        <p className="team-hint">Loading members…</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">Members</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <th scope="row">
                    {user.userName}
                    {user.id === props.me.id && <span className="team-hint"> (you)</span>}
                  </th>
                  <td>{user.email ?? '—'}</td>
                  <td>{user.isAdmin ? 'admin' : 'user'}</td>
                  <td>
                    {resetting?.id === user.id ? (
                      <form className="admin-inline-form" onSubmit={(e) => void resetPassword(e, user)}>
                        <label>
                          New password for {user.userName}
                          <input
                            type="password"
                            autoComplete="new-password"
                            minLength={8}
                            required
                            value={resetting.password}
                            onChange={(e) => setResetting({ id: user.id, password: e.target.value })}
                            autoFocus
                          />
                        </label>
                        <span className="admin-actions">
                          <button type="submit" disabled={busy}>
                            Set password
                          </button>
                          <button type="button" className="secondary" onClick={() => setResetting(undefined)}>
                            Cancel
                          </button>
                        </span>
                      </form>
                    ) : (
                      <span className="admin-actions">
                        <button
                          type="button"
                          className="secondary"
                          disabled={busy}
                          aria-label={`${user.isAdmin ? 'Make user' : 'Make admin'}: ${user.userName}`}
                          onClick={() => setRoleOf(user, user.isAdmin ? 'user' : 'admin')}
                        >
                          {user.isAdmin ? 'Make user' : 'Make admin'}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Reset password for ${user.userName}`}
                          onClick={() => setResetting({ id: user.id, password: '' })}
                        >
                          Reset password
                        </button>
                        <ConfirmButton
                          label={`Remove ${user.userName}`}
                          question={`Remove ${user.userName} from this workspace?`}
                          confirmLabel="Remove member"
                          disabled={busy}
                          onConfirm={() => remove(user)}
                        >
                          Remove
                        </ConfirmButton>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
