import { isUnavailableError } from '../errors/to-error-response';

/**
 * Group commit (and grouped reads): inputs that arrive while a round trip is in flight go
 * together in the next one, one statement (and one commit) for several requests instead of one
 * each. Every `add` resolves only with its own result, once its round trip is done (and rejects
 * if that one fails), so a caller that awaits a write still answers after its row is durable; an
 * idle batcher sends a lone input at once, adding no delay, unless the caller lets it wait
 * (`lingerMs`, as PostgreSQL's commit_delay): then the inputs that arrive within that time go
 * together. A failed batch is run again one input at a time, so an input that fails the statement
 * fails only its own `add`.
 */
export class Batcher<I, O = void> {
  private waiting: Entry<I, O>[] = [];
  private running = false;
  private lingering: NodeJS.Timeout | null = null;

  /**
   * `run` answers the inputs in order (one output each; nothing for writes). It must leave nothing
   * behind when it fails (one statement), since a failed batch's inputs are run again.
   */
  constructor(
    private readonly run: (inputs: I[]) => Promise<O[] | void>,
    private readonly maxInputs: number,
  ) {}

  /**
   * `lingerMs`: how long this input may wait for others when the batcher is idle (it never waits
   * longer than the first lingering input's time, nor once a batch is full or an input that may
   * not wait arrives).
   */
  add(input: I, lingerMs = 0): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({
        input,
        settle: (error, output) => (error ? reject(error) : resolve(output as O)),
      });
      if (this.running) return;
      if (lingerMs <= 0 || this.waiting.length >= this.maxInputs) void this.drain();
      else this.lingering ??= setTimeout(() => void this.drain(), lingerMs);
    });
  }

  private async drain(): Promise<void> {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    this.running = true;
    while (this.waiting.length > 0) await this.runBatch(this.waiting.splice(0, this.maxInputs));
    this.running = false;
  }

  private async runBatch(batch: Entry<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((entry) => entry.input));
      batch.forEach((entry, index) => entry.settle(null, outputs?.[index]));
    } catch (error) {
      // One input can fail the statement for all: run alone, each gets its own answer. Not when
      // the database is out of reach, where each would only wait (and fail) again.
      if (batch.length > 1 && !isUnavailableError(error)) {
        for (const entry of batch) await this.runBatch([entry]);
        return;
      }
      // Passed on as it came (not wrapped): the error filter tells an outage by its shape, and
      // a socket error may come from another realm, so `instanceof Error` is no test.
      batch.forEach((entry) => entry.settle(error as Error));
    }
  }
}

interface Entry<I, O> {
  input: I;
  settle: (error: Error | null, output?: O) => void;
}
