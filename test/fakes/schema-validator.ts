import { Ajv, type AnySchemaObject, type ErrorObject } from 'ajv';

/** Checks one request body; returns readable errors, none when the body is valid. */
export type BodyCheck = (body: unknown) => string[];

/**
 * One Ajv setup for every schema the fakes load. allErrors, so a test failure lists every
 * problem of a request at once instead of the first one only.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  // OpenAPI number formats: checked for what they promise, so an int32 field refuses 1.5.
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: (n) => Number.isFinite(n) });
  ajv.addFormat('double', { type: 'number', validate: (n) => Number.isFinite(n) });
  // Annotation-only keywords that the HF task specs use.
  ajv.addKeyword('comment');
  return ajv;
}

export function checkWith(ajv: Ajv, schema: AnySchemaObject): BodyCheck {
  const validate = ajv.compile(schema);
  return (body) => (validate(body) ? [] : formatErrors(validate.errors ?? []));
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((error) => {
    const where = error.instancePath === '' ? '(body)' : error.instancePath;
    const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params.additionalProperty)}'` : '';
    return `${where} ${error.message ?? error.keyword}${extra} [${error.schemaPath}]`;
  });
}
