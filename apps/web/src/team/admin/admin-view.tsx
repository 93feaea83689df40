import type { TeamApi } from '../api';
import type { Channel, User, Workspace } from '../types';
import { ChannelsAdmin } from './channels-admin';
import { SettingsAdmin } from './settings-admin';
import { UsersAdmin } from './users-admin';
import { WebhooksAdmin } from './webhooks-admin';
import './admin.css';

export const ADMIN_SECTIONS = [
  { id: 'channels', label: 'Channels' },
  { id: 'users', label: 'Users' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'settings', label: 'Settings' },
] as const;

export const adminHref = (section: string): string => `#/admin/${encodeURIComponent(section)}`;

export const isAdminOf = (workspace: Workspace): boolean => workspace.role === 'admin';

/** The top bar's "Admin" link, for admins only. */
export function AdminLink(props: { workspace: Workspace; current: boolean }) {
  if (!isAdminOf(props.workspace)) return null;
  return (
    <a className="admin-link" href={adminHref('channels')} aria-current={props.current ? 'page' : undefined}>
      Admin
    </a>
  );
}

/**
 * The admin area at `#/admin/<section>`: a list of section links, then the section. Someone who is
 * not an admin of this workspace sees only a sentence saying so (the API refuses them anyway).
 */
export function AdminView(props: {
  api: TeamApi;
  me: User;
  workspace: Workspace;
  channels: Channel[];
  section: string;
}) {
  if (!isAdminOf(props.workspace)) {
    return <p className="team-hint admin-denied">This area is for the workspace's admins.</p>;
  }
  const section = ADMIN_SECTIONS.find((s) => s.id === props.section) ?? ADMIN_SECTIONS[0];
  return (
    <div className="admin">
      <header className="admin-header">
        <h2 id="admin-title">Admin</h2>
        <nav aria-label="Admin sections">
          <ul className="admin-tabs">
            {ADMIN_SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={adminHref(s.id)} aria-current={s.id === section.id ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <section className="admin-section" aria-labelledby="admin-section-title">
        <h3 id="admin-section-title">{section.label}</h3>
        {section.id === 'channels' && <ChannelsAdmin api={props.api} channels={props.channels} />}
        {section.id === 'users' && <UsersAdmin api={props.api} me={props.me} />}
        {section.id === 'webhooks' && <WebhooksAdmin api={props.api} channels={props.channels} />}
        {section.id === 'settings' && <SettingsAdmin api={props.api} workspace={props.workspace} />}
      </section>
    </div>
  );
}
