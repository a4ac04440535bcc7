/** Whether two provider base URLs name the same endpoint (case of the host, a trailing slash aside). */
export function sameEndpoint(a: string, b: string): boolean {
  const normal = (url: string) => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url.replace(/\/+$/, '');
    }
  };
  return normal(a) === normal(b);
}
