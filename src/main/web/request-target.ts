export interface RequestTarget {
  /** As sent, still percent-encoded: decoding is the static server's job, after its own checks. */
  rawPath: string;
  query: URLSearchParams;
}

/** Splits an origin-form request target (`/path?query`); null for anything else (absolute-form, `*`). */
export function parseRequestTarget(url: string | undefined): RequestTarget | null {
  if (!url || !url.startsWith('/') || url.startsWith('//')) return null;
  const queryAt = url.indexOf('?');
  const hashless = (queryAt === -1 ? url : url.slice(0, queryAt)).split('#')[0] ?? '';
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1).split('#')[0]);
  return { rawPath: hashless, query };
}
