import { describe, expect, it } from 'vitest';
import { eventChannel, requestChannel } from './channels';

describe('IPC channel names', () => {
  it('are derived from the contract name, requests and events apart', () => {
    expect(requestChannel('chat.send')).toBe('deskmate:request:chat.send');
    expect(eventChannel('message.delta')).toBe('deskmate:event:message.delta');
  });
});
