import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import { PreparedQueries } from '../database/prepared-queries';
import { DEFAULT_PAGE_SIZE, ListUsersQuery } from './dto/list-users.query';
import { PageMeta } from './dto/user-envelopes.response';
import {
  fromUserRow,
  SELECT_USER_RESPONSE,
  toUserResponse,
  UserResponse,
  UserRow,
  withRunningBan,
} from './dto/user.response';
import { canSignInSql, User } from './entities/user.entity';
import { UserCacheService } from './user-cache.service';
import { DEFAULT_ORDERING, likePattern, OrderingField, parseOrdering } from './users-listing';

export const USER_NOT_FOUND = 'User not found.';

export interface UserPage {
  data: UserResponse[];
  meta: PageMeta;
}

/**
 * The SQL each sort key orders by, matching the listing indexes: emails are stored lower-cased,
 * so `lower(email)` sorts like `email` and uses the unique index.
 */
const SORT_SQL: Record<OrderingField, string> = {
  created_at: 'u.created_at',
  email: 'lower(u.email)',
  full_name: 'u.full_name',
  last_login: 'u.last_login',
};

/** Reading users: one by id (deleted ones included, for admins and restore), or a page of them. */
@Injectable()
export class UsersQueryService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly prepared: PreparedQueries,
    private readonly cache: UserCacheService,
  ) {}

  /**
   * The hottest read of the API (`GET /api/users/me`): from the shared cache when a recent read
   * is there, else one prepared statement whose columns are already the response's fields (TypeORM's
   * find would spend more CPU building and hydrating the query than the database spends answering
   * it; see README, Performance).
   */
  async get(id: string): Promise<UserResponse> {
    const user = await this.cache.read(id, async () => {
      const [row] = await this.prepared.query<UserRow>(SELECT_USER_RESPONSE, [id]);
      return row ? fromUserRow(row) : null;
    });
    if (!user) throw AppException.notFound(USER_NOT_FOUND);
    return withRunningBan(user);
  }

  /** One page and the total over all pages; the filters and orderings are index-backed. */
  async list(query: ListUsersQuery): Promise<UserPage> {
    const page = query.page ?? 1;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const offset = (page - 1) * limit;
    const filtered = this.filtered(query);
    const users = await this.ordered(filtered.clone(), query.ordering)
      .limit(limit)
      .offset(offset)
      .getMany();
    // A short, non-empty (or first) page tells the total; counting costs a scan of every match.
    const total =
      users.length < limit && (users.length > 0 || offset === 0)
        ? offset + users.length
        : await this.count(filtered);
    return { data: users.map(toUserResponse), meta: { page, limit, total } };
  }

  /** count(*) rather than getCount()'s COUNT(DISTINCT id), which would sort every matching id. */
  private async count(filtered: SelectQueryBuilder<User>): Promise<number> {
    const row = await filtered.select('count(*)::int', 'total').getRawOne<{ total: number }>();
    return row?.total ?? 0;
  }

  private filtered(query: ListUsersQuery): SelectQueryBuilder<User> {
    // The predicates are literal SQL so the planner can match them to the partial indexes.
    const qb = this.users
      .createQueryBuilder('u')
      .withDeleted()
      .where(query.is_active === false ? `NOT ${canSignInSql('u')}` : canSignInSql('u'));
    if (query.is_staff !== undefined) qb.andWhere(query.is_staff ? 'u.is_staff' : 'NOT u.is_staff');
    if (query.search) {
      qb.andWhere(
        '(lower(u.email) LIKE :pattern OR lower(u.full_name) LIKE :pattern OR u.mobile LIKE :pattern)',
        { pattern: likePattern(query.search) },
      );
    }
    return qb;
  }

  private ordered(qb: SelectQueryBuilder<User>, ordering?: string): SelectQueryBuilder<User> {
    const keys = (ordering === undefined ? null : parseOrdering(ordering)) ?? DEFAULT_ORDERING;
    for (const key of keys) {
      const direction = key.descending ? 'DESC' : 'ASC';
      // Never signed in sorts as the oldest login: first ascending, last descending.
      const nulls =
        key.field === 'last_login' ? (key.descending ? 'NULLS LAST' : 'NULLS FIRST') : undefined;
      qb.addOrderBy(SORT_SQL[key.field], direction, nulls);
    }
    // A unique tie-breaker keeps pages stable when sort values repeat.
    return qb.addOrderBy('u.id', keys[keys.length - 1].descending ? 'DESC' : 'ASC');
  }
}
