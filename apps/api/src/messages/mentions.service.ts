import { Injectable } from '@nestjs/common';
import { ConversationRef, Mention, MessagesRepository } from '@parley/database';

// `@handle` not preceded by a word character (so `bob@example.com` is no mention); a trailing `.`
// or `-` is punctuation, not part of the name.
const MENTION = /(?<![\p{L}\p{N}_.@-])@([\p{L}\p{N}](?:[\p{L}\p{N}._-]*[\p{L}\p{N}_])?)/gu;
const MAX_HANDLES = 50;

/**
 * Resolves `@name`, `@here` and `@channel` into `mentions`. A name matches a member's display name
 * or the local part of their e-mail, case-insensitively. Costs a query only when the text has `@`.
 */
@Injectable()
export class MentionsService {
  constructor(private readonly messages: MessagesRepository) {}

  /** In a DM only its participants can be mentioned (nobody else will ever read it). */
  async resolve(
    workspaceId: string,
    content: string,
    conversation: Pick<ConversationRef, 'kind' | 'participants'>,
  ): Promise<Mention[]> {
    const kind = conversation.kind;
    if (!content.includes('@')) return [];
    const handles: string[] = [];
    for (const match of content.matchAll(MENTION)) {
      const handle = (match[1] ?? '').toLowerCase();
      if (!handles.includes(handle) && handles.length < MAX_HANDLES) handles.push(handle);
    }
    if (handles.length === 0) return [];
    const names = handles.filter((h) => h !== 'here' && h !== 'channel');
    const members = names.length > 0 ? await this.messages.resolveHandles(workspaceId, names) : [];
    const mentions: Mention[] = [];
    for (const handle of handles) {
      if (handle === 'here' || handle === 'channel') {
        // A DM has nobody to broadcast to beyond its participants.
        if (kind === 'channel') mentions.push({ type: handle });
        continue;
      }
      for (const member of members) {
        if (conversation.participants !== null && !conversation.participants.includes(member.id)) continue;
        if (member.handles.includes(handle) && !mentions.some((m) => m.type === 'user' && m.id === member.id)) {
          mentions.push({ type: 'user', id: member.id });
        }
      }
    }
    return mentions;
  }
}
