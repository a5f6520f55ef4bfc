import { readmeRouteTableRows, routeTableRows } from '../scripts/route-table';

describe('the README route table', () => {
  it('lists every documented route with its controller file (scripts/route-table.ts --write)', () => {
    const rows = routeTableRows();
    expect(rows).toEqual(
      expect.arrayContaining([
        ['`POST /api/users/login`', '`src/auth/auth.controller.ts`', 'AuthController'],
        [
          '`GET /api/users/me/sessions`',
          '`src/users/me-sessions.controller.ts`',
          'MeSessionsController',
        ],
      ]),
    );
    expect(readmeRouteTableRows()).toEqual(rows);
  });
});
