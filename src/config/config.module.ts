import { Global, Module } from '@nestjs/common';
import { Configuration, loadConfiguration } from './configuration';
import { allNamespaces } from './namespaces';

const CONFIGURATION = Symbol('CONFIGURATION');

/**
 * Parses and validates the environment once at boot (a bad value stops the service with a
 * message naming the variable) and exposes each area as its typed `registerAs` namespace.
 */
@Global()
@Module({
  providers: [
    { provide: CONFIGURATION, useFactory: () => loadConfiguration() },
    ...allNamespaces.map((namespace) => ({
      provide: namespace.KEY,
      inject: [CONFIGURATION],
      useFactory: (config: Configuration) => config[namespace.area],
    })),
  ],
  exports: allNamespaces.map((namespace) => namespace.KEY),
})
export class AppConfigModule {}
