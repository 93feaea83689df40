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

// No DTO is nested anywhere near this; JSON bodies themselves may be (webhook ingest takes them unvalidated).
const MAX_BODY_DEPTH = 32;
const PLAIN_TYPES: ReadonlySet<unknown> = new Set([Object, Array, String, Number, Boolean]);
const isDto = (metatype: unknown): boolean => typeof metatype === 'function' && !PLAIN_TYPES.has(metatype);

/** Whether objects/arrays nest deeper than `max`, found without recursion. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, depth] = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

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
    // Nest's pipe walks a DTO body recursively: a few thousand nested brackets overflowed the stack (a 500).
    if (metadata.type === 'body' && isDto(metadata.metatype) && nestedDeeperThan(value, MAX_BODY_DEPTH)) {
      const error = `The body is nested deeper than ${MAX_BODY_DEPTH} levels`;
      return Promise.reject(new BadRequestException({ error, code: 'VALIDATION_FAILED', details: [error] }));
    }
    return (metadata.type === 'query' ? this.lenient : this.strict).transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): PipeTransform {
  return new ParleyValidationPipe();
}
