import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Namespace, Server } from 'socket.io';
import { benchArgs } from '../lib/child';

let rooms: Namespace | undefined;
let nextId = 0;

@Controller()
class FloorController {
  /** Parses the JSON and relays it to the room's sockets at once: no checks, no database, nothing stored. */
  @Post('hooks/in/:code/:token')
  @HttpCode(200)
  relay(@Param('code') code: string, @Body() body: { content?: unknown }): { ok: boolean } {
    const id = ++nextId;
    rooms?.to(code).emit('message', {
      id,
      room_code: code,
      sender: 'bench',
      content: body.content,
      file_path: null,
      file_type: null,
      created_at: new Date().toISOString().slice(0, 19),
    });
    return { ok: true };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

/**
 * Child process: the floor for ephemeral-room posts — bare Nest + Express taking the hook post and
 * a bare Socket.IO namespace `/rooms` relaying it to the room named in the handshake. What Parley
 * adds on top is the room lookup, the durable write, encryption and the event log.
 */
async function main(): Promise<void> {
  process.once('SIGTERM', () => process.exit(0));
  const { port } = benchArgs<{ port: number }>();
  const app = await NestFactory.create(FloorModule, { logger: false });
  const io = new Server(app.getHttpServer() as HttpServer, { serveClient: false });
  rooms = io.of('/rooms');
  rooms.on('connection', (socket) => {
    void socket.join(String((socket.handshake.auth as { code?: unknown }).code));
    socket.emit('session', { session: socket.id });
  });
  await app.listen(port, '127.0.0.1');
  process.stdout.write('READY\n');
}

void main();
