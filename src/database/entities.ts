import { AuditEvent } from '../audit/entities/audit-event.entity';
import { OutboxMail } from '../mail/entities/outbox-mail.entity';
import { RefreshToken } from '../sessions/entities/refresh-token.entity';
import { Session } from '../sessions/entities/session.entity';
import { User } from '../users/entities/user.entity';

/** Every entity the schema knows; migrations are generated against this list. */
export const entities = [User, Session, RefreshToken, OutboxMail, AuditEvent];
