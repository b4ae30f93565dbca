/** What a request asks for: a new setup, a change of a recorded environment, or its retirement. */
export type RequestKind = 'setup' | 'change' | 'retire';
