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

/** Response entries for the error statuses a route can answer with, besides 400, 403, 429, 500. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  // 403 is always possible: a cookie-authenticated change from another site is refused.
  const entries: Record<number, TSchema> = {
    400: errorRef,
    403: errorRef,
    429: errorRef,
    500: errorRef,
  };
  for (const status of statuses) entries[status] = errorRef;

  return entries;
}

export const Timestamp = Type.String({ format: "date-time" });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const OrgIdParam = Type.Object({
  orgId: Type.String({ minLength: 1, maxLength: 100, description: "The organization ID" }),
});

export const Message = Type.Object({ message: Type.String() });
