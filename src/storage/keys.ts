/**
 * Table Storage forbids / \ # ? and control characters in PartitionKey and RowKey. HR keys come from outside,
 * so they are URI-encoded before use as a key; `%` is allowed and the encoding is reversible.
 */
export function tableKey(value: string): string {
  return encodeURIComponent(value);
}
