import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

/** The OpenAPI security scheme of service API keys (`Authorization: Bearer mgk_…`). */
export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'access-token';

/** Documents a route that takes only a service API key. */
export const ApiKeySecurity = () => ApiBearerAuth(API_KEY_SCHEME);

/** Documents a route that takes a user's access token or a service API key with scope `admin`. */
export const UserOrApiKeySecurity = () =>
  applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiBearerAuth(API_KEY_SCHEME));
