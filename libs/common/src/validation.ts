import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const property = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${prefix ? prefix + '.' : ''}${m}` : `${property}: ${m}`,
    );
    return [...own, ...flatten(e.children ?? [], property)];
  });
}

/**
 * The global pipe: unknown fields are rejected, values transformed to the DTO's types. Routes that
 * must accept foreign payloads (webhook ingest) take `@Body() body: unknown`, which it leaves alone.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        error: details[0] ?? 'Invalid request',
        code: 'VALIDATION_FAILED',
        details,
      });
    },
  });
}
