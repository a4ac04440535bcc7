export interface RequestTarget {
  /** As sent, still percent-encoded: decoding is the static server's job, after its own checks. */
  rawPath: string;
  query: URLSearchParams;
}

/** Splits an origin-form request target (`/path?query`); null for anything else (absolute-form, `*`). */
export function parseRequestTarget(url: string | undefined): RequestTarget | null {
  if (!url || !url.startsWith('/') || url.startsWith('//')) return null;
  // A fragment ends the target wherever it starts: a `?` after a `#` begins no query.
  const hashAt = url.indexOf('#');
  const hashless = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = hashless.indexOf('?');
  if (queryAt === -1) return { rawPath: hashless, query: new URLSearchParams() };
  return { rawPath: hashless.slice(0, queryAt), query: new URLSearchParams(hashless.slice(queryAt + 1)) };
}
