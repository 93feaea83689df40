import { ArgumentMetadata, BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const property = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${prefix ? prefix + '.' : ''}${m}` : `${property}: ${m}`,
    );
    return [...own, ...flatten(e.children ?? [], property)];
  });
}

const exceptionFactory = (errors: ValidationError[]) => {
  const details = flatten(errors);
  return new BadRequestException({ error: details[0] ?? 'Invalid request', code: 'VALIDATION_FAILED', details });
};

/**
 * The global pipe: bodies with unknown fields are rejected, values transformed to the DTO's types.
 * Unknown query parameters are dropped instead (cache-busters like `?_=123` are common). Routes
 * that must accept foreign payloads (webhook ingest) take `@Body() body: unknown`, left alone here.
 */
class ParleyValidationPipe implements PipeTransform {
  private readonly strict = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory,
  });
  private readonly lenient = new ValidationPipe({ whitelist: true, transform: true, exceptionFactory });

  transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return (metadata.type === 'query' ? this.lenient : this.strict).transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): PipeTransform {
  return new ParleyValidationPipe();
}
