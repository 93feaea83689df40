const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGE_ID = /^[1-9][0-9]{0,17}$/;

/** Ids from the URL are checked before they reach SQL, so a malformed one is a 404, never a 500. */
export const isUuid = (value: string): boolean => UUID.test(value);
export const isMessageId = (value: string): boolean => MESSAGE_ID.test(value);
