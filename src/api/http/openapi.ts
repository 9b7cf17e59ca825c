import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';

extendZodWithOpenApi(z);

export { OpenAPIRegistry };

/** Express `/a/:id` → OpenAPI `/a/{id}`. */
export const toOpenApiPath = (p: string): string => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Query or path parameters as documented: a field its validation refuses when absent is required.
 * (The generator decides by also trying null, which a coerced field such as z.coerce.number() takes,
 * so it documented required coerced fields as optional.) Only the document's copy changes.
 */
export function documentedParams(schema: ZodType): ZodType {
  const shape = (schema as { shape?: Record<string, ZodType> }).shape;
  if (!shape) return schema;
  const required = (field: ZodType) => !field.safeParse(undefined).success;
  return z.object(Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, required(f) ? f.openapi({ param: { required: true } }) : f])));
}

/** A query string or a path segment cannot carry null: their schemas are not nullable, whatever the generator read. */
function wireParameters(document: { paths?: Record<string, Record<string, { parameters?: { in: string; schema?: Record<string, unknown> }[] }>> }) {
  for (const item of Object.values(document.paths ?? {}))
    for (const op of Object.values(item)) for (const p of op.parameters ?? []) if ((p.in === 'query' || p.in === 'path') && p.schema) delete p.schema.nullable;
}

/** Calls `visit` on every object in the document, parents before their children. */
function eachObject(node: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => eachObject(n, visit));
  if (!node || typeof node !== 'object') return;
  visit(node as Record<string, unknown>);
  Object.values(node).forEach((n) => eachObject(n, visit));
}

/**
 * zod's integers are safe integers (|n| <= 2^53 - 1) and its validation says so; the generator
 * leaves an unbounded side out. The document states the same bound the validation applies.
 */
function boundInteger(schema: Record<string, unknown>): void {
  if (schema.type !== 'integer') return;
  schema.minimum ??= Number.MIN_SAFE_INTEGER;
  schema.maximum ??= Number.MAX_SAFE_INTEGER;
}

/**
 * A nullable reference (`RentalSchema.nullable()`) comes out as `allOf: [{$ref}, {nullable: true}]`,
 * which no null satisfies (the reference's branch wants an object; fuzzing found `GET /rentals/active`
 * answering `data: null` off its document). OpenAPI 3.0 says it as `nullable` beside the `allOf`.
 */
function nullableReference(schema: Record<string, unknown>): void {
  const all = schema.allOf;
  if (!Array.isArray(all) || !all.some(isNullableMarker)) return;
  schema.allOf = all.filter((s) => !isNullableMarker(s));
  schema.nullable = true;
}
const isNullableMarker = (s: unknown) => !!s && typeof s === 'object' && Object.keys(s).length === 1 && (s as { nullable?: unknown }).nullable === true;

export function buildDocument(registry: OpenAPIRegistry, info: { title: string; description?: string; mount: string }) {
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: info.title, version: '1.0.0', description: info.description },
    servers: [{ url: info.mount }],
  });
  eachObject(document, (o) => {
    boundInteger(o);
    nullableReference(o);
  });
  wireParameters(document as never);
  return document;
}
