import { AppConfig } from '../config/app.config';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AdminRolesService, EnsureAdminOutcome } from './admin-roles.service';

function bootstrapWith(adminEmail: string | undefined) {
  const ensured: string[] = [];
  const roles = {
    ensureAdmin: (email: string): Promise<EnsureAdminOutcome> => {
      ensured.push(email);
      return Promise.resolve('unchanged');
    },
  } as AdminRolesService;
  return { bootstrap: new AdminBootstrapService({ adminEmail } as AppConfig, roles), ensured };
}

describe('AdminBootstrapService', () => {
  it('makes ADMIN_EMAIL an admin at boot', async () => {
    const { bootstrap, ensured } = bootstrapWith('boss@example.com');
    await bootstrap.onApplicationBootstrap();
    expect(ensured).toEqual(['boss@example.com']);
  });

  it('does nothing without ADMIN_EMAIL', async () => {
    const { bootstrap, ensured } = bootstrapWith(undefined);
    await bootstrap.onApplicationBootstrap();
    expect(ensured).toEqual([]);
  });
});
