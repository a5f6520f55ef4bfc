/**
 * Group commit (and grouped reads): inputs that arrive while a round trip is in flight go
 * together in the next one, one statement (and one commit) for several requests instead of one
 * each. Every `add` resolves only with its own result, once its round trip is done (and rejects
 * if that one fails), so a caller that awaits a write still answers after its row is durable; an
 * idle batcher sends a lone input at once, adding no delay.
 */
export class Batcher<I, O = void> {
  private waiting: { input: I; settle: (error: Error | null, output?: O) => void }[] = [];
  private running = false;

  /** `run` answers the inputs in order (one output each; nothing for writes). */
  constructor(
    private readonly run: (inputs: I[]) => Promise<O[] | void>,
    private readonly maxInputs: number,
  ) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({
        input,
        settle: (error, output) => (error ? reject(error) : resolve(output as O)),
      });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxInputs);
      try {
        const outputs = await this.run(batch.map((entry) => entry.input));
        batch.forEach((entry, index) => entry.settle(null, outputs?.[index]));
      } catch (error) {
        // Passed on as it came (not wrapped): the error filter tells an outage by its shape, and
        // a socket error may come from another realm, so `instanceof Error` is no test.
        batch.forEach((entry) => entry.settle(error as Error));
      }
    }
    this.running = false;
  }
}
