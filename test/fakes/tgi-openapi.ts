import { readFileSync } from 'node:fs';
import { sharedFile } from '../support/shared.js';
import { checkWith, createAjv, type BodyCheck } from './schema-validator.js';

/** The official TGI OpenAPI document, from the project's shared specs. */
const SPEC_FILE = sharedFile('specs', 'tgi', 'openapi.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = Record<string, Json>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns one OpenAPI 3.0 schema object into JSON Schema for Ajv. Walks only schema positions, so a
 * property that happens to be called `example` or `nullable` is kept.
 * - `nullable: true` becomes "null or the schema": Ajv's own `nullable` needs a sibling `type`,
 *   which `{ allOf: [$ref], nullable: true }` (stream_options, tool_choice...) lacks.
 * - `discriminator` is dropped: every discriminated oneOf here already excludes its other branches
 *   through a one-value `type` enum, so nothing is lost.
 * - `example` is documentation only.
 */
function toJsonSchema(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'discriminator' || key === 'example') continue;
    if (key === '$ref' && typeof value === 'string') converted[key] = value.replace('#/components/schemas/', '#/definitions/');
    else if (key === 'properties' && isObject(value)) converted[key] = mapValues(value, toJsonSchema);
    else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) converted[key] = value.map(toJsonSchema);
    else if (key === 'items' || key === 'additionalProperties' || key === 'not') converted[key] = toJsonSchema(value);
    else converted[key] = value;
  }
  return schema.nullable === true ? { anyOf: [{ type: 'null' }, converted] } : converted;
}

function mapValues(object: JsonObject, map: (value: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));
}

function loadDefinitions(): JsonObject {
  const document: unknown = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
  const schemas = isObject(document) && isObject(document.components) ? document.components.schemas : undefined;
  if (!isObject(schemas)) throw new Error(`${SPEC_FILE} has no components.schemas`);
  return mapValues(schemas, toJsonSchema);
}

const ajv = createAjv();
ajv.addSchema({ $id: 'tgi', definitions: loadDefinitions() });
const checkChatRequestSchema = checkWith(ajv, { $ref: 'tgi#/definitions/ChatRequest' });

/** Checks a JSON (non-streamed) chat completion against TGI's `ChatCompletion` response schema. */
export const checkChatCompletion: BodyCheck = checkWith(ajv, { $ref: 'tgi#/definitions/ChatCompletion' });

/**
 * Checks a body posted to /v1/chat/completions against TGI's `ChatRequest` schema.
 *
 * TGI deserializes `FunctionDefinition.arguments` with `#[serde(alias = "parameters")]`, which the
 * generated document cannot express: without mirroring the alias every OpenAI-style tool
 * (`function: { name, description, parameters }`) would read as invalid although TGI accepts it.
 */
export const checkChatRequest: BodyCheck = (body) => checkChatRequestSchema(withTgiAliases(body));

function withTgiAliases(body: unknown): unknown {
  if (!isObject(body) || !Array.isArray(body.tools)) return body;
  const tools = body.tools.map((tool) => {
    if (!isObject(tool) || !isObject(tool.function)) return tool;
    const { parameters, ...rest } = tool.function;
    if (parameters === undefined || 'arguments' in rest) return tool;
    return { ...tool, function: { ...rest, arguments: parameters } };
  });
  return { ...body, tools };
}
