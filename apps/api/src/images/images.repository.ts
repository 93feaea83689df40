import { BaseRepository, Tx } from '@parley/database';

export interface ImageRecord {
  workspaceId: string;
  conversationId: string;
  filename: string;
  contentType: string;
  byteSize: number;
  thumbContentType: string;
  uploadedBy: string | null;
  createdAt: Date;
}

export type NewImage = Omit<ImageRecord, 'workspaceId' | 'createdAt'>;

const COLUMNS = `workspace_id AS "workspaceId", conversation_id AS "conversationId", filename,
  content_type AS "contentType", byte_size AS "byteSize", thumb_content_type AS "thumbContentType",
  uploaded_by AS "uploadedBy", created_at AS "createdAt"`;

/**
 * The `images` table: which conversation an uploaded file belongs to, and so who may read it.
 * (Kept beside the images module rather than in libs/database only because that lib was being
 * edited by others when it was written; it follows the libs/database repository shape.)
 */
export class ImagesRepository extends BaseRepository {
  async insert(workspaceId: string, image: NewImage, tx?: Tx): Promise<void> {
    await this.rows(
      `INSERT INTO images (workspace_id, conversation_id, filename, content_type, byte_size, thumb_content_type, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        workspaceId,
        image.conversationId,
        image.filename,
        image.contentType,
        image.byteSize,
        image.thumbContentType,
        image.uploadedBy,
      ],
      tx,
    );
  }

  findByName(workspaceId: string, conversationId: string, filename: string, tx?: Tx): Promise<ImageRecord | undefined> {
    return this.one<ImageRecord>(
      `SELECT ${COLUMNS} FROM images WHERE workspace_id = $1 AND conversation_id = $2 AND filename = $3`,
      [workspaceId, conversationId, filename],
      tx,
    );
  }

  /** Which of `filenames` were uploaded to this conversation — one query however many are asked. */
  async existingNames(workspaceId: string, conversationId: string, filenames: string[], tx?: Tx): Promise<string[]> {
    const rows = await this.rows<{ filename: string }>(
      `SELECT filename FROM images WHERE workspace_id = $1 AND conversation_id = $2 AND filename = ANY($3::text[])`,
      [workspaceId, conversationId, filenames],
      tx,
    );
    return rows.map((r) => r.filename);
  }
}
