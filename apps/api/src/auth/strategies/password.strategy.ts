import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { UnauthorizedError } from '@parley/common';
import { UserRecord, UsersRepository } from '@parley/database';
import { hashPassword } from '../../users/users.service';

/** E-mail + password, verified with argon2id. */
@Injectable()
export class PasswordStrategy implements OnModuleInit {
  // Verified when the e-mail is unknown, so both answers take the same time.
  private dummyHash = '';

  constructor(private readonly users: UsersRepository) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword('parley-timing-equaliser');
  }

  async validate(email: string, password: string): Promise<UserRecord> {
    const user = await this.users.findByEmail(email);
    const ok = await argon2.verify(user?.passwordHash ?? this.dummyHash, password).catch(() => false);
    if (!user || !user.passwordHash || !ok) {
      throw new UnauthorizedError('Invalid email or password', 'INVALID_CREDENTIALS');
    }
    return user;
  }
}
