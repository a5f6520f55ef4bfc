import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MemoryAtomicStore } from '../cache/memory-atomic-store';
import { BreachedPasswordsService, parseRange } from './breached-passwords.service';

describe('BreachedPasswordsService', () => {
  let server: Server;
  let requests = 0;
  let url = '';

  beforeAll(async () => {
    // Always failing: the pause after three failures is what is under test.
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/range/`;
  });
  afterAll(async () => {
    jest.useRealTimers();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('skips the API for 5 minutes after 3 failures in a row, then asks again', async () => {
    // Only the clock is faked; the HTTP exchange runs on real timers.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout'] });
    const service = new BreachedPasswordsService(new MemoryAtomicStore(), {
      breachCheck: true,
      hibpUrl: url,
      lockThreshold: 100,
    });
    for (let i = 0; i < 5; i++) await expect(service.isBreached('whatever')).resolves.toBe(false);
    expect(requests).toBe(3);
    jest.setSystemTime(Date.now() + 5 * 60_000 - 1000);
    await service.isBreached('whatever');
    expect(requests).toBe(3);
    jest.setSystemTime(Date.now() + 2000);
    await service.isBreached('whatever');
    expect(requests).toBe(4);
  });

  it('reads only counted lines of a padded range', () => {
    const range = parseRange(
      '0018A45C4D1DEF81644B54AB7F969B88D65:0\r\nABCDEF0123456789ABCDEF0123456789ABC:3\r\n',
    );
    expect([...range]).toEqual(['ABCDEF0123456789ABCDEF0123456789ABC']);
  });
});
