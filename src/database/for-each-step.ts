/** An event of one of the requests a statement serves: `owner` is that request's `n` in it. */
export interface Owned<E> {
  owner: number;
  event: E;
}

/**
 * A fixed step of a statement that serves several requests at once (a group commit): its SQL, how
 * many placeholders it takes, and their values for the owned events of one batch.
 */
export interface ForEachStep<E> {
  sql: string;
  parameterCount: number;
  parameters(events: readonly Owned<E>[]): unknown[];
}
