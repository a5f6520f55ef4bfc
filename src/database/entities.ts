import { User } from '../users/entities/user.entity';

/** Every entity the schema knows; migrations are generated against this list. */
export const entities = [User];
