import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppException } from './app.exception';
import { ErrorCode } from './error-codes';
import { isUnavailableError, toErrorResponse } from './to-error-response';

describe('toErrorResponse', () => {
  it('keeps an AppException as it is, with its headers', () => {
    const { body, headers, log } = toErrorResponse(AppException.rateLimited(12.2));
    expect(body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: 'Too many requests. Try again later.',
    });
    expect(headers).toEqual({ 'Retry-After': '13' });
    expect(log).toBeUndefined();
  });

  it('includes field errors only when there are some', () => {
    expect(
      toErrorResponse(
        AppException.validation('Email is required.', { email: ['Email is required.'] }),
      ).body.errors,
    ).toEqual({
      email: ['Email is required.'],
    });
    expect('errors' in toErrorResponse(AppException.validation('x', {})).body).toBe(false);
  });

  it('maps Nest exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'Not found.',
    });
    expect(toErrorResponse(new BadRequestException('Bad thing.')).body.code).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
  });

  it('hides the framework wording of body errors', () => {
    const fromFastify = new HttpException(
      "Body is not valid JSON but content-type is set to 'application/json'",
      400,
    );
    expect(toErrorResponse(fromFastify).body.message).toBe('Request body is not valid JSON.');
    expect(
      toErrorResponse({
        statusCode: 415,
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        message: 'Unsupported Media Type: x',
      }).body,
    ).toMatchObject({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });

  it('answers router and HTTP parser errors with contract codes, quoting nothing of the request', () => {
    const path = `/api/users/${'%ZZ'.repeat(50)}`;
    const badUrl = Object.assign(new URIError(`'${path}' is not a valid url component`), {
      code: 'FST_ERR_BAD_URL',
      statusCode: 400,
    });
    expect(toErrorResponse(badUrl).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'The path is not valid percent-encoded UTF-8.',
    });
    const longParam = Object.assign(new URIError(`'${'A'.repeat(101)}' is exceeding`), {
      code: 'FST_ERR_MAX_PARAM_LENGTH',
      statusCode: 414,
    });
    expect(toErrorResponse(longParam).body).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      code: 'URI_TOO_LONG',
      message: 'A path segment is longer than 100 characters.',
    });
    expect(toErrorResponse({ statusCode: 431, code: 'HPE_HEADER_OVERFLOW' }).body).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      code: 'HEADERS_TOO_LARGE',
      message: 'The request headers are too large.',
    });
    expect(toErrorResponse({ statusCode: 400, code: 'HPE_INVALID_METHOD' }).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid HTTP.',
    });
  });

  it('cuts field names taken from the request to 100 characters', () => {
    const long = 'k'.repeat(5000);
    const { body } = toErrorResponse(
      AppException.validation('This field is not allowed.', {
        [long]: ['This field is not allowed.'],
        email: ['Email is required.'],
      }),
    );
    const names = Object.keys(body.errors ?? {});
    expect(names).toEqual([`${'k'.repeat(99)}…`, 'email']);
    expect(Math.max(...names.map((name) => name.length))).toBe(100);
  });

  it('turns a unique violation into 409 without naming the constraint', () => {
    const error = new QueryFailedError(
      'INSERT …',
      [],
      Object.assign(
        new Error('duplicate key value violates unique constraint "users_email_lower_key"'),
        { code: '23505' },
      ),
    );
    const { body } = toErrorResponse(error);
    expect(body.statusCode).toBe(409);
    expect(JSON.stringify(body)).not.toContain('users_email_lower_key');
  });

  it('answers outages with 503 and logs them as warnings', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const { body, log, headers } = toErrorResponse(refused);
    expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(log).toBe('warn');
    expect(headers?.['Retry-After']).toBeDefined();
    expect(
      isUnavailableError({ name: 'ClientOfflineError', message: 'The client is offline' }),
    ).toBe(true);
  });

  it('treats Redis failover answers as outages, not bugs', () => {
    for (const message of [
      "READONLY You can't write against a read only replica.",
      "Master Client (127.0.0.1:6380): READONLY You can't write against a read only replica.",
      'LOADING Redis is loading the dataset in memory',
      'CLUSTERDOWN The cluster is down',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no',
      'None of the sentinels are available',
      'All the root nodes are unavailable',
    ]) {
      expect([message, isUnavailableError({ name: 'SimpleError', message })]).toEqual([
        message,
        true,
      ]);
    }
    expect(isUnavailableError({ name: 'SimpleError', message: 'ERR unknown command' })).toBe(false);
    expect(isUnavailableError(new Error('the READONLY flag was LOADING '))).toBe(false);
  });

  it('answers anything else with a bare 500 that leaks nothing', () => {
    const { body, log } = toErrorResponse(
      new Error('relation "secret_table" does not exist at /srv/app/x.ts:1'),
    );
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred.',
    });
    expect(log).toBe('error');
  });
});
