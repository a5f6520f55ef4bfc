import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { CacheableDocument, DiscoveryService } from './discovery.service';
import { DiscoveryResponse, JwksResponse } from './dto/discovery.response';

/** Public caching for a day-to-day stable document; 304 when the client's copy is current. */
function sendCacheable<T>(
  reply: FastifyReply,
  ifNoneMatch: string | undefined,
  doc: CacheableDocument<T>,
): T | undefined {
  void reply.header('Cache-Control', 'public, max-age=300').header('ETag', doc.etag);
  const tags = ifNoneMatch?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags?.includes(doc.etag) || ifNoneMatch?.trim() === '*') {
    void reply.status(304);
    return undefined;
  }
  return doc.body;
}

const IF_NONE_MATCH = ApiHeader({
  name: 'If-None-Match',
  required: false,
  description: 'The ETag of a cached copy; answered with 304 while it is current',
});
const NOT_MODIFIED = ApiResponse({ status: 304, description: 'The cached copy is current' });

const DISCOVERY_DESCRIPTION =
  'Where to find the keys that verify MailGuard access tokens, for verifiers configured with ' +
  'only the issuer URL (Spring `issuer-uri`, ASP.NET `Authority`, `jose`). ' +
  '`Cache-Control: public, max-age=300` and an ETag.';

/** Outside the /api prefix, where OpenID Connect and RFC 8414 clients look. */
@ApiTags('discovery')
@Public()
@Controller('.well-known')
export class WellKnownController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('jwks.json')
  @ApiOperation({
    summary: 'Public signing keys (JWKS)',
    description:
      'The public JWK of every key in state standby, active or retired; `kid` is the RFC 7638 ' +
      'thumbprint. `Cache-Control: public, max-age=300` and an ETag.',
  })
  @IF_NONE_MATCH
  @ApiOkResponse({ type: JwksResponse })
  @NOT_MODIFIED
  jwks(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): JwksResponse | undefined {
    return sendCacheable(reply, ifNoneMatch, this.discovery.jwks());
  }

  @Get('openid-configuration')
  @ApiOperation({ summary: 'OpenID Connect discovery', description: DISCOVERY_DESCRIPTION })
  @IF_NONE_MATCH
  @ApiOkResponse({ type: DiscoveryResponse })
  @NOT_MODIFIED
  openidConfiguration(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): DiscoveryResponse | undefined {
    return sendCacheable(reply, ifNoneMatch, this.discovery.discovery());
  }

  @Get('oauth-authorization-server')
  @ApiOperation({
    summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
    description: `The same document as openid-configuration. ${DISCOVERY_DESCRIPTION}`,
  })
  @IF_NONE_MATCH
  @ApiOkResponse({ type: DiscoveryResponse })
  @NOT_MODIFIED
  authorizationServer(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): DiscoveryResponse | undefined {
    return sendCacheable(reply, ifNoneMatch, this.discovery.discovery());
  }
}
