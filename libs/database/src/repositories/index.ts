export * from './queryable';
export * from './workspaces.repository';
export * from './users.repository';
export * from './sessions.repository';
export * from './conversations.repository';
export * from './messages.repository';
export * from './webhooks.repository';
export * from './events.repository';
