import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The address a sign-up has already proven by following an invitation link mailed to it. Our
 * sign-up route sets it around the auth library's call, so the account is created verified and
 * no verification mail goes out.
 */
export const provenAddress = new AsyncLocalStorage<string>();
