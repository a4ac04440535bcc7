/**
 * Who owns what: each logical client has one secret, its workspace folders, and every id (
 * conversation, message, turn, tool call) it has been seen with. An id or secret seen by a second
 * client is cross-talk; every such finding is recorded with where it was seen.
 */
const SECRET = /sec_[0-9a-f]{8}/g;

export type IdKind = 'conversation' | 'message' | 'turn' | 'call';

export class Ownership {
  readonly #secretOwner = new Map<string, string>();
  readonly #clientSecret = new Map<string, string>();
  readonly #ids = new Map<string, string>();
  readonly #workspaces = new Map<string, string>();
  readonly violations: string[] = [];

  get crossTalk(): number {
    return this.violations.length;
  }

  addClient(client: string, secret: string): void {
    if (!/^sec_[0-9a-f]{8}$/.test(secret)) throw new Error(`not a secret: ${secret}`);
    if (this.#secretOwner.has(secret)) throw new Error(`secret ${secret} is taken`);
    this.#secretOwner.set(secret, client);
    this.#clientSecret.set(client, secret);
  }

  secretOf(client: string): string {
    const secret = this.#clientSecret.get(client);
    if (!secret) throw new Error(`unknown client ${client}`);
    return secret;
  }

  ownerOfSecret(secret: string): string | undefined {
    return this.#secretOwner.get(secret);
  }

  /** Every distinct secret in a text. */
  secretsIn(text: string): string[] {
    return [...new Set(text.match(SECRET) ?? [])];
  }

  /** Records a finding if the text carries a secret that is not the client's own. */
  checkText(client: string, text: string, where: string): void {
    const own = this.secretOf(client);
    for (const secret of this.secretsIn(text)) {
      if (secret !== own)
        this.violation(`${where}: ${client} saw ${secret} of ${this.ownerOfSecret(secret)}`);
    }
  }

  addWorkspace(client: string, folder: string): void {
    this.#workspaces.set(folder, client);
  }

  ownsWorkspace(client: string, folder: string): boolean {
    return this.#workspaces.get(folder) === client;
  }

  /** The first client seen with an id owns it; a second one is cross-talk. */
  claim(kind: IdKind, id: string, client: string, where: string): void {
    const key = `${kind}:${id}`;
    const owner = this.#ids.get(key);
    if (owner === undefined) this.#ids.set(key, client);
    else if (owner !== client) this.violation(`${where}: ${client} saw ${kind} ${id} of ${owner}`);
  }

  /** For ids handed out elsewhere first (tool call ids, by the model): they must be the client's. */
  expectOwned(kind: IdKind, id: string, client: string, where: string): void {
    const owner = this.#ids.get(`${kind}:${id}`);
    if (owner !== client) this.violation(`${where}: ${client} saw ${kind} ${id} of ${owner ?? 'nobody'}`);
  }

  ownerOf(kind: IdKind, id: string): string | undefined {
    return this.#ids.get(`${kind}:${id}`);
  }

  violation(message: string): void {
    this.violations.push(message);
  }
}
