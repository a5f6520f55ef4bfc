import type { EntityManager } from 'typeorm';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { WebhookEventsService } from './webhook-events.service';

/** A manager double: the given endpoints, and the rows inserted into webhook_deliveries. */
function managerWith(endpoints: Pick<Webhook, 'id' | 'events'>[]) {
  const inserted: Partial<WebhookDelivery>[] = [];
  const manager = {
    getRepository: (entity: unknown) =>
      entity === Webhook
        ? { find: () => Promise.resolve(endpoints) }
        : {
            insert: (rows: Partial<WebhookDelivery>[]) => {
              inserted.push(...rows);
              return Promise.resolve();
            },
          },
  } as unknown as EntityManager;
  return { manager, inserted };
}

const user = { id: 'u1', email: 'a@example.com' };
const session = { id: 's1', ip: '203.0.113.9', user_agent: 'curl' };

describe('WebhookEventsService.enqueue', () => {
  const service = new WebhookEventsService();

  it('maps audit actions to the contract’s event types, with {user, session?} as data', async () => {
    const { manager, inserted } = managerWith([{ id: 'w1', events: ['*'] }]);
    await service.enqueue(manager, [
      { action: 'user.created', user },
      { action: 'email.changed', user },
      { action: 'login.succeeded', user, session },
      { action: 'refresh.reuse_detected', user, session },
      { action: 'session.revoked', user, session },
    ]);
    expect(inserted.map((row) => row.type)).toEqual([
      'user.created',
      'user.email_changed',
      'session.created',
      'session.reuse_detected',
      'session.revoked',
    ]);
    const bodies = inserted.map((row) => JSON.parse(row.body!) as { data: unknown });
    expect(bodies[0].data).toEqual({ user });
    expect(bodies[2].data).toEqual({ user, session });
    expect(new Set(inserted.map((row) => row.id)).size).toBe(5);
    for (const row of inserted) expect(row.id).toMatch(/^msg_/);
  });

  it('queues nothing for failures, events without a user, or actions receivers are not told of', async () => {
    const { manager, inserted } = managerWith([{ id: 'w1', events: ['*'] }]);
    await service.enqueue(manager, [
      { action: 'login.failed', user },
      { action: 'user.updated', outcome: 'denied', user },
      { action: 'code.sent', user },
      { action: 'webhook.created' },
      { action: 'user.deleted' },
    ]);
    expect(inserted).toEqual([]);
  });

  it('tells of a refresh token used twice, which the audit log records as denied', async () => {
    const { manager, inserted } = managerWith([{ id: 'w1', events: ['*'] }]);
    await service.enqueue(manager, [
      { action: 'refresh.reuse_detected', outcome: 'denied', user, session },
    ]);
    expect(inserted.map((row) => row.type)).toEqual(['session.reuse_detected']);
  });

  it('reads the user objects it lacks only when an endpoint takes the event', async () => {
    const usersOf = jest.fn(() => Promise.resolve(new Map<string, object>([['u1', user]])));
    const none = managerWith([]);
    await service.enqueue(
      none.manager,
      [{ action: 'session.revoked', userId: 'u1', session }],
      usersOf,
    );
    expect(usersOf).not.toHaveBeenCalled();
    const { manager, inserted } = managerWith([{ id: 'w1', events: ['session.revoked'] }]);
    await service.enqueue(
      manager,
      [
        { action: 'user.deleted', userId: 'u2' },
        { action: 'session.revoked', userId: 'u1', session },
      ],
      usersOf,
    );
    expect(usersOf).toHaveBeenCalledWith(manager, ['u1']);
    expect(inserted.map((row) => JSON.parse(row.body!) as { data: unknown })).toEqual([
      expect.objectContaining({ data: { user, session } }),
    ]);
  });

  it('gives each endpoint only the types it asked for', async () => {
    const { manager, inserted } = managerWith([
      { id: 'all', events: ['*'] },
      { id: 'revokes', events: ['session.revoked'] },
    ]);
    await service.enqueue(manager, [
      { action: 'user.created', user },
      { action: 'session.revoked', user, session },
    ]);
    expect(inserted.map((row) => `${row.webhookId} ${row.type}`)).toEqual([
      'all user.created',
      'all session.revoked',
      'revokes session.revoked',
    ]);
  });
});
