/** The environment variables configuration is read from (process.env, or a test's own record). */
export type Env = Readonly<Record<string, string | undefined>>;
