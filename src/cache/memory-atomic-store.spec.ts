import { describeAtomicStoreContract } from './atomic-store.contract';
import { MemoryAtomicStore } from './memory-atomic-store';

describe('MemoryAtomicStore', () => {
  describeAtomicStoreContract(() =>
    Promise.resolve({ store: new MemoryAtomicStore(), close: () => Promise.resolve() }),
  );
});
