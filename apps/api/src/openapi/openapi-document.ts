import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ROUTE_DOCS } from './route-docs';
import { listRoutes, RouteInfo } from './routes';

const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options'] as const;
const ACCESS_NOTE: Record<RouteInfo['access'], string> = {
  public: 'Access: public.',
  member: 'Access: any member of the workspace (Bearer access token).',
  admin: 'Access: workspace admins (Bearer access token).',
};

/** `/channels/{channelId}` → `/channels/:channelId`, the form routes and ROUTE_DOCS use. */
const toNestPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * The OpenAPI document: paths, parameters and request bodies from the controllers (request body
 * schemas from the class-validator rules the API enforces, so the two cannot drift), summaries and
 * error answers from ROUTE_DOCS, access from the same metadata the AuthGuard reads.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Parley')
    .setDescription(
      'Self-hosted team chat and notification sink. Errors are JSON `{error, code}`; ids are strings and times ' +
        'epoch milliseconds. See docs/api.md for the shapes and the event types of `GET /events`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const access = new Map(listRoutes(app).map((r) => [`${r.method} ${r.path}`, r]));
  // openapi3-ts and Nest describe the same JSON Schema objects with different TypeScript types.
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as NonNullable<
    OpenAPIObject['components']
  >['schemas'];
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemas } };

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const key = `${method.toUpperCase()} ${toNestPath(path)}`;
      const doc = ROUTE_DOCS[key];
      const route = access.get(key);
      operation.tags = [path.split('/')[1] ?? 'misc'];
      if (doc) operation.summary = doc.summary;
      const notes = [doc?.description, route && ACCESS_NOTE[route.access]];
      if (route?.queryToken) notes.push('The access token may also be passed as `?token=` (redacted from logs).');
      operation.description = notes.filter(Boolean).join('\n\n');
      operation.security = route?.access === 'public' ? [] : [{ bearer: [] }];
      operation.responses = {
        [Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2') || s.startsWith('3')) ?? '200']: {
          description: 'Success',
        },
        ...Object.fromEntries(
          Object.entries(doc?.errors ?? {}).map(([status, description]) => [status, { description }]),
        ),
      };
    }
  }
  return document;
}
