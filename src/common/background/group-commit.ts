/**
 * Group commit: rows that arrive while a write is in flight are written together by the next
 * one, in one statement and one commit, instead of one commit each. Every `add` resolves only
 * once its own row is committed (and rejects if that write fails), so a caller still answers
 * after its row is durable; an idle writer writes a lone row at once, adding no delay.
 */
export class GroupCommit<T> {
  private waiting: { row: T; settle: (error?: Error) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly maxRows: number,
  ) {}

  add(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ row, settle: (error) => (error ? reject(error) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxRows);
      try {
        await this.write(batch.map((entry) => entry.row));
        batch.forEach((entry) => entry.settle());
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        batch.forEach((entry) => entry.settle(failure));
      }
    }
    this.writing = false;
  }
}
