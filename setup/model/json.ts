/** A JSON object as it arrives from outside (a card payload, a token's claims, a REST answer). */
export type JsonObject = Record<string, unknown>;

/** An object that is not an array or null: the one test before reading fields of untrusted JSON. */
export const isRecord = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
