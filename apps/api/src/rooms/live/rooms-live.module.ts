import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms.module';
import { RoomsGateway } from './rooms.gateway';

/** Socket.IO for ephemeral rooms, on the API's own HTTP server. */
@Module({ imports: [RoomsModule], providers: [RoomsGateway] })
export class RoomsLiveModule {}
