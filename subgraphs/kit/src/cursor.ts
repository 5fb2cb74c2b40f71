import { HubError, KitErrors } from './errors';

/** An opaque pagination cursor: the sort key of the last item, base64url-encoded JSON. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The sort key inside a cursor; a cursor this subgraph did not issue is a HUB_SUBGRAPH_BAD_CURSOR error. */
export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === length) return position;
  } catch {
    // fall through to the coded error
  }
  throw new HubError(KitErrors.BAD_CURSOR, 'The cursor is not one this graph issued: pass the `endCursor` of the previous page.');
}
