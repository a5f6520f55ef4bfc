import { availableParallelism } from 'node:os';

/**
 * Sizes libuv's thread pool to the number of cores, unless the operator chose a size. Imported
 * first by main.ts: libuv reads the variable when the pool starts, at its first job.
 *
 * argon2id runs on this pool, and each pool thread that has run it keeps its 19 MiB working area
 * (glibc does not return it). The default of four threads on a two-core machine held 76 MiB for
 * two computations at a time and was slower, as the areas took turns; see the README's
 * "Performance" section. Other pool work (DNS lookups, file reads) waits at most for one hash.
 */
process.env.UV_THREADPOOL_SIZE ??= String(availableParallelism());
