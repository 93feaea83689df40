import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { benchArgs } from '../lib/child';

@Controller()
class FloorController {
  /** Parses the JSON (Nest's default body parser) and answers — nothing else. */
  @Post('ingest')
  @HttpCode(200)
  ingest(@Body() body: { content?: unknown }): { ok: boolean } {
    return { ok: typeof body.content === 'string' };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

/** Child process: the bare Nest + Express floor for webhook ingest. */
async function main(): Promise<void> {
  // Exit through Node's exit path, so a --cpu-prof profile (via NODE_OPTIONS) gets written.
  process.once('SIGTERM', () => process.exit(0));
  const { port } = benchArgs<{ port: number }>();
  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(port, '127.0.0.1');
  process.stdout.write('READY\n');
}

void main();
