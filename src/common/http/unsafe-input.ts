import { AppException } from '../errors/app.exception';

/** Deeper than any body or query this API takes; refused before anything walks it recursively. */
export const MAX_INPUT_DEPTH = 16;

export const TOO_DEEP_MESSAGE = `Request input is nested more than ${MAX_INPUT_DEPTH} levels deep.`;
export const NUL_MESSAGE = 'Text must not contain NUL (\\u0000) characters.';

export interface InputProblem {
  /** The offending field as `a.b`, or null for the input as a whole. */
  field: string | null;
  message: string;
}

/**
 * Finds what no handler can store or walk safely: NUL characters (PostgreSQL text refuses
 * them) in any value or key, and nesting deep enough to exhaust the stack of recursive
 * walkers (the ValidationPipe's among them). Iterative, so it cannot overflow itself.
 */
export function findUnsafeInput(input: unknown): InputProblem | null {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: input, path: '', depth: 0 },
  ];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return { field: path || null, message: NUL_MESSAGE };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: null, message: TOO_DEEP_MESSAGE };
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\0')) return { field: null, message: NUL_MESSAGE };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/** A NUL anywhere in the raw path or query, spelled `%00` or sent as is. */
const RAW_NUL = /%00|\0/i;

/**
 * The unsafe part of a request's path or query, checked when the request arrives (before guards
 * and for routes that read neither): the decoded path parameters and query values by name, then
 * the raw URL, so a NUL in a path segment that is not a parameter is refused too.
 */
export function findUnsafeRequest(request: {
  params: unknown;
  query: unknown;
  url: string;
}): InputProblem | null {
  // Decoded values can hold a NUL only when the raw URL does (and a query string does not nest),
  // so the common case costs one regex test, not a walk of every value.
  if (!RAW_NUL.test(request.url)) return null;
  return (
    findUnsafeInput(request.params) ??
    findUnsafeInput(request.query) ?? { field: null, message: NUL_MESSAGE }
  );
}

/** The 400 VALIDATION_FAILED for an input problem, naming the field when there is one. */
export function unsafeInputError(problem: InputProblem): AppException {
  return AppException.validation(
    problem.message,
    problem.field ? { [problem.field]: [problem.message] } : undefined,
  );
}
