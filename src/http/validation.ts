import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

function compiler(options: Options): Ajv {
  // strict off: TypeBox adds its own markers beside the JSON Schema keywords.
  const ajv = new Ajv({ strict: false, allErrors: false, removeAdditional: false, ...options });
  addFormats.default(ajv);

  return ajv;
}

/**
 * Request validation: bodies are taken exactly as sent (a number is never turned into a
 * string), while path and query values, which arrive as text, are coerced to their types.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const exact = compiler({ coerceTypes: false });
  const coercing = compiler({ coerceTypes: "array", useDefaults: true });

  return ({ schema, httpPart }) => {
    const ajv = httpPart === "body" ? exact : coercing;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
