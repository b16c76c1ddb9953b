import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

function compiler(options: Options): Ajv {
  // strict off: TypeBox adds its own markers beside the JSON Schema keywords.
  const ajv = new Ajv({ strict: false, allErrors: false, removeAdditional: false, ...options });
  addFormats.default(ajv);

  return ajv;
}

type Schema = Record<string, unknown>;

/** Marks a body schema that documents a raw upload rather than JSON to validate. */
export const RAW_BODY = "x-raw-body";

/** A copy of the schema in which every object with declared properties refuses others. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== "object" || schema === null) return schema;

  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) copy[key] = closed(value);
  if (copy.type === "object" && copy.properties && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }

  return copy;
}

/**
 * Request validation: bodies are taken exactly as sent (a number is never turned into a
 * string, and an unknown field is refused rather than silently dropped), while path and query
 * values, which arrive as text, are coerced to their types.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const exact = compiler({ coerceTypes: false });
  const coercing = compiler({ coerceTypes: "array", useDefaults: true });

  return ({ schema, httpPart }) => {
    // A raw body (a file upload) is a stream its route reads itself: the schema only documents it.
    if (httpPart === "body" && (schema as Schema)[RAW_BODY]) return () => true;

    const compiled =
      httpPart === "body"
        ? exact.compile(closed(schema) as Schema)
        : coercing.compile(schema as Schema);
    return compiled as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
