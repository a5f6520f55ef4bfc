/**
 * The injection token of one configuration area. Its value is provided by
 * `AppConfigModule.forRoot(config)` from the one parse made at boot:
 * `@Inject(mailConfig.KEY) private readonly config: MailConfig`.
 */
export interface ConfigToken<Area extends string> {
  readonly area: Area;
  readonly KEY: string;
}

export function configToken<Area extends string>(area: Area): ConfigToken<Area> {
  return { area, KEY: `CONFIGURATION(${area})` };
}
