import { ApiBearerAuth } from '@nestjs/swagger';

/** The OpenAPI security scheme of service API keys (`Authorization: Bearer mgk_…`). */
export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'access-token';

/** Documents a route that takes only a service API key. */
export const ApiKeySecurity = () => ApiBearerAuth(API_KEY_SCHEME);
