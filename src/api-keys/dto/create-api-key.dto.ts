import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  Length,
} from 'class-validator';
import { API_KEY_SCOPES, ApiKeyScope } from '../../common/auth/auth-user';

/** POST /api/admin/api-keys. */
export class CreateApiKeyDto {
  @ApiProperty({ example: 'billing-service', minLength: 1, maxLength: 100 })
  @IsString({ message: 'Name must be a string.' })
  @Length(1, 100, { message: 'Name must be 1 to 100 characters.' })
  name!: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    isArray: true,
    example: ['introspect'],
    description:
      '`introspect`: may call POST /api/oauth/introspect. `admin`: may call the admin routes ' +
      '(user management included), except API-key management.',
  })
  @IsArray({ message: 'Scopes must be a list.' })
  @ArrayNotEmpty({ message: 'Scopes must name at least one scope.' })
  @ArrayMaxSize(API_KEY_SCOPES.length, { message: 'Scopes must not repeat.' })
  @ArrayUnique({ message: 'Scopes must not repeat.' })
  @IsIn(API_KEY_SCOPES, { each: true, message: 'Scopes must be from: introspect, admin.' })
  scopes!: ApiKeyScope[];
}
