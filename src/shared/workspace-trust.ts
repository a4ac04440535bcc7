// What a workspace's project files ask for beyond content, and whether the user granted it. The
// engine decides; a window shows it (the trust prompt) and answers with `workspace.trust`.

/** Why an environment variable deserves a second look before a folder is trusted. */
export type EnvRisk = 'runs-code' | 'network';

interface RequestedEnv {
  name: string;
  value: string;
  /** The project file that sets it. */
  file: string;
  risk?: EnvRisk;
}

interface RequestedSetting {
  key: string;
  value: string;
  file: string;
}

/** Everything trust would add to the project layer: each env variable with its value, each setting. */
export interface TrustRequest {
  env: RequestedEnv[];
  settings: RequestedSetting[];
}

export interface WorkspaceTrust {
  /** The project files' requests apply (trusted in settings with this exact request, or for this run). */
  trusted: boolean;
  /** What trust grants here; both lists empty when the project files ask for nothing that needs it. */
  request: TrustRequest;
  /** The folder was trusted, but its project files now ask for something else: asked again. */
  changed: boolean;
  /** The user declined the prompt in this window; it stays closed until asked for again. */
  declined: boolean;
  /** Names this exact request: an answer given to one request is refused for another. */
  fingerprint: string;
}

export interface TrustedFolder {
  path: string;
  /** ISO 8601. */
  grantedAt: string;
}

export function requestsNothing(request: TrustRequest): boolean {
  return request.env.length === 0 && request.settings.length === 0;
}

/** The trust prompt is shown when trust would change something and the user has not answered. */
export function needsTrustPrompt(trust: WorkspaceTrust): boolean {
  return !trust.trusted && !trust.declined && !requestsNothing(trust.request);
}

export const UNTRUSTED: WorkspaceTrust = Object.freeze({
  trusted: false,
  request: Object.freeze({ env: [], settings: [] }) as unknown as TrustRequest,
  changed: false,
  declined: false,
  fingerprint: '',
});
