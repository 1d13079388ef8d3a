import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.0 schema object that Latchkey's document uses. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

interface RawParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  operationId: string;
  parameters?: RawParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Operation {
  /** `GET /api/projects/{id}` */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The path template, `{id}` style. */
  path: string;
  pathParameters: string[];
  queryParameters: Record<string, Schema>;
  /** The request body's schema, resolved; undefined: the operation takes none. */
  body?: Schema;
  /** The security scheme the operation names, or undefined for public operations. */
  security?: string;
  /** Status code → schema of the JSON body (undefined: documented without a body). */
  responses: Record<number, Schema | undefined>;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const parameters = raw.parameters ?? [];
      const responses: Record<number, Schema | undefined> = {};
      for (const [status, response] of Object.entries(raw.responses)) {
        responses[Number(status)] = response.content?.['application/json']?.schema;
      }
      const body = raw.requestBody?.content?.['application/json']?.schema;
      operations.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParameters: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParameters: Object.fromEntries(
          parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
        ),
        body: body && resolveDeep(document, body),
        security: raw.security?.flatMap((requirement) => Object.keys(requirement))[0],
        responses,
      });
    }
  }
  return operations;
}

/** Follows `$ref` and single-member `allOf` (how @nestjs/swagger wraps a described ref). */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`unresolvable ${schema.$ref}`);
    return resolve(document, target);
  }
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolve(document, allOf[0]), ...rest };
  }
  return schema;
}

/** `resolve`, all the way down: a body schema with no reference left in it. */
export function resolveDeep(document: OpenApiDocument, schema: Schema): Schema {
  const resolved = resolve(document, schema);
  const properties = resolved.properties
    ? Object.fromEntries(
        Object.entries(resolved.properties).map(([name, property]) => [
          name,
          resolveDeep(document, property),
        ]),
      )
    : undefined;
  const items = resolved.items ? resolveDeep(document, resolved.items) : undefined;
  return { ...resolved, ...(properties && { properties }), ...(items && { items }) };
}

/**
 * Every documented object schema closed with `additionalProperties: false` unless it says
 * otherwise: a response that carries a field the document does not name (a digest, a password
 * hash, a tenant id) is a mismatch, not a harmless extra.
 */
function closeObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closeObjects);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = closeObjects(child);
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

const DOCUMENT_ID = 'openapi.json';

function absoluteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(absoluteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string' ? `${DOCUMENT_ID}${child}` : absoluteRefs(child),
    ]),
  );
}

/** Validates bodies against the document's schemas (OpenAPI 3.0: `nullable` included). */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<Schema, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('password', true);
    this.ajv.addSchema(
      { $id: DOCUMENT_ID, components: closeObjects(document.components) },
      DOCUMENT_ID,
    );
  }

  /** The validation errors, as one readable line each; empty when the body matches. */
  errors(schema: Schema, body: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(closeObjects(absoluteRefs(schema)) as object);
      this.compiled.set(schema, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    );
  }
}
