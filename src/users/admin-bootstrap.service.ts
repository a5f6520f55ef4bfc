import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { appConfig, AppConfig } from '../config/app.config';
import { AdminRolesService } from './admin-roles.service';

/** ADMIN_EMAIL is made an admin at every boot (created if absent; nothing changes when it is one). */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Admin');

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly roles: AdminRolesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.adminEmail;
    if (!email) return;
    const outcome = await this.roles.ensureAdmin(email);
    if (outcome !== 'unchanged') this.logger.log(`ADMIN_EMAIL account ${outcome}: ${email}`);
  }
}
