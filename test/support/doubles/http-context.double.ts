import { ExecutionContext, HttpException } from '@nestjs/common';

/** An ExecutionContext double for guard tests: a handler, a class and the request they see. */
export function httpContext(request: object, handler = () => undefined): ExecutionContext {
  class TestController {}
  return {
    getHandler: () => handler,
    getClass: () => TestController,
    getType: () => 'http',
    getArgs: () => [request],
    getArgByIndex: (index: number) => (index === 0 ? request : undefined),
    switchToHttp: () => ({
      getRequest: <T>() => request as T,
      getResponse: <T>() => ({}) as T,
      getNext: <T>() => (() => undefined) as T,
    }),
    switchToRpc: () => {
      throw new Error('not used');
    },
    switchToWs: () => {
      throw new Error('not used');
    },
  } as ExecutionContext;
}

/** The HTTP status a guard's refusal carries: undefined when it let the call through. */
export function statusOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof HttpException ? error.getStatus() : -1;
  }
  return undefined;
}
