import { ObjectStorage } from '@parley/common';

/**
 * Where image bytes live, by key (`<workspaceId>/<conversationId>/<name>`): the shared
 * ObjectStorage (libs/common), under its own injection token so rooms can have another store.
 */
export abstract class ImageStorage extends ObjectStorage {}
