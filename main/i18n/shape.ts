// The shape a translation must have: every key of its English area file, no other (an object
// literal with a missing or an extra key does not compile).
export type Translation<T> = { readonly [K in keyof T]: string };

/** The {name} placeholders of a message, as a union of their names. */
export type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
