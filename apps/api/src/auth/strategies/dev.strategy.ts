import { Injectable } from '@nestjs/common';
import { UserRecord } from '@parley/database';
import { UsersService } from '../../users/users.service';

/** Dev mode: anyone may log in as any e-mail (loopback only unless forced; see config). */
@Injectable()
export class DevStrategy {
  constructor(private readonly users: UsersService) {}

  validate(email: string): Promise<UserRecord> {
    return this.users.findOrCreateForDevLogin(email.toLowerCase());
  }
}
