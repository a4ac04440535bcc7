import type { EventName, RequestName } from './contract';

// Channel names are computed from contract names, so neither side spells one out.
export const requestChannel = (name: RequestName): string => `deskmate:request:${name}`;
export const eventChannel = (name: EventName): string => `deskmate:event:${name}`;
