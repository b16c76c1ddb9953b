import { Type, type TSchema } from "typebox";

/** The one error body of the whole API. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "Stable, namespaced code such as seat.limit_reached" }),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { title: "ErrorBody" },
);

const errorRef = ErrorBody;

/** Response entries for the error statuses a route can answer with. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  // Always possible: bad input (400), a cookie-authenticated change from another site (403), a
  // body too large (413) or not JSON (415), a rate limit (429).
  const entries: Record<number, TSchema> = {};
  for (const status of [400, 403, 413, 415, 429, 500, ...statuses]) entries[status] = errorRef;

  return entries;
}

export const Timestamp = Type.String({ format: "date-time" });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const OrgIdParam = Type.Object({
  orgId: Type.String({ minLength: 1, maxLength: 100, description: "The organization ID" }),
});

export const Message = Type.Object({ message: Type.String() });
